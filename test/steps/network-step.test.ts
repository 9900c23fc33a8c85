import {
  AllocateAddressCommand,
  AssociateDhcpOptionsCommand,
  AssociateRouteTableCommand,
  AssociateVpcCidrBlockCommand,
  AttachInternetGatewayCommand,
  CreateDhcpOptionsCommand,
  CreateInternetGatewayCommand,
  CreateNatGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteInternetGatewayCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeInternetGatewaysCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  DetachInternetGatewayCommand,
  EC2Client,
  ModifyVpcAttributeCommand,
} from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { networkStep } from '../../src/steps/network/network-step.ts';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { checkById, preflightContext } from '../support/preflight-context.ts';

let moto: MotoServer;
let ec2: EC2Client;

beforeAll(async () => {
  moto = await startMotoServer();
  ec2 = new EC2Client({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
});
afterAll(async () => {
  ec2?.destroy();
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
});

const context = (answers: Record<string, string> = {}) =>
  preflightContext({ endpoint: moto.endpoint, stepId: 'network', answers });
const EXISTING = { vpcIdFrom: '{{answers.vpcId}}' };

async function dhcpOptions(servers: string[]): Promise<string> {
  const created = await ec2.send(
    new CreateDhcpOptionsCommand({ DhcpConfigurations: [{ Key: 'domain-name-servers', Values: servers }] }),
  );
  return created.DhcpOptions?.DhcpOptionsId ?? '';
}

async function defaultVpcId(): Promise<string> {
  const vpcs = await ec2.send(
    new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }),
  );
  return vpcs.Vpcs?.[0]?.VpcId ?? '';
}

async function subnet(vpcId: string, cidr: string, zone: string): Promise<string> {
  const created = await ec2.send(
    new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: zone }),
  );
  return created.Subnet?.SubnetId ?? '';
}

async function routeTable(
  vpcId: string,
  subnetIds: string[],
  route?: { gatewayId?: string; natGatewayId?: string },
) {
  const table = await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }));
  const routeTableId = table.RouteTable?.RouteTableId ?? '';
  if (route)
    await ec2.send(
      new CreateRouteCommand({
        RouteTableId: routeTableId,
        DestinationCidrBlock: '0.0.0.0/0',
        ...(route.gatewayId ? { GatewayId: route.gatewayId } : {}),
        ...(route.natGatewayId ? { NatGatewayId: route.natGatewayId } : {}),
      }),
    );
  for (const subnetId of subnetIds)
    await ec2.send(new AssociateRouteTableCommand({ RouteTableId: routeTableId, SubnetId: subnetId }));
  return routeTableId;
}

/** A VPC laid out as the seed asks: a public subnet with a NAT gateway, private /24s in two zones. */
async function wellFormedVpc(): Promise<{ vpcId: string; privateIds: string[]; natGatewayId: string }> {
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
  const vpcId = vpc.Vpc?.VpcId ?? '';
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
  await ec2.send(
    new AssociateDhcpOptionsCommand({
      VpcId: vpcId,
      DhcpOptionsId: await dhcpOptions(['AmazonProvidedDNS']),
    }),
  );
  const igw = await ec2.send(new CreateInternetGatewayCommand({}));
  const gatewayId = igw.InternetGateway?.InternetGatewayId ?? '';
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: gatewayId, VpcId: vpcId }));
  const publicId = await subnet(vpcId, '10.0.0.0/24', 'us-east-1a');
  await routeTable(vpcId, [publicId], { gatewayId });
  const eip = await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
  const nat = await ec2.send(
    new CreateNatGatewayCommand({ SubnetId: publicId, AllocationId: eip.AllocationId }),
  );
  const natGatewayId = nat.NatGateway?.NatGatewayId ?? '';
  const privateIds = [
    await subnet(vpcId, '10.0.16.0/20', 'us-east-1a'),
    await subnet(vpcId, '10.0.32.0/24', 'us-east-1b'),
  ];
  await routeTable(vpcId, privateIds, { natGatewayId });
  return { vpcId, privateIds, natGatewayId };
}

