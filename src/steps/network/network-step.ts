import type { DhcpOptionsSet, Ec2Port, RouteTable, Subnet, Vpc } from '../../aws/ec2-port.ts';
import { ec2Port } from '../../aws/ec2-port.ts';
import { resolveValue } from '../../blueprint/references.ts';
import { addressAfterBase, addressCount, cidrContains } from '../../cidr.ts';
import { StackguideError } from '../../errors.ts';
import { type CheckResult, defineStep, type StepContext } from '../step.ts';
import { type NetworkConfig, networkConfig } from './network-config.ts';

/**
 * Networking the platform relies on (seed 000, "Networking"): DHCP options whose DNS servers resolve
 * AWS names (EFS mounts by `fs-….efs.<region>.amazonaws.com`), and, when deploying into an existing VPC,
 * enough private subnets on its main CIDR, a NAT gateway, and DNS resolution and hostnames switched on.
 * Check only: an existing VPC belongs to the operator, so every fix is a command for them to run.
 */

/** Addresses of the Amazon DNS server besides its keyword: the link-local IPv4 and IPv6 ones. */
const AMAZON_DNS = ['AmazonProvidedDNS', '169.254.169.253', 'fd00:ec2::253'];

export const networkStep = defineStep({
  ...networkConfig,

  async check(context, config): Promise<CheckResult[]> {
    const ec2 = context.aws.use(ec2Port);
    const vpcId = existingVpcId(context, config);
    if (!vpcId) return [await defaultDhcpResult(context, ec2, config)];

    const vpc = /^vpc-[0-9a-f]+$/.test(vpcId) ? (await ec2.describeVpcs({ vpcIds: [vpcId] }))[0] : undefined;
    if (!vpc) {
      return [
        {
          id: `${context.stepId}.vpc`,
          step: context.stepId,
          title: `Existing VPC ${vpcId}`,
          status: 'fail',
          summary: `no VPC ${vpcId} in ${context.region} of account ${context.account}`,
          required: true,
          fix: `Check the VPC id (${config.vpcIdFrom}) and the region: aws ec2 describe-vpcs --region ${context.region}`,
        },
      ];
    }
    const [subnets, routeTables, gateways, dns, dhcp] = await Promise.all([
      ec2.describeSubnets({ vpcId }),
      ec2.describeRouteTables(vpcId),
      ec2.describeNatGateways(vpcId),
      ec2.describeVpcDnsAttributes(vpcId),
      vpc.dhcpOptionsId === 'default' ? Promise.resolve([]) : ec2.describeDhcpOptions([vpc.dhcpOptionsId]),
    ]);
    const layout = classifySubnets(vpc, subnets, routeTables, config);
    return [
      dhcpResult(context, config, dhcp[0], vpc, `VPC ${vpc.vpcId}`),
      privateSubnetsResult(context, config, vpc, layout),
      natGatewayResult(context, vpc, gateways, layout),
      dnsAttributeResult(context, vpc, 'dnsSupport', dns.dnsSupport),
      dnsAttributeResult(context, vpc, 'dnsHostnames', dns.dnsHostnames),
    ];
  },
});

function existingVpcId(context: StepContext, config: NetworkConfig): string {
  if (!config.vpcIdFrom) return '';
  const scope = {
    deployment: context.deployment,
    region: context.region,
    account: context.account,
    answers: context.answers,
    stackOutputs: {},
    stepOutputs: context.stepOutputs,
  };
  try {
    return resolveValue(config.vpcIdFrom, scope, `steps.${context.stepId}.vpcIdFrom`).trim();
  } catch (error) {
    // An unanswered optional question means no existing VPC: the deployment creates one.
    if (error instanceof StackguideError && error.code === 'reference.unresolved') return '';
    throw error;
  }
}

/**
 * A new VPC gets the region's default DHCP option set, the one the default VPC uses. Without a default
 * VPC that set cannot be told apart, so every set in the region must resolve AWS names.
 */
