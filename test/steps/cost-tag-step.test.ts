import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  DescribeOrganizationCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { costExplorerPort } from '../../src/aws/cost-explorer-port.ts';
import { organizationsPort } from '../../src/aws/organizations-port.ts';
import type { StepEntry } from '../../src/blueprint/blueprint-schema.ts';
import { StackguideError } from '../../src/errors.ts';
import { costTagStep } from '../../src/steps/cost-tag/cost-tag-step.ts';
import { applyStep } from '../../src/steps/run-steps.ts';
import { type CostExplorerStandIn, startCostExplorerStandIn } from '../standins/cost-explorer-server.ts';
import {
  accountStepContext,
  applyHearingPending,
  configOf,
  useCredentials,
  useEndpoints,
} from '../support/account-step-context.ts';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';

// Organizations and STS are moto's (AWS_ENDPOINT_URL); Cost Explorer is the stand-in, reached through
// AWS_ENDPOINT_URL_COST_EXPLORER.
let moto: MotoServer;
let ce: CostExplorerStandIn;
let organizations: OrganizationsClient;
let sts: STSClient;
let restoreEnv: () => void;

const MANAGEMENT = '123456789012';
const TEST_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

beforeAll(async () => {
  [moto, ce] = await Promise.all([startMotoServer(), startCostExplorerStandIn()]);
  restoreEnv = useEndpoints({ moto: moto.endpoint, costExplorer: ce.endpoint });
  const client = { region: 'us-east-1', endpoint: moto.endpoint, credentials: TEST_CREDENTIALS };
  organizations = new OrganizationsClient(client);
  sts = new STSClient(client);
});
afterAll(async () => {
  restoreEnv?.();
  organizations?.destroy();
  sts?.destroy();
  await Promise.all([ce?.stop(), moto?.stop()]);
});
beforeEach(async () => {
  await moto.reset();
  ce.reset();
});
afterEach(() => useCredentials(TEST_CREDENTIALS));

const config = configOf(costTagStep, { tagKey: 'deployment_name' });
const run = (account = MANAGEMENT) => accountStepContext({ stepId: 'costTag', account });
const updates = () => ce.requests.filter((request) => request.operation === 'UpdateCostAllocationTagsStatus');

/** Applies as an install does, hearing what the step says its result still waits for. */
const applied = (context: ReturnType<typeof run>) => applyHearingPending(costTagStep, context, config, {});

async function checks(account?: string) {
  const results = await costTagStep.check(run(account), config, {});
  return new Map(results.map((result) => [result.id, result]));
}

