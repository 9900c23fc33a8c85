import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ACMClient, ListCertificatesCommand } from '@aws-sdk/client-acm';
import { CloudFormationClient, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { EC2Client, ModifyImageAttributeCommand, RegisterImageCommand } from '@aws-sdk/client-ec2';
import { DescribeDBInstancesCommand, ModifyDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { ListHostedZonesByNameCommand, Route53Client } from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServiceQuotasStandIn, startServiceQuotasStandIn } from '../standins/service-quotas-server.ts';
import { type KnotServer, startKnotServer } from '../support/knot-server.ts';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * blueprints/codeocean-vpc end to end (seeds 000 and 002), unattended from its sample answers, against
 * moto, the Service Quotas stand-in and knotd for the parent domain: every prerequisite checked and
 * prepared, the stacks created, status, the upgrade with the storage that grew, and destroy.
 */
const blueprint = join(projectRoot, 'blueprints', 'codeocean-vpc');
const region = 'us-east-1';
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const domain = 'codeocean.example.test';
const motoNameServers = [
  'ns-2048.awsdns-64.com',
  'ns-2049.awsdns-65.net',
  'ns-2050.awsdns-66.org',
  'ns-2051.awsdns-67.co.uk',
];
// moto's validation record for the name and its wildcard (moto/acm/models.py).
const cname = `_d930b28be6c5927595552b219965053e.${domain}. 300 CNAME _c9edd76ee4a0e2a74388032f3861cc50.ykybfrwcxw.acm-validations.aws.`;

let moto: MotoServer;
let quotas: ServiceQuotasStandIn;
let parent: KnotServer;
let child: KnotServer;
let work: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  [moto, quotas, parent, child, work] = await Promise.all([
    startMotoServer({ MOTO_ACM_VALIDATION_WAIT: '1' }),
    startServiceQuotasStandIn(),
    // The operator's DNS provider already delegates the subdomain, as the guide asks.
    startKnotServer({
      zones: [
        {
          origin: 'example.test',
          records: [
            '@ NS ns1',
            'ns1 A 127.0.0.1',
            ...motoNameServers.map((name) => `codeocean 300 NS ${name}.`),
          ].join('\n'),
        },
      ],
      addresses: ['127.0.0.1'],
    }),
    startKnotServer({
      zones: [
        { origin: domain, records: [...motoNameServers.map((name) => `@ NS ${name}.`), cname].join('\n') },
      ],
      addresses: ['127.0.0.2'],
    }),
    tempDir(),
  ]);
  // Exactly the guide's numbers: 34 standard vCPUs (m5.large + two r5d.4xlarge), 32 G and VT (two g4dn.4xlarge).
  quotas.setApplied({ serviceCode: 'ec2', quotaCode: 'L-1216C47A', value: 34 });
  quotas.setApplied({ serviceCode: 'ec2', quotaCode: 'L-DB2E81BA', value: 32 });
  quotas.setApplied({ serviceCode: 'vpc', quotaCode: 'L-F678F1CE', value: 5 });
  quotas.setApplied({ serviceCode: 'ec2', quotaCode: 'L-0263D0A3', value: 10 });
  quotas.setApplied({ serviceCode: 'vpc', quotaCode: 'L-FE5A380F', value: 5 });
  // The AMI Code Ocean shares (moto has no cross-account sharing: registered here, launchable by this account).
  const ec2 = new EC2Client({ region, endpoint: moto.endpoint, credentials });
  const image = await ec2.send(
    new RegisterImageCommand({ Name: 'codeocean-vpc-amzn2-20260101', RootDeviceName: '/dev/xvda' }),
  );
  await ec2.send(
    new ModifyImageAttributeCommand({
      ImageId: image.ImageId,
      LaunchPermission: { Add: [{ UserId: '123456789012' }] },
    }),
  );
  ec2.destroy();
  // The upgrade's manual steps are confirmed in the answers file an unattended upgrade reads.
  const answers = await readFile(join(blueprint, 'answers.yaml'), 'utf8');
  await writeFile(
    join(work.path, 'answers.yaml'),
    `${answers}  leastPrivilegeRole:\n    confirmed: true\n  maintenance:\n    confirmed: true\n`,
  );
});
afterAll(async () => {
  await Promise.all([moto?.stop(), quotas?.stop(), parent?.stop(), child?.stop()]);
  await work?.remove();
});

const cli = (...args: string[]) =>
  runCli([...args, '--blueprint', blueprint, '--config', 'answers.yaml', '--state-dir', 'state'], {
    cwd: work.path,
    env: {
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ENDPOINT_URL_SERVICE_QUOTAS: quotas.endpoint,
      STACKGUIDE_DNS_SERVERS: `127.0.0.1:${parent.port}`,
      STACKGUIDE_DNS_RESOLVERS: `resolver=127.0.0.2:${child.port}`,
      STACKGUIDE_DNS_NS_ADDRESSES: motoNameServers.map((name) => `${name}=127.0.0.2:${child.port}`).join(','),
    },
    timeoutMs: 120_000,
  });