async function defaultDhcpResult(
  context: StepContext,
  ec2: Ec2Port,
  config: NetworkConfig,
): Promise<CheckResult> {
  const defaultVpc = (await ec2.describeVpcs({ isDefault: true }))[0];
  if (defaultVpc) {
    const set =
      defaultVpc.dhcpOptionsId === 'default'
        ? undefined
        : (await ec2.describeDhcpOptions([defaultVpc.dhcpOptionsId]))[0];
    return dhcpResult(
      context,
      config,
      set,
      defaultVpc,
      `default VPC ${defaultVpc.vpcId} (a new VPC gets the same set)`,
    );
  }
  const sets = await ec2.describeDhcpOptions();
  const bad = sets.filter((set) => judgeServers(set, config).status !== 'pass');
  return {
    id: `${context.stepId}.dhcp`,
    step: context.stepId,
    title: 'DHCP options resolve AWS names',
    status: bad.length === 0 ? 'pass' : 'warn',
    summary:
      bad.length === 0
        ? `no default VPC; every DHCP option set in ${context.region} (${sets.length}) resolves AWS names`
        : `no default VPC to tell which set a new VPC gets; ${bad.map((set) => `${set.dhcpOptionsId} (${judgeServers(set, config).found})`).join(', ')} may not resolve AWS names`,
    required: true,
    ...(bad.length === 0
      ? {}
      : {
          fix: `Make sure the region's default DHCP option set uses AmazonProvidedDNS: aws ec2 describe-dhcp-options --region ${context.region}`,
        }),
  };
}

function judgeServers(
  set: DhcpOptionsSet,
  config: NetworkConfig,
  vpc?: Vpc,
): { status: 'pass' | 'warn' | 'fail'; found: string } {
  const servers = set.options['domain-name-servers'] ?? [];
  if (servers.length === 0) return { status: 'fail', found: 'no DNS servers' };
  const amazon = [...AMAZON_DNS, ...(vpc ? [amazonDnsAddress(vpc.cidrBlock)] : [])];
  const unknown = servers.filter((server) => !amazon.includes(server) && !config.resolvers.includes(server));
  // A client asks the first server and takes its NXDOMAIN as final, so every server must resolve them.
  return { status: unknown.length === 0 ? 'pass' : 'warn', found: `DNS servers ${servers.join(', ')}` };
}

function dhcpResult(
  context: StepContext,
  config: NetworkConfig,
  set: DhcpOptionsSet | undefined,
  vpc: Vpc,
  whose: string,
): CheckResult {
  const base = {
    id: `${context.stepId}.dhcp`,
    step: context.stepId,
    title: 'DHCP options resolve AWS names',
    required: true,
  };
  const useAmazon =
    `aws ec2 create-dhcp-options --dhcp-configurations "Key=domain-name-servers,Values=AmazonProvidedDNS" --region ${context.region}, ` +
    `then aws ec2 associate-dhcp-options --dhcp-options-id <the new id> --vpc-id ${vpc.vpcId} --region ${context.region}`;
  if (!set) {
    return {
      ...base,
      status: 'warn',
      summary: `${whose} has no DHCP option set: Nitro instances use the Amazon DNS server, older Xen-based ones get none`,
      fix: `Give the VPC a DHCP option set with AmazonProvidedDNS: ${useAmazon}`,
    };
  }
  const { status, found } = judgeServers(set, config, vpc);
  const example = `fs-0123.efs.${context.region}.amazonaws.com`;
  return {
    ...base,
    status,
    summary: `${set.dhcpOptionsId} of ${whose}: ${found}`,
    facts: { dhcpOptionsId: set.dhcpOptionsId, servers: set.options['domain-name-servers'] ?? [] },
    ...(status === 'pass'
      ? {}
      : {
          fix:
            status === 'fail'
              ? `Instances would get no DNS server. Use AmazonProvidedDNS: ${useAmazon}`
              : `Make sure every one of these servers resolves AWS names such as ${example} (forward amazonaws.com to ` +
                `the Amazon DNS server ${amazonDnsAddress(vpc.cidrBlock)} or 169.254.169.253), then list them under ` +
                `resolvers in the blueprint step; or use AmazonProvidedDNS: ${useAmazon}`,
        }),
  };
}

