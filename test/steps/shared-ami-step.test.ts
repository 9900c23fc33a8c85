import { EC2Client, ModifyImageAttributeCommand, RegisterImageCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sharedAmiStep } from '../../src/steps/shared-ami/shared-ami-step.ts';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { checkById, configFor, preflightContext } from '../support/preflight-context.ts';

// moto keeps each account's images apart and does not model sharing across accounts, so against moto
// the image is registered in the operator's account with a launch permission for it (what
// ExecutableUsers=self finds); the vendor-owned case is a single-call unit test in shared-ami-step-vendor.test.ts.
let moto: MotoServer;
const clients: EC2Client[] = [];

beforeAll(async () => {
  moto = await startMotoServer();
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
});

function ec2(region = 'us-east-1'): EC2Client {
  const client = new EC2Client({
    region,
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  clients.push(client);
  return client;
}

async function shareImage(name: string, region = 'us-east-1'): Promise<string> {
  const client = ec2(region);
  const image = await client.send(new RegisterImageCommand({ Name: name, RootDeviceName: '/dev/xvda' }));
  await client.send(
    new ModifyImageAttributeCommand({
      ImageId: image.ImageId,
      LaunchPermission: { Add: [{ UserId: '123456789012' }] },
    }),
  );
  return image.ImageId ?? '';
}

const CONFIG = { namePattern: 'codeocean-vpc-amzn2-*', requestFrom: 'support@codeocean.com' };
const context = (region = 'us-east-1') =>
  preflightContext({ endpoint: moto.endpoint, stepId: 'ami', region });

describe('sharedAmi step against moto', () => {
  it('fails when nothing is shared, saying whom to ask with the account id and region', async () => {
    // Shared in another region only: it does not count here.
    await shareImage('codeocean-vpc-amzn2-20240101', 'us-west-2');
    const results = await checkById(sharedAmiStep, context(), CONFIG);
    expect([...results.values()]).toEqual([
      {
        id: 'ami.ami',
        step: 'ami',
        title: 'Machine image codeocean-vpc-amzn2-*',
        status: 'fail',
        required: true,
        summary: 'no image named codeocean-vpc-amzn2-* is shared with account 123456789012 in us-east-1',
        fix:
          'Ask support@codeocean.com to share the codeocean-vpc-amzn2-* image with AWS account 123456789012 in ' +
          'region us-east-1. When they confirm, run stackguide preflight again.',
        facts: { account: '123456789012', region: 'us-east-1', requestFrom: 'support@codeocean.com' },
      },
    ]);
    await expect(
      sharedAmiStep.apply?.(context(), configFor(sharedAmiStep, CONFIG), {}),
    ).rejects.toMatchObject({
      code: 'step.ami-missing',
      nextSteps: [expect.stringContaining('AWS account 123456789012 in region us-east-1')],
    });
  });

  it('passes on a shared image and outputs the newest as amiId', async () => {
    await shareImage('codeocean-vpc-amzn2-20240601');
    // Registered a second later with an older-looking name: newest means created last.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const newest = await shareImage('codeocean-vpc-amzn2-20240101');
    await shareImage('someone-else-amzn2-20250101');

    const results = await checkById(sharedAmiStep, context(), CONFIG);
    expect(results.get('ami.ami')).toMatchObject({
      status: 'pass',
      summary: expect.stringMatching(
        new RegExp(
          `^${newest} codeocean-vpc-amzn2-20240101 \\(owner 123456789012, created .+\\), the newest of 2$`,
        ),
      ),
      facts: { amiId: newest, images: 2 },
    });
    expect(await sharedAmiStep.apply?.(context(), configFor(sharedAmiStep, CONFIG), {})).toEqual({
      amiId: newest,
    });
  });

  it("counts only the vendor's images when owners are given", async () => {
    await shareImage('codeocean-vpc-amzn2-20240601');
    const results = await checkById(sharedAmiStep, context(), { ...CONFIG, owners: ['111122223333'] });
    expect(results.get('ami.ami')).toMatchObject({
      status: 'fail',
      summary: 'no image named codeocean-vpc-amzn2-* is shared with account 123456789012 in us-east-1',
    });
  });
});
