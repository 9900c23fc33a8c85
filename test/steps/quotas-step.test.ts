import {
  type _InstanceType,
  AllocateAddressCommand,
  CreateNatGatewayCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  EC2Client,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { quotasStep } from '../../src/steps/quotas/quotas-step.ts';
import { type ServiceQuotasStandIn, startServiceQuotasStandIn } from '../standins/service-quotas-server.ts';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { checkById, preflightContext } from '../support/preflight-context.ts';

// EC2 usage comes from moto; quota values from the Service Quotas stand-in, which the SDK reaches through
// AWS_ENDPOINT_URL_SERVICE_QUOTAS while every other client goes to moto through --endpoint-url.
let moto: MotoServer;
let quotas: ServiceQuotasStandIn;
let ec2: EC2Client;

beforeAll(async () => {
  [moto, quotas] = await Promise.all([startMotoServer(), startServiceQuotasStandIn()]);
  process.env.AWS_ENDPOINT_URL_SERVICE_QUOTAS = quotas.endpoint;
  ec2 = new EC2Client({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
});
afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL_SERVICE_QUOTAS;
  ec2?.destroy();
  await Promise.all([moto?.stop(), quotas?.stop()]);
});
beforeEach(async () => {
  await moto.reset();
  quotas.reset();
});

const context = (answers: Record<string, string> = {}) =>
  preflightContext({ endpoint: moto.endpoint, stepId: 'quotas', answers });

const link = (service: string, code: string) =>
  `https://us-east-1.console.aws.amazon.com/servicequotas/home/services/${service}/quotas/${code}?region=us-east-1`;

/** Starts instances from one of the images moto preloads in every region. */
async function run(instanceType: string, count: number, spot = false): Promise<void> {
  await ec2.send(
    new RunInstancesCommand({
      ImageId: 'ami-12c6146b',
      InstanceType: instanceType as _InstanceType,
      MinCount: count,
      MaxCount: count,
      ...(spot ? { InstanceMarketOptions: { MarketType: 'spot' } } : {}),
    }),
  );
}

/** Code Ocean's defaults (seed 000): the services machine plus two workers at once, per class. */
const codeOcean = {
  vcpus: [
    {
      quota: 'L-1216C47A',
      instances: [
        { type: 'm5.large', count: 1 },
        { type: '{{answers.workerType}}', count: 2 },
      ],
      why: 'two workers run at once while one warms up',
    },
    { quota: 'L-DB2E81BA', instances: [{ type: 'g4dn.4xlarge', count: 2 }] },
    { quota: 'L-34B43A08', vcpus: 16, required: false },
  ],
};

describe('quotas step: vCPUs', () => {
  it('fails a shortfall naming the quota, the need, what is available and where to ask for more', async () => {
    await run('m5.large', 1);
    await run('g4dn.4xlarge', 1);
    await run('m5.xlarge', 1, true);
    quotas.setApplied({ serviceCode: 'ec2', quotaCode: 'L-1216C47A', value: 32 });
    quotas.setApplied({ serviceCode: 'ec2', quotaCode: 'L-DB2E81BA', value: 64 });
    // No applied value kept for the spot quota: AWS's default applies.
    quotas.setDefault({ serviceCode: 'ec2', quotaCode: 'L-34B43A08', value: 5 });

    const results = await checkById(quotasStep, context({ workerType: 'r5d.4xlarge' }), codeOcean);
    expect([...results.keys()]).toEqual(['quotas.L-1216C47A', 'quotas.L-DB2E81BA', 'quotas.L-34B43A08']);

    const standard = results.get('quotas.L-1216C47A');
    expect(standard).toMatchObject({
      title: 'Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances',
      status: 'fail',
      required: true,
      summary:
        'needs 34 vCPUs (m5.large × 1 = 2, r5d.4xlarge × 2 = 32; two workers run at once while one warms up); ' +
        'quota 32, 2 in use by running on-demand instances: 30 available',
      facts: { quota: 32, used: 2, available: 30, needed: 34, link: link('ec2', 'L-1216C47A') },
    });
    expect(standard?.fix).toBe(
      'Request an increase of "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances" to at least 36: ' +
        `${link('ec2', 'L-1216C47A')} (or: aws service-quotas request-service-quota-increase --service-code ec2 ` +
        '--quota-code L-1216C47A --desired-value 36 --region us-east-1). If AWS declines, choose smaller instance types.',
    );

    expect(results.get('quotas.L-DB2E81BA')).toMatchObject({
      status: 'pass',
      summary:
        'needs 32 vCPUs (g4dn.4xlarge × 2 = 32); quota 64, 16 in use by running on-demand instances: 48 available',
    });
    // Optional (spot): a shortfall warns, and the value is the default read after NoSuchResource.
    expect(results.get('quotas.L-34B43A08')).toMatchObject({
      status: 'warn',
      required: false,
      summary: 'needs 16 vCPUs; quota 5, 4 in use by running Spot instances: 1 available',
    });
    expect(
      quotas.requests
        .filter((request) => request.body.QuotaCode === 'L-34B43A08')
        .map((request) => [request.operation, request.region, request.signingName]),
    ).toEqual([
      ['GetServiceQuota', 'us-east-1', 'servicequotas'],
      ['GetAWSDefaultServiceQuota', 'us-east-1', 'servicequotas'],
    ]);
  });

  it('passes when a smaller worker type is answered', async () => {
    quotas.setApplied({ serviceCode: 'ec2', quotaCode: 'L-1216C47A', value: 32 });
    const results = await checkById(quotasStep, context({ workerType: 'r5d.2xlarge' }), {
      vcpus: [codeOcean.vcpus[0]],
    });
    expect(results.get('quotas.L-1216C47A')).toMatchObject({
      status: 'pass',
      summary: expect.stringMatching(/^needs 18 vCPUs .*: 32 available$/),
    });
    expect(results.get('quotas.L-1216C47A')?.fix).toBeUndefined();
  });

  it('fails an instance type EC2 does not know', async () => {
    const results = await checkById(quotasStep, context({ workerType: 'r5d.huge' }), {
      vcpus: [codeOcean.vcpus[0]],
    });
    expect(results.get('quotas.L-1216C47A')).toMatchObject({
      status: 'fail',
      summary: 'EC2 in us-east-1 does not know the instance type r5d.huge',
    });
  });

  it('warns, and goes on, when the quota cannot be read', async () => {
    quotas.failNext(
      'AccessDeniedException',
      'User is not authorized to perform servicequotas:GetServiceQuota',
    );
    quotas.setApplied({ serviceCode: 'ec2', quotaCode: 'L-DB2E81BA', value: 64 });
    const results = await checkById(quotasStep, context(), {
      vcpus: [
        { quota: 'L-1216C47A', vcpus: 34 },
        { quota: 'L-DB2E81BA', vcpus: 32 },
      ],
    });
    expect(results.get('quotas.L-1216C47A')).toMatchObject({
      status: 'warn',
      summary: expect.stringMatching(
        /the quota could not be read: AWS refused servicequotas:GetServiceQuota \(Service Quotas GetServiceQuota\)/,
      ),
      fix: expect.stringContaining(link('ec2', 'L-1216C47A')),
    });
    expect(results.get('quotas.L-DB2E81BA')?.status).toBe('pass');
  });

  it('warns when Service Quotas knows no value at all', async () => {
    const results = await checkById(quotasStep, context(), { vcpus: [{ quota: 'L-DB2E81BA', vcpus: 32 }] });
    expect(results.get('quotas.L-DB2E81BA')).toMatchObject({
      status: 'warn',
      summary: 'needs 32 vCPUs; Service Quotas reports no value for it here',
    });
  });
});

describe('quotas step: VPCs, Elastic IPs and NAT gateways', () => {
  const network = { vpcs: 1, elasticIps: 3, natGatewaysPerZone: 1 };

  it('takes away what the region already uses, per zone for NAT gateways', async () => {
    // moto's default VPC plus four more: five in use.
    const vpcIds: string[] = [];
    for (let i = 1; i <= 4; i += 1) {
      const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: `10.${i}.0.0/16` }));
      vpcIds.push(vpc.Vpc?.VpcId ?? '');
    }
    const allocation = await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
    const subnet = await ec2.send(
      new CreateSubnetCommand({ VpcId: vpcIds[0], CidrBlock: '10.1.0.0/24', AvailabilityZone: 'us-east-1a' }),
    );
    await ec2.send(
      new CreateNatGatewayCommand({
        SubnetId: subnet.Subnet?.SubnetId,
        AllocationId: allocation.AllocationId,
      }),
    );
    quotas.setApplied({ serviceCode: 'vpc', quotaCode: 'L-F678F1CE', value: 5 });
    quotas.setApplied({ serviceCode: 'ec2', quotaCode: 'L-0263D0A3', value: 5 });
    quotas.setApplied({ serviceCode: 'vpc', quotaCode: 'L-FE5A380F', value: 1 });

    const results = await checkById(quotasStep, context(), network);
    expect([...results.keys()]).toEqual(['quotas.vpcs', 'quotas.elasticIps', 'quotas.natGatewaysPerZone']);
    expect(results.get('quotas.vpcs')).toMatchObject({
      title: 'VPCs per Region',
      status: 'fail',
      summary: 'needs 1; quota 5, 5 VPCs in us-east-1: 0 available',
      fix: expect.stringContaining(`to at least 6: ${link('vpc', 'L-F678F1CE')}`),
    });
    expect(results.get('quotas.elasticIps')).toMatchObject({
      status: 'pass',
      summary: 'needs 3; quota 5, 1 allocated: 4 available',
    });
    expect(results.get('quotas.natGatewaysPerZone')).toMatchObject({
      status: 'fail',
      summary: 'needs 1; quota 1, 1 in use in us-east-1a, the busiest zone: 0 available',
      fix: expect.stringContaining(
        '--service-code vpc --quota-code L-FE5A380F --desired-value 2 --region us-east-1',
      ),
    });
  });

  it('skips them when the deployment uses an existing VPC', async () => {
    const results = await checkById(quotasStep, context({ vpcId: 'vpc-0abc' }), {
      ...network,
      existingVpcFrom: '{{answers.vpcId}}',
    });
    expect([...results.values()]).toEqual([
      expect.objectContaining({
        id: 'quotas.network',
        status: 'pass',
        summary: 'not needed: the deployment uses the existing VPC vpc-0abc',
      }),
    ]);
    expect(quotas.requests).toEqual([]);
  });

  it('checks them when the existing-VPC question is left unanswered', async () => {
    quotas.setApplied({ serviceCode: 'vpc', quotaCode: 'L-F678F1CE', value: 5 });
    const results = await checkById(quotasStep, context(), { vpcs: 1, existingVpcFrom: '{{answers.vpcId}}' });
    expect(results.get('quotas.vpcs')).toMatchObject({
      status: 'pass',
      summary: 'needs 1; quota 5, 1 VPC in us-east-1: 4 available',
    });
  });
});

describe('quotas step configuration', () => {
  it('refuses a vCPU need with neither vcpus nor instances, and an unknown quota code', () => {
    expect(() => quotasStep.configSchema.parse({ vcpus: [{ quota: 'L-1216C47A' }] })).toThrow(
      /give either vcpus or instances/,
    );
    // Refused for its code, not for something else in the entry.
    const unknown = quotasStep.configSchema.safeParse({ vcpus: [{ quota: 'L-00000000', vcpus: 1 }] });
    expect(unknown.error?.issues.map((issue) => [issue.path.join('.'), issue.code])).toEqual([
      ['vcpus.0.quota', 'invalid_value'],
    ]);
  });
});
