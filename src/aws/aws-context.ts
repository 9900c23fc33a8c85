import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { HttpHandler } from '@smithy/core/protocols';
import { AwsCallGuard, type AwsExchange, type AwsTimeouts, DEFAULT_AWS_TIMEOUTS } from './aws-call-guard.ts';
import { type AwsErrorContext, toAwsError } from './aws-errors.ts';
import { type ConfiguredEndpoints, endpointFor } from './aws-settings.ts';
import { cloudFormationAdapter } from './cloudformation-adapter.ts';
import type { CloudFormationPort } from './cloudformation-port.ts';
import { identityAdapter } from './identity-adapter.ts';
import type { IdentityPort } from './identity-port.ts';

/**
 * AWS access in one place. Every client is built here from the same resolved region, credentials,
 * endpoint override and retry policy; everything else sees only ports.
 */
export interface AwsSettings {
  profile?: string;
  /** `--endpoint-url`: one endpoint for every service (an emulator). Without it the SDK itself honours
   * AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>; with it, a service's own variable still wins (see
   * `PortFactory.endpointVariable`). */
  endpointUrl?: string;
  /** Asked once when a profile needs an MFA code; the composition root wires it to a prompt that runs
   * before any renderer starts. */
  mfaCodeProvider?: (serialArn: string) => Promise<string>;
  /** Total attempts per call, retries included (AWS_MAX_ATTEMPTS overrides the default). */
  maxAttempts?: number;
  /** AWS_ENDPOINT_URL_<SERVICE> by variable, as the composition root read them (src/settings.ts). */
  serviceEndpoints?: Readonly<Record<string, string>>;
  /** Connect and read timeouts and the call deadline; each falls back to DEFAULT_AWS_TIMEOUTS. */
  timeouts?: Partial<AwsTimeouts>;
  /** The run's signal: when it aborts, every call in flight ends at once with its reason. */
  signal?: AbortSignal;
  /** Told of every HTTP exchange with AWS (--debug). */
  trace?: (exchange: AwsExchange) => void;
  /**
   * Endpoints configured below `--endpoint-url` and the service variables: AWS_ENDPOINT_URL, then the
   * profile's services section and endpoint_url (src/aws/aws-settings.ts resolves them).
   */
  configuredEndpoints?: ConfiguredEndpoints;
  /** The shared files the profile was read from, named in credential errors. */
  configFile?: string;
  credentialsFile?: string;
}

/** One set of credentials for the whole run; contexts per region share it. */
export interface AwsSession {
  forRegion(region: string): AwsContext;
}

export interface AwsContext {
  readonly region: string;
  readonly cloudFormation: CloudFormationPort;
  readonly identity: IdentityPort;
  /**
   * The port a factory builds, made once per context from the shared client configuration and with
   * its errors mapped. Each service's adapter file exports its factory (`route53Port`, `acmPort`, ...),
   * so adding a service never touches this file. Test fakes answer with a fake per factory.
   */
  use<T extends object>(factory: PortFactory<T>): T;
}

/** The settings every SDK client is built with: region, shared credentials, endpoint, retries. */
export interface AwsClientConfig {
  region: string;
  credentials: CredentialProvider;
  maxAttempts: number;
  /** The SDK's Node handler with the timeouts, under the run's signal and the call deadline. */
  requestHandler: HttpHandler;
  endpoint?: string;
  /** The profile named by --profile or AWS_PROFILE, for the client's other shared-config settings. */
  profile?: string;
  /** Records which command failed, for error messages (AwsCallGuard.logger). */
  logger: AwsCallGuard['logger'];
}

export interface PortFactory<T extends object> {
  /** Named in error messages: "Route53 createHostedZone failed: ...". */
  readonly service: string;
  /**
   * The SDK's service-specific endpoint variable (AWS_ENDPOINT_URL_SESV2). The SDK already prefers it
   * to AWS_ENDPOINT_URL; stackguide also prefers it to `--endpoint-url`, so one emulator can serve most
   * services while the few it lacks (SESv2 account calls, Cost Explorer, Service Quotas) go elsewhere.
   * Its suffix, lower-cased, is also the service's key in a profile's `services` section.
   */
  readonly endpointVariable: string;
  create(config: AwsClientConfig): T;
}

const DEFAULT_MAX_ATTEMPTS = 6;