describe('blueprints/codeocean-vpc', () => {
  it('checks every prerequisite, installs, upgrades keeping the grown storage, and is destroyed', async () => {
    const preflight = await cli('preflight', '--output', 'json');
    expect(preflight.code, preflight.stderr).toBe(0);
    expect(preflight.stderr).toContain('✔ Machine image codeocean-vpc-amzn2-*');
    expect(preflight.stderr).toMatch(/✔ Running On-Demand Standard[^\n]*needs 34 vCPUs/);
    expect(preflight.stderr).toMatch(/✔ Running On-Demand G and VT instances[^\n]*needs 32 vCPUs/);
    expect(preflight.stderr).toContain('⚠ Public hosted zone codeocean.example.test: does not exist yet');
    expect(preflight.stderr).toMatch(/⚠ OpenSearch instance type t3\.small\.search/);

    const answersBefore = await readFile(join(work.path, 'answers.yaml'), 'utf8');
    const installed = await cli('install', '--yes');
    expect(installed.code, installed.stderr).toBe(0);
    // The answers file is the operator's: an install that changes no answer leaves it as it was,
    // the upgrade's confirmations and the comments included.
    expect(await readFile(join(work.path, 'answers.yaml'), 'utf8')).toBe(answersBefore);
    // DNS validation was chosen by itself: the zone is delegated and in this account.
    expect(installed.stderr).toMatch(
      /Validating the certificate by DNS: the hosted zone codeocean\.example\.test is in this account and delegated/,
    );
    const cloudFormation = new CloudFormationClient({ region, endpoint: moto.endpoint, credentials });
    const statuses = async () =>
      Object.fromEntries(
        ((await cloudFormation.send(new ListStacksCommand({}))).StackSummaries ?? []).map((s) => [
          s.StackName,
          s.StackStatus,
        ]),
      );
    expect(await statuses()).toMatchObject({
      'codeocean-backup': 'CREATE_COMPLETE',
      codeocean: 'CREATE_COMPLETE',
    });

    const status = await cli('status');
    expect(status.code, status.stdout).toBe(0);
    expect(status.stdout).toMatch(/✔ Certificate for codeocean\.example\.test: [^\n]*ISSUED/);
    expect(status.stdout).toContain(`✔ Delegation of ${domain} from example.test`);

    // Seed 002: the analytics storage grew by itself; the upgrade notices and keeps the live value.
    const rds = new RDSClient({ region, endpoint: moto.endpoint, credentials });
    const [database] = (await rds.send(new DescribeDBInstancesCommand({}))).DBInstances ?? [];
    await rds.send(
      new ModifyDBInstanceCommand({
        DBInstanceIdentifier: database?.DBInstanceIdentifier,
        AllocatedStorage: 50,
        ApplyImmediately: true,
      }),
    );
    const template = await readFile(join(blueprint, 'templates', 'main.yaml'), 'utf8');
    const newTemplate = join(work.path, 'codeocean-vpc-3.3.yaml');
    await writeFile(
      newTemplate,
      template.replace(
        'Stand-in for the Code Ocean VPC template',
        'Stand-in for the Code Ocean VPC template 3.3',
      ),
    );
    const upgraded = await cli('upgrade', '--template', newTemplate, '--stack', 'main', '--yes');
    expect(upgraded.code, upgraded.stderr).toBe(0);
    expect(upgraded.stderr).toContain('codeocean: using the live value 50 for AnalyticsAllocatedStorage');
    expect(upgraded.stderr).toMatch(/codeocean: UPDATE_COMPLETE/);
    rds.destroy();

    const destroyed = await cli('destroy', '--confirm', 'codeocean');
    expect(destroyed.code, destroyed.stderr).toBe(0);
    expect(await statuses()).toMatchObject({
      'codeocean-backup': 'DELETE_COMPLETE',
      codeocean: 'DELETE_COMPLETE',
    });
    expect(destroyed.stderr).toMatch(/leftovers: none unexpected\n/);
    // What the steps made goes too, once the stacks are gone: the certificate, then the hosted zone.
    expect(destroyed.stderr).toMatch(
      /certificate arn:aws:acm:us-east-1:123456789012:certificate\/\S+: deleted/,
    );
    expect(destroyed.stderr).toMatch(/hosted zone codeocean\.example\.test \(\S+\): deleted/);
    const route53 = new Route53Client({ region, endpoint: moto.endpoint, credentials });
    const zones =
      (await route53.send(new ListHostedZonesByNameCommand({ DNSName: domain }))).HostedZones ?? [];
    expect(zones.filter((zone) => zone.Name === `${domain}.`)).toEqual([]);
    route53.destroy();
    const acm = new ACMClient({ region, endpoint: moto.endpoint, credentials });
    expect((await acm.send(new ListCertificatesCommand({}))).CertificateSummaryList ?? []).toEqual([]);
    acm.destroy();
    cloudFormation.destroy();
  });
});