describe('network step, a new VPC: the default DHCP option set', () => {
  it('warns when the default VPC has no DHCP option set (moto starts that way)', async () => {
    const results = await checkById(networkStep, context(), EXISTING);
    expect([...results.keys()]).toEqual(['network.dhcp']);
    expect(results.get('network.dhcp')).toMatchObject({
      status: 'warn',
      summary: expect.stringContaining('has no DHCP option set'),
      fix: expect.stringContaining('Values=AmazonProvidedDNS'),
    });
  });

  it('passes AmazonProvidedDNS, warns about an unknown custom resolver, and passes one the blueprint lists', async () => {
    const vpcId = await defaultVpcId();
    await ec2.send(
      new AssociateDhcpOptionsCommand({
        VpcId: vpcId,
        DhcpOptionsId: await dhcpOptions(['AmazonProvidedDNS']),
      }),
    );
    expect((await checkById(networkStep, context(), {})).get('network.dhcp')).toMatchObject({
      status: 'pass',
      summary: expect.stringMatching(
        new RegExp(
          `^dopt-\\w+ of default VPC ${vpcId} \\(a new VPC gets the same set\\): DNS servers AmazonProvidedDNS$`,
        ),
      ),
    });

    await ec2.send(
      new AssociateDhcpOptionsCommand({
        VpcId: vpcId,
        DhcpOptionsId: await dhcpOptions(['10.20.0.10', '10.20.0.11']),
      }),
    );
    const custom = (await checkById(networkStep, context(), {})).get('network.dhcp');
    expect(custom).toMatchObject({
      status: 'warn',
      summary: expect.stringContaining('DNS servers 10.20.0.10, 10.20.0.11'),
    });
    expect(custom?.fix).toContain('fs-0123.efs.us-east-1.amazonaws.com');
    expect(
      (await checkById(networkStep, context(), { resolvers: ['10.20.0.10', '10.20.0.11'] })).get(
        'network.dhcp',
      )?.status,
    ).toBe('pass');
  });
  it('without a default VPC, warns about any set in the region that may not resolve AWS names', async () => {
    const vpcId = await defaultVpcId();
    const subnets = await ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }),
    );
    for (const subnet of subnets.Subnets ?? [])
      await ec2.send(new DeleteSubnetCommand({ SubnetId: subnet.SubnetId }));
    const gateways = await ec2.send(
      new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: [vpcId] }] }),
    );
    for (const gateway of gateways.InternetGateways ?? []) {
      await ec2.send(
        new DetachInternetGatewayCommand({ InternetGatewayId: gateway.InternetGatewayId, VpcId: vpcId }),
      );
      await ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: gateway.InternetGatewayId }));
    }
    await ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
    await dhcpOptions(['AmazonProvidedDNS']);
    expect((await checkById(networkStep, context(), {})).get('network.dhcp')).toMatchObject({
      status: 'pass',
      summary: 'no default VPC; every DHCP option set in us-east-1 (1) resolves AWS names',
    });
    const custom = await dhcpOptions(['10.9.9.9']);
    expect((await checkById(networkStep, context(), {})).get('network.dhcp')).toMatchObject({
      status: 'warn',
      summary: `no default VPC to tell which set a new VPC gets; ${custom} (DNS servers 10.9.9.9) may not resolve AWS names`,
    });
  });
});

