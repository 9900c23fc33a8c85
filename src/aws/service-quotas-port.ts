import { portToken } from './port-token.ts';

/** The Service Quotas calls stackguide makes: reading one quota's value for the quotas check. */
export interface ServiceQuotasPort {
  /**
   * The quota as it applies to this account: the applied value (GetServiceQuota), else AWS's default
   * (GetAWSDefaultServiceQuota) where no applied value is kept; undefined when neither is known.
   */
  getQuota(serviceCode: string, quotaCode: string): Promise<Quota | undefined>;
}

export interface Quota {
  serviceCode: string;
  quotaCode: string;
  name: string;
  value: number;
  adjustable: boolean;
  /** Where the value came from. */
  source: 'applied' | 'default';
}

export const serviceQuotasPort = portToken<ServiceQuotasPort>(
  'Service Quotas',
  { getQuota: true },
  'AWS_ENDPOINT_URL_SERVICE_QUOTAS',
);
