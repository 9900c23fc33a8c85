import { z } from 'zod';
import { defineStepConfig } from '../step-config.ts';

export type InstanceClass = 'standard' | 'g' | 'p' | 'x';

/** The EC2 vCPU quotas, and which running instances count against each. */
export const VCPU_QUOTAS = {
  'L-1216C47A': {
    name: 'Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances',
    instanceClass: 'standard',
    market: 'on-demand',
  },
  'L-DB2E81BA': { name: 'Running On-Demand G and VT instances', instanceClass: 'g', market: 'on-demand' },
  'L-417A185B': { name: 'Running On-Demand P instances', instanceClass: 'p', market: 'on-demand' },
  'L-7295265B': { name: 'Running On-Demand X instances', instanceClass: 'x', market: 'on-demand' },
  'L-34B43A08': {
    name: 'All Standard (A, C, D, H, I, M, R, T, Z) Spot Instance Requests',
    instanceClass: 'standard',
    market: 'spot',
  },
  'L-3819A6DF': { name: 'All G and VT Spot Instance Requests', instanceClass: 'g', market: 'spot' },
  'L-7212CCBC': { name: 'All P Spot Instance Requests', instanceClass: 'p', market: 'spot' },
  'L-E3A00192': { name: 'All X Spot Instance Requests', instanceClass: 'x', market: 'spot' },
} as const satisfies Record<
  string,
  { name: string; instanceClass: InstanceClass; market: 'on-demand' | 'spot' }
>;

export type VcpuQuotaCode = keyof typeof VCPU_QUOTAS;

export const NETWORK_QUOTAS = {
  vpcs: { serviceCode: 'vpc', quotaCode: 'L-F678F1CE', name: 'VPCs per Region' },
  elasticIps: { serviceCode: 'ec2', quotaCode: 'L-0263D0A3', name: 'EC2-VPC Elastic IPs' },
  natGatewaysPerZone: {
    serviceCode: 'vpc',
    quotaCode: 'L-FE5A380F',
    name: 'NAT gateways per Availability Zone',
  },
} as const;

export type NetworkNeed = keyof typeof NETWORK_QUOTAS;

const vcpuNeedSchema = z
  .object({
    quota: z.enum(Object.keys(VCPU_QUOTAS) as [VcpuQuotaCode, ...VcpuQuotaCode[]]).describe(
      `The EC2 vCPU quota: ${Object.entries(VCPU_QUOTAS)
        .map(([code, quota]) => `${code} ${quota.name}`)
        .join('; ')}.`,
    ),
    vcpus: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('vCPUs needed, headroom included: 34 = one m5.large (2) + two r5d.4xlarge (2 × 16).'),
    instances: z
      .array(
        z
          .object({
            type: z
              .string()
              .min(1)
              .describe('Instance type, or a reference: "{{answers.workerInstanceType}}".'),
            count: z.number().int().positive().default(1).describe('How many run at the same time.'),
          })
          .strict(),
      )
      .optional()
      .describe(
        'Or the instances that run at the same time: their vCPUs are looked up in EC2 and added, so a ' +
          'smaller instance type chosen by the operator needs less.',
      ),
    why: z.string().optional().describe('Shown beside the need: "a second worker warms up while one runs".'),
    required: z
      .boolean()
      .default(true)
      .describe('false for optional features (spot workers): a shortfall then warns instead of failing.'),
  })
  .strict()
  .refine((need) => (need.vcpus === undefined) !== (need.instances === undefined), {
    message: 'give either vcpus or instances',
  });

const configSchema = z
  .object({
    vcpus: z.array(vcpuNeedSchema).default([]).describe('EC2 vCPU quotas the platform needs room in.'),
    vpcs: z.number().int().min(0).default(0).describe('VPCs a new deployment creates (L-F678F1CE).'),
    elasticIps: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe('Elastic IPs a new deployment allocates, one per zone with a NAT gateway (L-0263D0A3).'),
    natGatewaysPerZone: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe('NAT gateways a new deployment creates in each zone (L-FE5A380F).'),
    existingVpcFrom: z
      .string()
      .optional()
      .describe(
        'Where the id of an existing VPC comes from ("{{answers.vpcId}}"): when it has a value, no VPC, ' +
          'Elastic IP or NAT gateway is created, and those quotas are not checked.',
      ),
  })
  .strict();

export type VcpuNeed = z.output<typeof vcpuNeedSchema>;

/** What a blueprint may say to a `quotas` step (zod only); what the step does is in quotas-step.ts. */
export const quotasConfig = defineStepConfig({
  kind: 'quotas',
  description:
    'Service quotas have room for what the platform creates (vCPUs, VPCs, Elastic IPs, NAT gateways)',
  configSchema,
  outputs: [],
});

export type QuotasConfig = z.output<typeof quotasConfig.configSchema>;
