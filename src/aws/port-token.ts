import type { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { HttpHandler } from '@smithy/core/protocols';
import type { AwsCallGuard } from './aws-call-guard.ts';

/**
 * A port token names one AWS port without naming its adapter: steps and flows hold tokens
 * (`context.aws.use(acmPort)`), and only src/aws/port-registry.ts knows which adapter, and so which SDK
 * client, serves each one. Each token is declared beside its port interface (`acm-port.ts`).
 */
export interface PortToken<T extends AsyncPort<T>> {
  /** Named in error messages: "Route53 createHostedZone failed: ...". */
  readonly service: string;
  /**
   * The SDK's service-specific endpoint variable (AWS_ENDPOINT_URL_SESV2). The SDK already prefers it
   * to AWS_ENDPOINT_URL; stackguide also prefers it to `--endpoint-url`, so one emulator can serve most
   * services while the few it lacks (SESv2 account calls, Cost Explorer, Service Quotas) go elsewhere.
   * Its suffix, lower-cased, is also the service's key in a profile's `services` section.
   */
  readonly endpointVariable: string;
  /** The port's methods, so `use()` can hand back a plain object before the adapter is loaded. */
  readonly methods: readonly string[];
  /** Never set: it only carries the port's type from the token to `use()`. */
  readonly port?: T;
}

/**
 * Every method of a port returns a promise. That is what lets `AwsContext.use()` hand a port back at once
 * and import its adapter (and the SDK client under it) on the first call: the caller awaits the call
 * anyway, so it cannot tell.
 */
export type AsyncPort<T> = { readonly [K in keyof T]: (...args: never[]) => Promise<unknown> };

/**
 * `methods` names every method of the port, each once (the type checks none is missing or extra), so the
 * port `use()` returns can be a plain object (spread, wrapped, a method replaced by a test) from the start.
 */
export function portToken<T extends AsyncPort<T>>(
  service: string,
  methods: { readonly [K in keyof T]: true },
  endpointVariable: string,
): PortToken<T> {
  return { service, methods: Object.keys(methods), endpointVariable };
}

/** Builds a port from the shared client configuration: what each `*-adapter.ts` exports. */
export interface PortAdapter<T extends object> {
  create(config: AwsClientConfig): T;
}

/** Which adapter serves each token; the product's is src/aws/port-registry.ts (lazy imports); a test's may serve some with fakes. */
export interface PortRegistry {
  adapterFor<T extends AsyncPort<T>>(token: PortToken<T>): Promise<PortAdapter<T>>;
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

type CredentialProvider = ReturnType<typeof fromNodeProviderChain>;
