import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { StackguideError } from '../errors.ts';
import { AwsCallGuard, type AwsExchange, type AwsTimeouts, DEFAULT_AWS_TIMEOUTS } from './aws-call-guard.ts';
import { type AwsErrorContext, toAwsError } from './aws-errors.ts';
import { type ConfiguredEndpoints, endpointFor } from './aws-settings.ts';
import { type CloudFormationPort, cloudFormationPort } from './cloudformation-port.ts';
import { type IdentityPort, identityPort } from './identity-port.ts';
import { portRegistry } from './port-registry.ts';
import type { AsyncPort, AwsClientConfig, PortRegistry, PortToken } from './port-token.ts';

/**
 * AWS access in one place. Every client is built here from the same resolved region, credentials,
 * endpoint override and retry policy; everything else sees only ports.
 */
export interface AwsSettings {
  profile?: string;
  /** `--endpoint-url`: one endpoint for every service (an emulator). Without it the SDK itself honours
   * AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>; with it, a service's own variable still wins (see
   * `PortToken.endpointVariable`). */
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
  /** The `stackguide policy` command for this run, which an AccessDenied error names. */
  policyCommand?: string;
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
   * The port a token names (`route53Port`, `acmPort`, ... declared beside each port interface), made
   * once per context and region from the shared client configuration, with its errors mapped; `region`
   * reaches the same service elsewhere (SES production access is per region). It comes back at once,
   * and its adapter, with the SDK client under it, is imported on its first call: steps stay synchronous
   * about ports, and a run loads only the clients it calls. Which adapter (or a test's fake) serves a
   * token is the `PortRegistry`'s business, so adding a service never touches this file.
   */
  use<T extends AsyncPort<T>>(token: PortToken<T>, options?: { region?: string }): T;
}

const DEFAULT_MAX_ATTEMPTS = 6;

/**
 * `registry` says which adapter serves each port: the SDK adapters, imported lazily, unless a test
 * hands in one where some ports are fakes.
 */
export function createAwsSession(settings: AwsSettings, registry: PortRegistry = portRegistry): AwsSession {
  // One credential provider for every client and region: an MFA code or SSO token is asked for and
  // resolved once per run, not once per client. The SDK's chain caches what it resolved itself (again
  // only within five minutes of expiry, at once when a client asks with forceRefresh), so it is shared
  // as it is, never wrapped: a wrapper would drop the arguments clients call it with.
  const credentials = fromNodeProviderChain({
    ...(settings.profile ? { profile: settings.profile } : {}),
    ...(settings.mfaCodeProvider ? { mfaCodeProvider: settings.mfaCodeProvider } : {}),
  });
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
    ...(settings.policyCommand ? { policyCommand: settings.policyCommand } : {}),
  };
  return {
    forRegion(region) {
      // Each client gets its own handler (a client's destroy() ends its handler's sockets).
      const clientConfig = (endpointVariable: string, where: string): AwsClientConfig => {
        const endpoint = endpointFor(endpointVariable, {
          serviceEndpoints: settings.serviceEndpoints,
          endpointUrl: settings.endpointUrl,
          configured: settings.configuredEndpoints,
        });
        return {
          ...baseConfig,
          region: where,
          requestHandler: guard.requestHandler(),
          logger: guard.logger,
          ...(endpoint ? { endpoint } : {}),
        };
      };
      const ports = new Map<object, Map<string, object>>();
      const use = <T extends AsyncPort<T>>(token: PortToken<T>, options: { region?: string } = {}): T => {
        const where = options.region ?? region;
        const byRegion = ports.get(token) ?? new Map<string, object>();
        ports.set(token, byRegion);
        let port = byRegion.get(where) as T | undefined;
        if (!port) {
          const service = where === region ? token.service : `${token.service} (${where})`;
          port = lazyPort<T>(service, token.methods, async () =>
            mapErrors(
              service,
              token as PortToken<object>,
              (await registry.adapterFor(token)).create(clientConfig(token.endpointVariable, where)),
              errorContext,
              guard,
            ),
          );
          byRegion.set(where, port);
        }
        return port;
      };
      return {
        region,
        use,
        cloudFormation: use(cloudFormationPort),
        identity: use(identityPort),
      };
    },
  };
}

/**
 * Wraps every method of a port so it runs under the call guard (the run's signal, the call deadline)
 * and what it throws is a StackguideError naming the call.
 */
function mapErrors<T extends object>(
  service: string,
  token: PortToken<object>,
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
              (error, action) =>
                toAwsError(error, `${service} ${action ?? name}`, context, { token, method: name }),
            );
          }
        : method;
  }
  return wrapped as T;
}

const PRELOAD = Symbol('preload');

/**
 * Starts loading a port's adapter (the SDK client under it, seconds on a busy machine) in the
 * background, so a call the operator waits on later (the deployment name checked as it is typed) does
 * not pay for it. Nothing is sent to AWS. A port without an adapter to load (a test's fake) is left as
 * it is.
 */
export function preloadPort(port: object): void {
  (port as { [PRELOAD]?: () => void })[PRELOAD]?.();
}

/**
 * A port whose adapter is made on its first call: a plain object with one async method per name the
 * token lists, each awaiting the adapter (made once) before it calls through. Every port method is async
 * (`AsyncPort`), so the caller cannot tell.
 */
function lazyPort<T extends object>(service: string, methods: readonly string[], make: () => Promise<T>): T {
  let made: Promise<T> | undefined;
  const port: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  // Not a method of the port (a fake has none): `preloadPort` reaches it.
  Object.defineProperty(port, PRELOAD, {
    value: () => {
      made ??= make();
      // A failure is the first call's to report, as if nothing had been loaded ahead.
      made.catch(() => undefined);
    },
  });
  for (const name of methods) {
    port[name] = async (...args: unknown[]) => {
      made ??= make();
      const method = ((await made) as Record<string, unknown>)[name];
      if (typeof method !== 'function')
        throw new StackguideError(`The ${service} port has no method ${name}`, {
          code: 'aws.port-method-unknown',
          kind: 'bug',
        });
      return (method as (...a: unknown[]) => Promise<unknown>)(...args);
    };
  }
  return port as T;
}
