import {
  GetAWSDefaultServiceQuotaCommand,
  GetServiceQuotaCommand,
  type ServiceQuota,
  ServiceQuotasClient,
} from '@aws-sdk/client-service-quotas';
import type { PortAdapter } from './port-token.ts';
import type { Quota, ServiceQuotasPort } from './service-quotas-port.ts';

/**
 * ServiceQuotasPort over the AWS SDK. Error mapping happens one level up, in aws-context.ts, which also
 * lets AWS_ENDPOINT_URL_SERVICE_QUOTAS win over `--endpoint-url` (moto keeps no account's quotas).
 */
export const serviceQuotasAdapter: PortAdapter<ServiceQuotasPort> = {
  create: (config) => {
    const client = new ServiceQuotasClient(config);
    return {
      async getQuota(serviceCode, quotaCode) {
        try {
          const response = await client.send(
            new GetServiceQuotaCommand({ ServiceCode: serviceCode, QuotaCode: quotaCode }),
          );
          if (response.Quota?.Value !== undefined) return toQuota(response.Quota, 'applied');
        } catch (error) {
          // No applied value is kept for this quota: its default applies.
          if ((error as { name?: string }).name !== 'NoSuchResourceException') throw error;
        }
        try {
          const response = await client.send(
            new GetAWSDefaultServiceQuotaCommand({ ServiceCode: serviceCode, QuotaCode: quotaCode }),
          );
          return response.Quota?.Value !== undefined ? toQuota(response.Quota, 'default') : undefined;
        } catch (error) {
          if ((error as { name?: string }).name === 'NoSuchResourceException') return undefined;
          throw error;
        }
      },
    };
  },
};

function toQuota(quota: ServiceQuota, source: Quota['source']): Quota {
  return {
    serviceCode: quota.ServiceCode ?? '',
    quotaCode: quota.QuotaCode ?? '',
    name: quota.QuotaName ?? quota.QuotaCode ?? '',
    value: quota.Value ?? 0,
    adjustable: quota.Adjustable ?? false,
    source,
  };
}
