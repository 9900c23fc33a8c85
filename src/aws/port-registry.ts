import { StackguideError } from '../errors.ts';
import { acmPort } from './acm-port.ts';
import { cloudFormationPort } from './cloudformation-port.ts';
import { codeCommitPort } from './codecommit-port.ts';
import { costExplorerPort } from './cost-explorer-port.ts';
import { ebsPort } from './ebs-port.ts';
import { ec2Port } from './ec2-port.ts';
import { ecrPort } from './ecr-port.ts';
import { iamPort } from './iam-port.ts';
import { identityPort } from './identity-port.ts';
import { organizationsPort } from './organizations-port.ts';
import type { AsyncPort, PortAdapter, PortRegistry, PortToken } from './port-token.ts';
import { rdsPort } from './rds-port.ts';
import { route53Port } from './route53-port.ts';
import { s3Port } from './s3-port.ts';
import { secretsManagerPort } from './secrets-manager-port.ts';
import { serviceQuotasPort } from './service-quotas-port.ts';
import { sesv2Port } from './sesv2-port.ts';
import { ssmPort } from './ssm-port.ts';
import { taggingPort } from './tagging-port.ts';

type Loader = () => Promise<PortAdapter<object>>;

/** Ties a token to its adapter's type, so a token can never be served by another port's adapter. */
function serve<T extends AsyncPort<T>>(
  token: PortToken<T>,
  load: () => Promise<PortAdapter<T>>,
): [object, Loader] {
  return [token, load];
}

/**
 * Which adapter serves each port token: the one place outside an adapter that names one. Each entry is a
 * lazy `import()`, so a run loads the SDK clients of the ports it calls and no others (`validate` and
 * `--help` load none; the bundle puts each adapter in its own chunk). The composition root hands this
 * registry to `createAwsSession`; a test hands one where some tokens are served by fakes
 * (`test/support/fake-ports.ts`).
 */
const loaders = new Map<object, Loader>([
  serve(acmPort, async () => (await import('./acm-adapter.ts')).acmAdapter),
  serve(cloudFormationPort, async () => (await import('./cloudformation-adapter.ts')).cloudFormationAdapter),
  serve(codeCommitPort, async () => (await import('./codecommit-adapter.ts')).codeCommitAdapter),
  serve(costExplorerPort, async () => (await import('./cost-explorer-adapter.ts')).costExplorerAdapter),
  serve(ebsPort, async () => (await import('./ebs-adapter.ts')).ebsAdapter),
  serve(ec2Port, async () => (await import('./ec2-adapter.ts')).ec2Adapter),
  serve(ecrPort, async () => (await import('./ecr-adapter.ts')).ecrAdapter),
  serve(iamPort, async () => (await import('./iam-adapter.ts')).iamAdapter),
  serve(identityPort, async () => (await import('./identity-adapter.ts')).identityAdapter),
  serve(organizationsPort, async () => (await import('./organizations-adapter.ts')).organizationsAdapter),
  serve(rdsPort, async () => (await import('./rds-adapter.ts')).rdsAdapter),
  serve(route53Port, async () => (await import('./route53-adapter.ts')).route53Adapter),
  serve(s3Port, async () => (await import('./s3-adapter.ts')).s3Adapter),
  serve(secretsManagerPort, async () => (await import('./secrets-manager-adapter.ts')).secretsManagerAdapter),
  serve(serviceQuotasPort, async () => (await import('./service-quotas-adapter.ts')).serviceQuotasAdapter),
  serve(sesv2Port, async () => (await import('./sesv2-adapter.ts')).sesv2Adapter),
  serve(ssmPort, async () => (await import('./ssm-adapter.ts')).ssmAdapter),
  serve(taggingPort, async () => (await import('./tagging-adapter.ts')).taggingAdapter),
]);

export const portRegistry: PortRegistry = {
  async adapterFor<T extends AsyncPort<T>>(token: PortToken<T>): Promise<PortAdapter<T>> {
    const load = loaders.get(token);
    if (!load)
      throw new StackguideError(`No adapter is registered for the ${token.service} port`, {
        code: 'aws.port-unregistered',
        kind: 'bug',
      });
    return (await load()) as PortAdapter<T>;
  },
};