export function createAwsSession(settings: AwsSettings): AwsSession {
  // One credential provider for every client and region: an MFA code or SSO token is asked for and
  // resolved once per run, not once per client.
  const credentials = shareCredentials(
    fromNodeProviderChain({
      ...(settings.profile ? { profile: settings.profile } : {}),
      ...(settings.mfaCodeProvider ? { mfaCodeProvider: settings.mfaCodeProvider } : {}),
    }),
  );
  const maxAttempts =
    settings.maxAttempts ??
    (process.env.AWS_MAX_ATTEMPTS ? Number(process.env.AWS_MAX_ATTEMPTS) : DEFAULT_MAX_ATTEMPTS);
  // Retries back off exponentially with jitter (the SDK's standard strategy); the timeouts make a
  // silently dropped connection fail and retry instead of hanging the run, and the call deadline ends
  // the run when AWS stays silent through the retries.
  const guard = new AwsCallGuard({
    timeouts: { ...DEFAULT_AWS_TIMEOUTS, ...settings.timeouts },
    ...(settings.signal ? { signal: settings.signal } : {}),
    ...(settings.trace ? { trace: settings.trace } : {}),
  });
  const baseConfig = {
    credentials,
    maxAttempts,
    ...(settings.profile ? { profile: settings.profile } : {}),
  };
  const errorContext = {
    ...(settings.profile ? { profile: settings.profile } : {}),
    ...(settings.endpointUrl ? { endpoint: settings.endpointUrl } : {}),
    ...(settings.configFile ? { configFile: settings.configFile } : {}),
    ...(settings.credentialsFile ? { credentialsFile: settings.credentialsFile } : {}),
  };
  return {
    forRegion(region) {
      // Each client gets its own handler (a client's destroy() ends its handler's sockets).
      const clientConfig = (endpointVariable: string): AwsClientConfig => {
        const endpoint = endpointFor(endpointVariable, {
          serviceEndpoints: settings.serviceEndpoints,
          endpointUrl: settings.endpointUrl,
          configured: settings.configuredEndpoints,
        });
        return {
          ...baseConfig,
          region,
          requestHandler: guard.requestHandler(),
          logger: guard.logger,
          ...(endpoint ? { endpoint } : {}),
        };
      };
      const ports = new Map<PortFactory<object>, object>();
      return {
        region,
        use<T extends object>(factory: PortFactory<T>): T {
          let port = ports.get(factory) as T | undefined;
          if (!port) {
            port = mapErrors(
              factory.service,
              factory.create(clientConfig(factory.endpointVariable)),
              errorContext,
              guard,
            );
            ports.set(factory, port);
          }
          return port;
        },
        cloudFormation: mapErrors(
          'CloudFormation',
          cloudFormationAdapter(new CloudFormationClient(clientConfig('AWS_ENDPOINT_URL_CLOUDFORMATION'))),
          errorContext,
          guard,
        ),
        identity: mapErrors(
          'STS',
          identityAdapter(new STSClient(clientConfig('AWS_ENDPOINT_URL_STS'))),
          errorContext,
          guard,
        ),
      };
    },
  };
}

type CredentialProvider = ReturnType<typeof fromNodeProviderChain>;
type Credentials = Awaited<ReturnType<CredentialProvider>>;

/** Resolves credentials once, and again only shortly before they expire. */
function shareCredentials(provider: CredentialProvider): CredentialProvider {
  let current: Promise<Credentials> | undefined;
  return async () => {
    const cached = current ? await current.catch(() => undefined) : undefined;
    if (cached && (!cached.expiration || cached.expiration.getTime() - Date.now() > 5 * 60_000))
      return cached;
    current = provider();
    return current;
  };
}

/**
 * Wraps every method of a port so it runs under the call guard (the run's signal, the call deadline)
 * and what it throws is a StackguideError naming the call.
 */
function mapErrors<T extends object>(
  service: string,
  port: T,
  context: AwsErrorContext,
  guard: AwsCallGuard,
): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(port)) {
    wrapped[name] =
      typeof method === 'function'
        ? async (...args: unknown[]) => {
            // Errors name the AWS action on the wire (`CloudFormation DescribeStacks`), not our method.
            return guard.run(
              service,
              () => (method as (...a: unknown[]) => Promise<unknown>)(...args),
              (error, action) => toAwsError(error, `${service} ${action ?? name}`, context),
            );
          }
        : method;
  }
  return wrapped as T;
}
