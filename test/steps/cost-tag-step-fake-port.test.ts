import { CreateOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type {
  CostAllocationTag,
  CostAllocationTagStatus,
  CostExplorerPort,
} from '../../src/aws/cost-explorer-port.ts';
import { costExplorerPort } from '../../src/aws/cost-explorer-port.ts';
import { costTagStep } from '../../src/steps/cost-tag/cost-tag-step.ts';
import { fakePort, withFakePorts } from '../support/fake-ports.ts';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { progressOf, stepContext } from '../support/step-context.ts';

/**
 * The costTag step with one port faked in memory and the other real: Organizations is moto's (over
 * HTTP, through its SDK adapter), Cost Explorer is a fake that keeps Billing's tag list in a map. No
 * stand-in server and no environment variable: the test hands the fake to the AWS context by token.
 */
class InMemoryBilling implements CostExplorerPort {
  readonly tags = new Map<string, CostAllocationTagStatus>();
  readonly activations: string[] = [];
  refuse: { code: string; message: string } | undefined;
  unreachable = false;

  async listCostAllocationTags(tagKeys: readonly string[]): Promise<CostAllocationTag[]> {
    if (this.unreachable) throw Object.assign(new Error('connect ECONNREFUSED'), { name: 'Error' });
    return tagKeys.flatMap((tagKey) => {
      const status = this.tags.get(tagKey);
      return status ? [{ tagKey, type: 'UserDefined', status }] : [];
    });
  }

  async setCostAllocationTagStatus(
    entries: ReadonlyArray<{ tagKey: string; status: CostAllocationTagStatus }>,
  ): Promise<Array<{ tagKey: string; code: string; message: string }>> {
    if (this.refuse)
      return entries.map(({ tagKey }) => ({ tagKey, ...(this.refuse as { code: string; message: string }) }));
    for (const { tagKey, status } of entries) {
      this.tags.set(tagKey, status);
      this.activations.push(tagKey);
    }
    return [];
  }
}

let moto: MotoServer;
let billing: InMemoryBilling;
const config = costTagStep.configSchema.parse({ tagKey: 'deployment_name' }) as { tagKey: string };

beforeAll(async () => {
  moto = await startMotoServer();
});
afterAll(async () => {
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
  billing = new InMemoryBilling();
});

const context = () =>
  stepContext({
    endpoint: moto.endpoint,
    stepId: 'costTag',
    ports: withFakePorts(fakePort(costExplorerPort, billing)),
  });

async function becomeManagementAccount(): Promise<void> {
  const organizations = new OrganizationsClient({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  organizations.destroy();
}

describe('costTag step with Cost Explorer faked in memory and Organizations on moto', () => {
  it('in the management account: shows the inactive key, activates it once, then reports it active', async () => {
    await becomeManagementAccount();
    billing.tags.set('deployment_name', 'Inactive');
    const ctx = context();

    const [payer, activation] = await costTagStep.check(ctx, config, {});
    expect(payer).toMatchObject({
      status: 'pass',
      summary: expect.stringMatching(
        /^this account \(123456789012\) is the management account of o-\w+: stackguide activates the tag here$/,
      ),
    });
    expect(activation).toMatchObject({
      status: 'warn',
      summary: 'seen on resources but not active: install activates it',
      plannedByInstall: true,
      fix: expect.stringContaining('TagKey=deployment_name,Status=Active'),
    });
    expect(await costTagStep.plan?.(ctx, config, {})).toEqual([
      expect.objectContaining({ action: 'update', resource: 'cost allocation tag deployment_name' }),
    ]);

    expect(await costTagStep.apply?.(ctx, config, {})).toEqual({
      tagKey: 'deployment_name',
      activation: 'active',
    });
    expect(billing.activations).toEqual(['deployment_name']);
    expect(progressOf(ctx.events).map((entry) => entry.message)).toEqual([
      'Activating the cost allocation tag deployment_name',
      'Activated the cost allocation tag deployment_name',
    ]);
    // Both ports were called through the context: the fake, and moto's Organizations.
    expect(ctx.timeline).toEqual(
      expect.arrayContaining([
        'call:Organizations.describeOrganization',
        'call:Cost Explorer.setCostAllocationTagStatus',
      ]),
    );

    // Idempotent: a second apply changes nothing.
    expect(await costTagStep.apply?.(context(), config, {})).toEqual({
      tagKey: 'deployment_name',
      activation: 'active',
    });
    expect(billing.activations).toHaveLength(1);
  });

  it('says what Billing refused, with where to do it by hand', async () => {
    billing.tags.set('deployment_name', 'Inactive');
    billing.refuse = { code: 'AccessDenied', message: 'not the payer' };
    await expect(costTagStep.apply?.(context(), config, {})).rejects.toMatchObject({
      code: 'step.cost-tag.activation-failed',
      kind: 'aws',
      message:
        'Billing did not activate the cost allocation tag deployment_name: AccessDenied: not the payer',
      nextSteps: [expect.stringContaining('billing/home#/tags')],
    });
    expect(billing.tags.get('deployment_name')).toBe('Inactive');
  });

  it("maps a fake's failure like a real port's: a StackguideError naming the service and the call", async () => {
    billing.unreachable = true;
    await expect(costTagStep.check(context(), config, {})).rejects.toMatchObject({
      name: 'StackguideError',
      message: expect.stringContaining('Cost Explorer listCostAllocationTags failed'),
    });
  });
});
