import { EC2Client, ModifyImageAttributeCommand, RegisterImageCommand } from '@aws-sdk/client-ec2';
import { type CostExplorerStandIn, startCostExplorerStandIn } from '../standins/cost-explorer-server.ts';
import { type RegistryLoginStandIn, startRegistryLoginStandIn } from '../standins/registry-login-server.ts';
import { type ServiceQuotasStandIn, startServiceQuotasStandIn } from '../standins/service-quotas-server.ts';
import { type SesV2StandIn, startSesV2StandIn } from '../standins/sesv2-server.ts';
import { type MotoServer, startMotoServer } from './moto-server.ts';

/**
 * Everything an account-preparation run talks to, on loopback: moto for what it implements, and the
 * stand-ins for what it lacks (SESv2 account calls, Cost Explorer, Service Quotas) and for the registry's
 * login endpoint. `env` points a CLI at all of it the way an operator would: `--endpoint-url` (or
 * AWS_ENDPOINT_URL) for moto, AWS_ENDPOINT_URL_<SERVICE> for the rest.
 */
export interface AccountPrepTarget {
  moto: MotoServer;
  ses: SesV2StandIn;
  costExplorer: CostExplorerStandIn;
  quotas: ServiceQuotasStandIn;
  registry: RegistryLoginStandIn;
  env: Record<string, string>;
  /** Registers an image named `name` in the operator's account, launchable by it (moto has no sharing). */
  shareImage(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** `motoEnv` goes to moto's environment (for example MOTO_ACM_VALIDATION_WAIT). */
export async function startAccountPrepTarget(
  motoEnv: Record<string, string> = {},
): Promise<AccountPrepTarget> {
  const [moto, ses, costExplorer, quotas, registry] = await Promise.all([
    startMotoServer(motoEnv),
    startSesV2StandIn(),
    startCostExplorerStandIn(),
    startServiceQuotasStandIn(),
    startRegistryLoginStandIn(),
  ]);
  const env = {
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_ENDPOINT_URL_SESV2: ses.endpoint,
    AWS_ENDPOINT_URL_COST_EXPLORER: costExplorer.endpoint,
    AWS_ENDPOINT_URL_SERVICE_QUOTAS: quotas.endpoint,
    STACKGUIDE_REGISTRY_LOGIN_URL: registry.loginUrl,
  };
  const ec2 = new EC2Client({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  return {
    moto,
    ses,
    costExplorer,
    quotas,
    registry,
    env,
    async shareImage(name) {
      const image = await ec2.send(new RegisterImageCommand({ Name: name, RootDeviceName: '/dev/xvda' }));
      await ec2.send(
        new ModifyImageAttributeCommand({
          ImageId: image.ImageId,
          LaunchPermission: { Add: [{ UserId: '123456789012' }] },
        }),
      );
      return image.ImageId ?? '';
    },
    async stop() {
      ec2.destroy();
      await Promise.all([moto.stop(), ses.stop(), costExplorer.stop(), quotas.stop(), registry.stop()]);
    },
  };
}
