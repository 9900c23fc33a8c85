import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { acmPort } from '../../src/aws/acm-port.ts';
import { createAwsSession } from '../../src/aws/aws-context.ts';
import { cloudFormationPort } from '../../src/aws/cloudformation-port.ts';
import { startMotoServer } from '../support/moto-server.ts';
import { writeSelfSignedCertificate } from '../support/pem-fixtures.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * The product's adapters read what AWS documents; moto answers some calls differently, and the proxy in
 * front of it (test/support/moto-gaps-proxy.ts) fills the gap. Each test asks through the adapter, so a
 * gap the proxy stops filling shows up here rather than as a strange failure elsewhere.
 */
let moto: Awaited<ReturnType<typeof startMotoServer>>;
const aws = () => createAwsSession({ endpointUrl: moto.endpoint, maxAttempts: 1 }).forRegion('us-east-1');

beforeAll(async () => {
  process.env.AWS_ACCESS_KEY_ID ??= 'testing';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'testing';
  moto = await startMotoServer();
});
afterAll(async () => {
  await moto?.stop();
});

const template = JSON.stringify({
  Resources: { Topic: { Type: 'AWS::SNS::Topic' } },
});

describe('moto behind the gaps proxy, as the adapters read it', () => {
  it("lists one stack's change sets only, and none for a stack that does not exist", async () => {
    const cloudFormation = aws().use(cloudFormationPort);
    const made = [];
    for (const stackName of ['gaps-a', 'gaps-b']) {
      made.push(
        await cloudFormation.createChangeSet({
          stackName,
          changeSetName: `${stackName}-first`,
          changeSetType: 'CREATE',
          templateBody: template,
          parameters: {},
          capabilities: [],
          tags: {},
          clientRequestToken: `${stackName}-token`,
        }),
      );
    }
    const listed = await cloudFormation.listChangeSets('gaps-a');
    expect(listed.map((listing) => listing.changeSetName)).toEqual(['gaps-a-first']);
    const byId = await cloudFormation.listChangeSets(made[1]?.stackId ?? 'unset');
    expect(byId.map((listing) => listing.changeSetName)).toEqual(['gaps-b-first']);
    expect(await cloudFormation.listChangeSets('gaps-never-made')).toEqual([]);
  });

  it('gives an updated stack the LastUpdatedTime AWS gives: when its last update began (trial finding 102)', async () => {
    const cloudFormation = aws().use(cloudFormationPort);
    const withParameter = JSON.stringify({
      Parameters: { Size: { Type: 'String' } },
      Resources: { Topic: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: { Ref: 'Size' } } } },
    });
    const settle = async (stackId: string) => {
      for (let tries = 0; tries < 100; tries++) {
        const stack = await cloudFormation.describeStack(stackId);
        if (stack && !stack.status.endsWith('_IN_PROGRESS')) return stack;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`${stackId} did not settle`);
    };
    const change = async (type: 'CREATE' | 'UPDATE', size: string) => {
      const made = await cloudFormation.createChangeSet({
        stackName: 'gaps-updated',
        changeSetName: `gaps-updated-${size}`,
        changeSetType: type,
        templateBody: withParameter,
        parameters: { Size: size },
        capabilities: [],
        tags: {},
        clientRequestToken: `gaps-updated-${size}`,
      });
      for (let tries = 0; tries < 100; tries++) {
        if ((await cloudFormation.describeChangeSet(made.changeSetId)).status === 'CREATE_COMPLETE') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await cloudFormation.executeChangeSet(made.changeSetId, `gaps-updated-run-${size}`);
      return settle(made.stackId);
    };
    const created = await change('CREATE', 'small');
    // Never updated: AWS leaves it out, and so does the proxy.
    expect(created.updatedAt).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const updated = await change('UPDATE', 'large');
    expect(updated.status).toBe('UPDATE_COMPLETE');
    const { events } = await cloudFormation.describeStackEvents(updated.stackId);
    const began = events.find(
      (event) => event.logicalResourceId === 'gaps-updated' && event.status === 'UPDATE_IN_PROGRESS',
    );
    expect(updated.updatedAt).toBeDefined();
    expect(new Date(updated.updatedAt ?? 0).getTime()).toBe(began?.timestamp.getTime());
    expect(new Date(updated.updatedAt ?? 0).getTime()).toBeGreaterThan(
      new Date(created.createdAt ?? 0).getTime(),
    );
  });

  it("gives an imported certificate's serial as ACM does: the serial's bytes in colon-separated hex", async () => {
    const { path: dir, remove } = await tempDir('gaps-serial-');
    onTestFinished(remove);
    await writeSelfSignedCertificate(dir, 'gaps.example.test', 'cert');
    const certificate = await readFile(join(dir, 'cert.pem'), 'utf8');
    const privateKey = await readFile(join(dir, 'cert.key'), 'utf8');
    const acm = aws().use(acmPort);
    const arn = await acm.importCertificate({ certificate, privateKey, tags: {} });
    const { stdout } = await promisify(execFile)(
      'openssl',
      ['x509', '-noout', '-serial', '-in', 'cert.pem'],
      {
        cwd: dir,
      },
    );
    const opensslHex = stdout
      .trim()
      .replace(/^serial=/, '')
      .toLowerCase();
    const serial = (await acm.describeCertificate(arn))?.serial ?? '';
    expect(serial).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2})*$/);
    expect(BigInt(`0x${serial.replaceAll(':', '')}`)).toBe(BigInt(`0x${opensslHex}`));
  });
});