interface SubnetLayout {
  /** Private subnets on the main CIDR, large enough. */
  qualifying: Subnet[];
  /** Every other subnet, with why it does not count. */
  rejected: Array<{ subnet: Subnet; reason: string }>;
  routeTableOf: (subnet: Subnet) => RouteTable | undefined;
}

function classifySubnets(
  vpc: Vpc,
  subnets: Subnet[],
  routeTables: RouteTable[],
  config: NetworkConfig,
): SubnetLayout {
  const main = routeTables.find((table) => table.main);
  const routeTableOf = (subnet: Subnet) =>
    routeTables.find((table) => table.subnetIds.includes(subnet.subnetId)) ?? main;
  const qualifying: Subnet[] = [];
  const rejected: SubnetLayout['rejected'] = [];
  for (const subnet of [...subnets].sort((a, b) => a.cidrBlock.localeCompare(b.cidrBlock))) {
    const gateway = routeTableOf(subnet)?.routes.find(
      (route) => ['0.0.0.0/0', '::/0'].includes(route.destination) && route.target.startsWith('igw-'),
    );
    const size = addressCount(subnet.cidrBlock);
    if (gateway) rejected.push({ subnet, reason: `public: routes to ${gateway.target}` });
    else if (!cidrContains(vpc.cidrBlock, subnet.cidrBlock))
      rejected.push({ subnet, reason: `not on the main CIDR ${vpc.cidrBlock}` });
    else if (size < config.minSubnetAddresses) rejected.push({ subnet, reason: `${size} addresses` });
    else qualifying.push(subnet);
  }
  return { qualifying, rejected, routeTableOf };
}

function privateSubnetsResult(
  context: StepContext,
  config: NetworkConfig,
  vpc: Vpc,
  layout: SubnetLayout,
): CheckResult {
  const describe = (subnet: Subnet) => `${subnet.subnetId} ${subnet.cidrBlock} (${subnet.availabilityZone})`;
  const zones = new Set(layout.qualifying.map((subnet) => subnet.availabilityZone));
  const enough = layout.qualifying.length >= config.minPrivateSubnets;
  const status = !enough ? 'fail' : zones.size < Math.min(2, config.minPrivateSubnets) ? 'warn' : 'pass';
  const rejected = layout.rejected.map(
    ({ subnet, reason }) => `${subnet.subnetId} ${subnet.cidrBlock}: ${reason}`,
  );
  const prefix = 32 - Math.ceil(Math.log2(config.minSubnetAddresses));
  return {
    id: `${context.stepId}.privateSubnets`,
    step: context.stepId,
    title: `${config.minPrivateSubnets} private subnets on the main CIDR with ${config.minSubnetAddresses}+ addresses`,
    status,
    summary:
      `${layout.qualifying.length} of ${config.minPrivateSubnets} in ${vpc.vpcId}` +
      (layout.qualifying.length > 0 ? `: ${layout.qualifying.map(describe).join(', ')}` : '') +
      (rejected.length > 0 ? `; not counted: ${rejected.join('; ')}` : ''),
    required: true,
    facts: {
      vpcId: vpc.vpcId,
      privateSubnets: layout.qualifying.map((subnet) => subnet.subnetId),
      notCounted: layout.rejected.map(({ subnet }) => subnet.subnetId),
    },
    ...(status === 'fail'
      ? {
          fix:
            `Add ${config.minPrivateSubnets - layout.qualifying.length} private subnet(s) of /${prefix} or larger inside ${vpc.cidrBlock}, ` +
            `in different zones, with no route to an internet gateway: aws ec2 create-subnet --vpc-id ${vpc.vpcId} ` +
            `--cidr-block <a free /${prefix} in ${vpc.cidrBlock}> --availability-zone <zone> --region ${context.region}`,
        }
      : status === 'warn'
        ? {
            fix: `They are all in ${[...zones].join(', ')}: add one in another zone so the platform survives a zone outage.`,
          }
        : {}),
  };
}

