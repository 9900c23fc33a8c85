import {
  DescribeAddressesCommand,
  DescribeAvailabilityZonesCommand,
  DescribeInstanceTypesCommand,
  type DescribeInstanceTypesCommandInput,
  DescribeVpcAttributeCommand,
  EC2Client,
  type Filter,
  paginateDescribeDhcpOptions,
  paginateDescribeImages,
  paginateDescribeInstances,
  paginateDescribeInstanceTypeOfferings,
  paginateDescribeNatGateways,
  paginateDescribeRouteTables,
  paginateDescribeSubnets,
  paginateDescribeVpcs,
} from '@aws-sdk/client-ec2';
import type { Ec2Port, MachineImage, RunningInstance, Subnet, Vpc } from './ec2-port.ts';
import type { PortAdapter } from './port-token.ts';

/** Ec2Port over the AWS SDK. Error mapping happens one level up, in aws-context.ts. */
export const ec2Adapter: PortAdapter<Ec2Port> = {
  create: (config) => {
    const client = new EC2Client(config);
    const pages = { client };

    async function instanceTypeVcpus(types: readonly string[]): Promise<Map<string, number>> {
      const vcpus = new Map<string, number>();
      const unique = [...new Set(types)];
      // DescribeInstanceTypes rejects the whole call when one type is unknown (InvalidInstanceType),
      // so a batch that fails that way is asked again one type at a time, and unknown types left out.
      for (let start = 0; start < unique.length; start += 100) {
        const batch = unique.slice(start, start + 100);
        try {
          const response = await client.send(
            new DescribeInstanceTypesCommand({
              InstanceTypes: batch as DescribeInstanceTypesCommandInput['InstanceTypes'],
            }),
          );
          for (const info of response.InstanceTypes ?? []) {
            if (info.InstanceType && info.VCpuInfo?.DefaultVCpus !== undefined)
              vcpus.set(info.InstanceType, info.VCpuInfo.DefaultVCpus);
          }
        } catch (error) {
          if ((error as { name?: string }).name !== 'InvalidInstanceType') throw error;
          if (batch.length === 1) continue;
          for (const type of batch) {
            for (const [known, count] of await instanceTypeVcpus([type])) vcpus.set(known, count);
          }
        }
      }
      return vcpus;
    }

    return {
      async describeAvailabilityZones() {
        const response = await client.send(
          new DescribeAvailabilityZonesCommand({ AllAvailabilityZones: true }),
        );
        return (response.AvailabilityZones ?? []).flatMap((zone) =>
          zone.ZoneName
            ? [
                {
                  name: zone.ZoneName,
                  zoneType: zone.ZoneType ?? 'availability-zone',
                  state: zone.State ?? 'available',
                  ...(zone.ZoneId ? { zoneId: zone.ZoneId } : {}),
                  ...(zone.OptInStatus ? { optInStatus: zone.OptInStatus } : {}),
                },
              ]
            : [],
        );
      },

      async instanceTypeZones(instanceTypes) {
        const zones = new Map<string, string[]>(instanceTypes.map((type) => [type, []]));
        if (instanceTypes.length === 0) return zones;
        const filters: Filter[] = [{ Name: 'instance-type', Values: [...new Set(instanceTypes)] }];
        for await (const page of paginateDescribeInstanceTypeOfferings(pages, {
          LocationType: 'availability-zone',
          Filters: filters,
        })) {
          for (const offering of page.InstanceTypeOfferings ?? []) {
            if (offering.InstanceType && offering.Location)
              zones.get(offering.InstanceType)?.push(offering.Location);
          }
        }
        return zones;
      },

      instanceTypeVcpus,

      async listRunningInstances() {
        const instances: RunningInstance[] = [];
        for await (const page of paginateDescribeInstances(pages, {
          Filters: [{ Name: 'instance-state-name', Values: ['pending', 'running'] }],
        })) {
          for (const reservation of page.Reservations ?? []) {
            for (const instance of reservation.Instances ?? []) {
              if (!instance.InstanceId || !instance.InstanceType) continue;
              instances.push({
                instanceId: instance.InstanceId,
                instanceType: instance.InstanceType,
                lifecycle: instance.InstanceLifecycle === 'spot' ? 'spot' : 'on-demand',
              });
            }
          }
        }
        return instances;
      },

      async describeVpcs(filter) {
        const vpcs: Vpc[] = [];
        try {
          for await (const page of paginateDescribeVpcs(pages, {
            ...(filter?.vpcIds ? { VpcIds: [...filter.vpcIds] } : {}),
            ...(filter?.isDefault !== undefined
              ? { Filters: [{ Name: 'is-default', Values: [String(filter.isDefault)] }] }
              : {}),
          })) {
            for (const vpc of page.Vpcs ?? []) {
              if (!vpc.VpcId) continue;
              vpcs.push({
                vpcId: vpc.VpcId,
                cidrBlock: vpc.CidrBlock ?? '',
                isDefault: vpc.IsDefault ?? false,
                dhcpOptionsId: vpc.DhcpOptionsId ?? 'default',
              });
            }
          }
        } catch (error) {
          if ((error as { name?: string }).name === 'InvalidVpcID.NotFound') return [];
          throw error;
        }
        return vpcs;
      },

      async describeVpcDnsAttributes(vpcId) {
        const [support, hostnames] = await Promise.all([
          client.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsSupport' })),
          client.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsHostnames' })),
        ]);
        return {
          dnsSupport: support.EnableDnsSupport?.Value ?? false,
          dnsHostnames: hostnames.EnableDnsHostnames?.Value ?? false,
        };
      },

      async describeDhcpOptions(ids) {
        const sets = [];
        for await (const page of paginateDescribeDhcpOptions(
          pages,
          ids ? { DhcpOptionsIds: [...ids] } : {},
        )) {
          for (const set of page.DhcpOptions ?? []) {
            if (!set.DhcpOptionsId) continue;
            const options: Record<string, string[]> = {};
            for (const configuration of set.DhcpConfigurations ?? []) {
              if (!configuration.Key) continue;
              options[configuration.Key] = (configuration.Values ?? []).flatMap((v) =>
                v.Value === undefined ? [] : [v.Value],
              );
            }
            sets.push({ dhcpOptionsId: set.DhcpOptionsId, options });
          }
        }
        return sets;
      },

      async describeSubnets(filter) {
        const subnets: Subnet[] = [];
        if ('subnetIds' in filter && filter.subnetIds.length === 0) return subnets;
        for await (const page of paginateDescribeSubnets(
          pages,
          'vpcId' in filter
            ? { Filters: [{ Name: 'vpc-id', Values: [filter.vpcId] }] }
            : { SubnetIds: [...filter.subnetIds] },
        )) {
          for (const subnet of page.Subnets ?? []) {
            if (!subnet.SubnetId) continue;
            subnets.push({
              subnetId: subnet.SubnetId,
              cidrBlock: subnet.CidrBlock ?? '',
              availabilityZone: subnet.AvailabilityZone ?? '',
              mapPublicIpOnLaunch: subnet.MapPublicIpOnLaunch ?? false,
            });
          }
        }
        return subnets;
      },

      async describeRouteTables(vpcId) {
        const tables = [];
        for await (const page of paginateDescribeRouteTables(pages, {
          Filters: [{ Name: 'vpc-id', Values: [vpcId] }],
        })) {
          for (const table of page.RouteTables ?? []) {
            if (!table.RouteTableId) continue;
            const associations = table.Associations ?? [];
            tables.push({
              routeTableId: table.RouteTableId,
              main: associations.some((association) => association.Main === true),
              subnetIds: associations.flatMap((association) =>
                association.SubnetId ? [association.SubnetId] : [],
              ),
              routes: (table.Routes ?? []).flatMap((route) => {
                const destination = route.DestinationCidrBlock ?? route.DestinationIpv6CidrBlock;
                const target =
                  route.NatGatewayId ??
                  route.GatewayId ??
                  route.TransitGatewayId ??
                  route.NetworkInterfaceId ??
                  route.VpcPeeringConnectionId ??
                  route.InstanceId;
                return destination && target ? [{ destination, target }] : [];
              }),
            });
          }
        }
        return tables;
      },

      async describeNatGateways(vpcId) {
        const gateways = [];
        for await (const page of paginateDescribeNatGateways(pages, {
          ...(vpcId ? { Filter: [{ Name: 'vpc-id', Values: [vpcId] }] } : {}),
        })) {
          for (const gateway of page.NatGateways ?? []) {
            if (!gateway.NatGatewayId || gateway.State === 'deleted') continue;
            gateways.push({
              natGatewayId: gateway.NatGatewayId,
              vpcId: gateway.VpcId ?? '',
              subnetId: gateway.SubnetId ?? '',
              state: gateway.State ?? 'available',
            });
          }
        }
        return gateways;
      },

      async countElasticIps() {
        const response = await client.send(
          new DescribeAddressesCommand({ Filters: [{ Name: 'domain', Values: ['vpc'] }] }),
        );
        return response.Addresses?.length ?? 0;
      },

      async findImages(query) {
        const filters: Filter[] = [{ Name: 'name', Values: [query.namePattern] }];
        // Shared with this account (an explicit launch permission), and the account's own copies (an
        // operator may have copied the image in). With owners given, only the vendor's images count: a
        // look-alike name from anyone else must never be picked.
        const scopes = query.owners?.length
          ? [{ ExecutableUsers: ['self'], Owners: [...query.owners] }]
          : [{ ExecutableUsers: ['self'] }, { Owners: ['self'] }];
        const found = new Map<string, MachineImage>();
        for (const scope of scopes) {
          for await (const page of paginateDescribeImages(pages, { ...scope, Filters: filters })) {
            for (const image of page.Images ?? []) {
              if (!image.ImageId) continue;
              found.set(image.ImageId, {
                imageId: image.ImageId,
                name: image.Name ?? '',
                ownerId: image.OwnerId ?? '',
                creationDate: image.CreationDate ?? '',
                state: image.State ?? 'available',
              });
            }
          }
        }
        return [...found.values()];
      },
    };
  },
};