describe('costTag step against moto Organizations and the Cost Explorer stand-in', () => {
  it('in a standalone account: waits for the key to appear, then activates it once', async () => {
    const before = await checks();
    expect(before.get('costTag.account')).toMatchObject({
      status: 'pass',
      summary: `this account (${MANAGEMENT}) is in no organization and pays its own bill: stackguide activates the tag here`,
    });
    expect(before.get('costTag.activation')).toMatchObject({
      status: 'warn',
      required: false,
      summary: 'not listed by Billing yet',
      fix: expect.stringContaining('about 24 hours after the first stack'),
    });
    // Nothing to change until Billing has seen the key.
    expect(await costTagStep.plan?.(run(), config, {})).toEqual([]);
    // Not done: pending on Billing, which lists the key only after it has been used.
    expect(await applied(run())).toEqual({
      outputs: { tagKey: 'deployment_name', activation: 'not-seen' },
      pending:
        'Billing to list the tag key deployment_name, about 24 hours after the first stack carries it; then run stackguide install again to activate it',
    });
    expect(updates()).toHaveLength(0);
    // As the install applies it: the step completes pending, its outputs still handed on.
    const { stepId: _id, stepOutputs: _outputs, ...base } = run();
    expect(
      await applyStep(
        { id: 'costTag', kind: 'costTag', tagKey: 'deployment_name' } as StepEntry,
        base,
        {},
        {},
      ),
    ).toEqual({ tagKey: 'deployment_name', activation: 'not-seen' });
    expect(base.events.at(-1)).toEqual({
      type: 'step.completed',
      step: 'costTag',
      outputs: { tagKey: 'deployment_name', activation: 'not-seen' },
      pending: expect.stringMatching(/^Billing to list the tag key deployment_name/),
    });
    expect(ce.requests[0]).toMatchObject({
      operation: 'ListCostAllocationTags',
      signingName: 'ce',
      body: { TagKeys: ['deployment_name'], Type: 'UserDefined' },
    });

    // A day after the first stack, Billing lists the key, inactive.
    ce.seeTag('deployment_name');
    expect((await checks()).get('costTag.activation')).toMatchObject({
      status: 'warn',
      summary: 'seen on resources but not active: install activates it',
    });
    expect(await costTagStep.plan?.(run(), config, {})).toEqual([
      expect.objectContaining({ action: 'update', resource: 'cost allocation tag deployment_name' }),
    ]);
    const context = run();
    // Active: done, pending on nothing.
    expect(await applied(context)).toEqual({ outputs: { tagKey: 'deployment_name', activation: 'active' } });
    expect(ce.statusOf('deployment_name')).toBe('Active');
    expect(updates()).toHaveLength(1);
    expect(updates()[0]?.body).toEqual({
      CostAllocationTagsStatus: [{ TagKey: 'deployment_name', Status: 'Active' }],
    });
    expect(context.events.at(-1)).toMatchObject({
      type: 'step.progress',
      message: 'Activated the cost allocation tag deployment_name',
    });

    // Re-running changes nothing.
    await costTagStep.apply?.(run(), config, {});
    expect(updates()).toHaveLength(1);
    expect((await checks()).get('costTag.activation')).toMatchObject({ status: 'pass', summary: 'active' });
  });

  it('in the management account of an organization: activates the key there', async () => {
    const created = await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    ce.seeTag('deployment_name');
    const results = await checks();
    expect(results.get('costTag.account')).toMatchObject({
      status: 'pass',
      summary: `this account (${MANAGEMENT}) is the management account of ${created.Organization?.Id}: stackguide activates the tag here`,
    });
    await costTagStep.apply?.(run(), config, {});
    expect(ce.statusOf('deployment_name')).toBe('Active');
  });

  it('in a member account: explains who must activate it and calls no Cost Explorer API', async () => {
    await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const account = await organizations.send(
      new CreateAccountCommand({ AccountName: 'opensarlab', Email: 'opensarlab@example.edu' }),
    );
    const member = account.CreateAccountStatus?.AccountId ?? '';
    const assumed = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${member}:role/OrganizationAccountAccessRole`,
        RoleSessionName: 'stackguide-test',
      }),
    );
    useCredentials({
      accessKeyId: assumed.Credentials?.AccessKeyId ?? '',
      secretAccessKey: assumed.Credentials?.SecretAccessKey ?? '',
      sessionToken: assumed.Credentials?.SessionToken ?? '',
    });
    // The run really is in the member account, as STS tells it.
    expect((await run(member).aws.identity.whoAmI()).account).toBe(member);
    ce.seeTag('deployment_name');

    const results = await checks(member);
    expect([...results.keys()]).toEqual(['costTag.account']);
    expect(results.get('costTag.account')).toMatchObject({
      status: 'warn',
      required: false,
      summary: expect.stringContaining(`is a member of o-`),
    });
    const { summary, fix } = results.get('costTag.account') ?? {};
    expect(summary).toContain(`only its management account ${MANAGEMENT} can activate cost allocation tags`);
    expect(fix).toContain(`Ask an administrator of the management account ${MANAGEMENT}`);
    expect(fix).toContain(
      'aws ce update-cost-allocation-tags-status --cost-allocation-tags-status TagKey=deployment_name,Status=Active',
    );
    expect(fix).toContain('only after it has been used on a resource, about 24 hours after the first stack');

    expect(await costTagStep.plan?.(run(member), config, {})).toEqual([
      expect.objectContaining({ action: 'manual', resource: 'cost allocation tag deployment_name' }),
    ]);
    expect(await applied(run(member))).toEqual({
      outputs: { tagKey: 'deployment_name', activation: 'needs-management-account' },
      pending: expect.stringMatching(
        /^the management account \d{12}.* to activate the cost allocation tag key "deployment_name" in Billing \(https:/,
      ),
    });
    expect(ce.requests).toHaveLength(0);
    expect(ce.statusOf('deployment_name')).toBe('Inactive');
    // moto agrees about who manages the organization.
    const described = await organizations.send(new DescribeOrganizationCommand({}));
    expect(described.Organization?.MasterAccountId).toBe(MANAGEMENT);
  });

  it('says it cannot tell, rather than guessing, when the role may not read the organization', async () => {
    const context = run();
    context.aws.use(organizationsPort).describeOrganization = async () => {
      throw new StackguideError('Organizations describeOrganization failed: not authorized', {
        code: 'aws.access-denied',
        kind: 'aws',
      });
    };
    const [account, ...rest] = await costTagStep.check(context, config, {});
    expect(rest).toEqual([]);
    expect(account).toMatchObject({
      status: 'warn',
      summary:
        'could not tell whether this account pays its own bill: Organizations describeOrganization failed: not authorized',
      fix: expect.stringContaining('Allow organizations:DescribeOrganization'),
    });
    expect(ce.requests).toHaveLength(0);
  });

  it('reports a per-key error from Billing as a failure of the step', async () => {
    ce.seeTag('deployment_name');
    const context = run();
    const port = context.aws.use(costExplorerPort);
    port.setCostAllocationTagStatus = async () => [
      { tagKey: 'deployment_name', code: 'TagKeyNotFound', message: 'Tag key deployment_name was not found' },
    ];
    const error = await costTagStep.apply?.(context, config, {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StackguideError);
    expect((error as StackguideError).message).toBe(
      'Billing did not activate the cost allocation tag deployment_name: TagKeyNotFound: Tag key deployment_name was not found',
    );
  });
});