function natGatewayResult(
  context: StepContext,
  vpc: Vpc,
  gateways: Array<{ natGatewayId: string; state: string }>,
  layout: SubnetLayout,
): CheckResult {
  const base = {
    id: `${context.stepId}.natGateway`,
    step: context.stepId,
    title: `NAT gateway in ${vpc.vpcId}`,
    required: true,
  };
  const available = gateways.filter((gateway) => gateway.state === 'available');
  if (available.length === 0) {
    const others = gateways.map((gateway) => `${gateway.natGatewayId} (${gateway.state})`).join(', ');
    return {
      ...base,
      status: 'fail',
      summary: gateways.length === 0 ? 'no NAT gateway' : `none available: ${others}`,
      fix:
        `Create one in a public subnet and route the private subnets' 0.0.0.0/0 to it: aws ec2 create-nat-gateway ` +
        `--subnet-id <a public subnet of ${vpc.vpcId}> --allocation-id <an Elastic IP allocation> --region ${context.region}, ` +
        'then aws ec2 create-route --route-table-id <the private route table> --destination-cidr-block 0.0.0.0/0 --nat-gateway-id <its id>',
    };
  }
  const unrouted = layout.qualifying.filter(
    (subnet) =>
      !layout
        .routeTableOf(subnet)
        ?.routes.some((route) => route.destination === '0.0.0.0/0' && route.target.startsWith('nat-')),
  );
  const ids = available.map((gateway) => gateway.natGatewayId).join(', ');
  return {
    ...base,
    status: unrouted.length === 0 ? 'pass' : 'warn',
    summary:
      `${ids} available` +
      (unrouted.length > 0
        ? `; ${unrouted.map((subnet) => subnet.subnetId).join(', ')} ha${unrouted.length === 1 ? 's' : 've'} no default route to a NAT gateway`
        : ''),
    facts: { natGateways: available.map((gateway) => gateway.natGatewayId) },
    ...(unrouted.length > 0
      ? {
          fix: `Route 0.0.0.0/0 of their route tables to ${available[0]?.natGatewayId}: aws ec2 create-route --route-table-id <route table> --destination-cidr-block 0.0.0.0/0 --nat-gateway-id ${available[0]?.natGatewayId} --region ${context.region}`,
        }
      : {}),
  };
}

function dnsAttributeResult(
  context: StepContext,
  vpc: Vpc,
  attribute: 'dnsSupport' | 'dnsHostnames',
  enabled: boolean,
): CheckResult {
  const label = attribute === 'dnsSupport' ? 'DNS resolution' : 'DNS hostnames';
  const flag = attribute === 'dnsSupport' ? '--enable-dns-support' : '--enable-dns-hostnames';
  return {
    id: `${context.stepId}.${attribute}`,
    step: context.stepId,
    title: `${label} in ${vpc.vpcId}`,
    status: enabled ? 'pass' : 'fail',
    summary: enabled ? 'enabled' : 'disabled',
    required: true,
    ...(enabled
      ? {}
      : {
          fix: `aws ec2 modify-vpc-attribute --vpc-id ${vpc.vpcId} ${flag} '{"Value":true}' --region ${context.region}`,
        }),
  };
}

/** The Amazon DNS server sits at the base of the VPC's primary range plus two. */
function amazonDnsAddress(vpcCidr: string): string {
  return addressAfterBase(vpcCidr, 2) ?? 'the VPC base address + 2';
}
