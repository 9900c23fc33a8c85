import {
  GetAWSDefaultServiceQuotaCommand,
  GetServiceQuotaCommand,
  type ServiceQuota,
  ServiceQuotasClient,
} from '@aws-sdk/client-service-quotas';
import type { AwsClientConfig, PortFactory } from './aws-context.ts';
import type { Quota, ServiceQuotasPort } from './service-quotas-port.ts';

/**
 * ServiceQuotasPort over the AWS SDK. Error mapping happens one level up, in aws-context.ts.
 *
 * `--endpoint-url` points every client at one emulator, and moto keeps no account's quotas. So, as
 * AWS_ENDPOINT_URL_SERVICE_QUOTAS already wins over AWS_ENDPOINT_URL in the SDK, it wins over
 * `--endpoint-url` here too: the client is then built without the shared endpoint and the SDK reads
 * the variable itself.
 */
export const serviceQuotasPort: PortFactory<ServiceQuotasPort> = {
  service: 'Service Quotas',
  create: (config) => {
    const client = new ServiceQuotasClient(withServiceEndpoint(config));
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

function withServiceEndpoint(config: AwsClientConfig): AwsClientConfig {
  if (!process.env.AWS_ENDPOINT_URL_SERVICE_QUOTAS) return config;
  const { endpoint: _shared, ...rest } = config;
  return rest;
}

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
