import { portToken } from './port-token.ts';

/**
 * The EC2 calls the preparation steps make, all read-only: zones and what they offer, the account's
 * running instances and network usage (for quotas), shared AMIs, and an existing VPC's layout.
 * `ec2-adapter.ts` maps them onto the SDK.
 */
export interface Ec2Port {
  /** Every zone of the region, opt-in zones included (AllAvailabilityZones). */
  describeAvailabilityZones(): Promise<AvailabilityZone[]>;
  /** For each instance type asked about, the zones that offer it; a type offered nowhere maps to []. */
  instanceTypeZones(instanceTypes: readonly string[]): Promise<Map<string, string[]>>;
  /** Default vCPUs per instance type; types EC2 does not know are absent. */
  instanceTypeVcpus(instanceTypes: readonly string[]): Promise<Map<string, number>>;
  /** Instances that count against vCPU quotas: pending and running. */
  listRunningInstances(): Promise<RunningInstance[]>;
  /** VPCs of the region, or those named (an unknown id gives none), or the default one. */
  describeVpcs(filter?: { vpcIds?: readonly string[]; isDefault?: boolean }): Promise<Vpc[]>;
  describeVpcDnsAttributes(vpcId: string): Promise<{ dnsSupport: boolean; dnsHostnames: boolean }>;
  describeDhcpOptions(ids?: readonly string[]): Promise<DhcpOptionsSet[]>;
  /** The subnets of one VPC, or the subnets named. */
  describeSubnets(filter: { vpcId: string } | { subnetIds: readonly string[] }): Promise<Subnet[]>;
  describeRouteTables(vpcId: string): Promise<RouteTable[]>;
  /** NAT gateways of the region, or of one VPC; deleted ones left out. */
  describeNatGateways(vpcId?: string): Promise<NatGateway[]>;
  /** Elastic IP addresses allocated in the region (VPC domain). */
  countElasticIps(): Promise<number>;
  /** Images matching a name pattern that this account may launch: shared with it, or its own. */
  findImages(query: ImageQuery): Promise<MachineImage[]>;
}

export interface AvailabilityZone {
  name: string;
  zoneId?: string;
  /** availability-zone, local-zone or wavelength-zone. */
  zoneType: string;
  /** available, information, impaired, unavailable, constrained. */
  state: string;
  /** opt-in-not-required, opted-in, not-opted-in; absent where the endpoint does not say. */
  optInStatus?: string;
}

export interface RunningInstance {
  instanceId: string;
  instanceType: string;
  /** `spot` for Spot Instances; on-demand otherwise. */
  lifecycle: 'spot' | 'on-demand';
}

export interface Vpc {
  vpcId: string;
  /** The primary ("main") IPv4 CIDR block. */
  cidrBlock: string;
  isDefault: boolean;
  /** `default` when the VPC has no DHCP option set. */
  dhcpOptionsId: string;
}

export interface DhcpOptionsSet {
  dhcpOptionsId: string;
  /** Values by key: `domain-name-servers`, `domain-name`, ... */
  options: Record<string, string[]>;
}

export interface Subnet {
  subnetId: string;
  cidrBlock: string;
  availabilityZone: string;
  mapPublicIpOnLaunch: boolean;
}

export interface RouteTable {
  routeTableId: string;
  main: boolean;
  subnetIds: string[];
  routes: Array<{ destination: string; target: string }>;
}

export interface NatGateway {
  natGatewayId: string;
  vpcId: string;
  subnetId: string;
  /** pending, available, failed, deleting (deleted ones are left out). */
  state: string;
}

export interface ImageQuery {
  /** A DescribeImages name filter, `*` and `?` wildcards: `codeocean-vpc-amzn2-*`. */
  namePattern: string;
  /** Only images owned by these accounts (the vendor's), when given. */
  owners?: readonly string[];
}

export interface MachineImage {
  imageId: string;
  name: string;
  ownerId: string;
  /** ISO 8601, as EC2 reports it. */
  creationDate: string;
  state: string;
}

export const ec2Port = portToken<Ec2Port>(
  'EC2',
  {
    describeAvailabilityZones: true,
    instanceTypeZones: true,
    instanceTypeVcpus: true,
    listRunningInstances: true,
    describeVpcs: true,
    describeVpcDnsAttributes: true,
    describeDhcpOptions: true,
    describeSubnets: true,
    describeRouteTables: true,
    describeNatGateways: true,
    countElasticIps: true,
    findImages: true,
  },
  'AWS_ENDPOINT_URL_EC2',
);