describe('network step, an existing VPC', () => {
  it('passes a VPC with private subnets on its main CIDR, a routed NAT gateway and DNS on', async () => {
    const { vpcId, privateIds, natGatewayId } = await wellFormedVpc();
    const results = await checkById(networkStep, context({ vpcId }), EXISTING);
    expect([...results.keys()]).toEqual([
      'network.dhcp',
      'network.privateSubnets',
      'network.natGateway',
      'network.dnsSupport',
      'network.dnsHostnames',
    ]);
    for (const result of results.values()) {
      expect(result.status, `${result.id}: ${result.summary}`).toBe('pass');
      expect(result.fix).toBeUndefined();
    }
    expect(results.get('network.privateSubnets')?.facts?.privateSubnets).toEqual(privateIds);
    expect(results.get('network.privateSubnets')?.summary).toContain('not counted: ');
    expect(results.get('network.natGateway')?.summary).toBe(`${natGatewayId} available`);
  });

  it('fails a VPC with one private subnet, naming what does not count and why', async () => {
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
    const vpcId = vpc.Vpc?.VpcId ?? '';
    await ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: vpcId, CidrBlock: '10.1.0.0/16' }));
    const good = await subnet(vpcId, '10.0.1.0/24', 'us-east-1a');
    const small = await subnet(vpcId, '10.0.2.0/28', 'us-east-1b');
    const secondary = await subnet(vpcId, '10.1.0.0/24', 'us-east-1b');

    const results = await checkById(networkStep, context({ vpcId }), EXISTING);
    const subnets = results.get('network.privateSubnets');
    expect(subnets).toMatchObject({
      status: 'fail',
      required: true,
      summary:
        `1 of 2 in ${vpcId}: ${good} 10.0.1.0/24 (us-east-1a); not counted: ` +
        `${small} 10.0.2.0/28: 16 addresses; ${secondary} 10.1.0.0/24: not on the main CIDR 10.0.0.0/16`,
    });
    expect(subnets?.fix).toContain('Add 1 private subnet(s) of /24 or larger inside 10.0.0.0/16');
    expect(results.get('network.natGateway')).toMatchObject({ status: 'fail', summary: 'no NAT gateway' });
    // moto creates VPCs with DNS resolution on and DNS hostnames off, as AWS does.
    expect(results.get('network.dnsSupport')?.status).toBe('pass');
    expect(results.get('network.dnsHostnames')).toMatchObject({
      status: 'fail',
      summary: 'disabled',
      fix: `aws ec2 modify-vpc-attribute --vpc-id ${vpcId} --enable-dns-hostnames '{"Value":true}' --region us-east-1`,
    });
  });

  it('does not count a subnet that routes to an internet gateway, and warns when private ones bypass the NAT', async () => {
    const { vpcId, privateIds } = await wellFormedVpc();
    const igw = await ec2.send(new CreateInternetGatewayCommand({}));
    const gatewayId = igw.InternetGateway?.InternetGatewayId ?? '';
    const publicId = await subnet(vpcId, '10.0.64.0/24', 'us-east-1c');
    await routeTable(vpcId, [publicId], { gatewayId });
    const unrouted = await subnet(vpcId, '10.0.65.0/24', 'us-east-1c');
    await routeTable(vpcId, [unrouted]);

    const results = await checkById(networkStep, context({ vpcId }), EXISTING);
    expect(results.get('network.privateSubnets')?.facts?.privateSubnets).toEqual([...privateIds, unrouted]);
    expect(results.get('network.privateSubnets')?.summary).toContain(
      `${publicId} 10.0.64.0/24: public: routes to ${gatewayId}`,
    );
    expect(results.get('network.natGateway')).toMatchObject({
      status: 'warn',
      summary: expect.stringContaining(`${unrouted} has no default route to a NAT gateway`),
    });
  });

  it('fails a VPC id that does not exist', async () => {
    const results = await checkById(networkStep, context({ vpcId: 'vpc-0123456789abcdef0' }), EXISTING);
    expect([...results.values()]).toEqual([
      expect.objectContaining({
        id: 'network.vpc',
        status: 'fail',
        summary: 'no VPC vpc-0123456789abcdef0 in us-east-1 of account 123456789012',
      }),
    ]);
  });
});
