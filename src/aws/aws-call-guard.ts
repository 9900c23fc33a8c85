import { AsyncLocalStorage } from 'node:async_hooks';
import type { HttpHandler } from '@smithy/core/protocols';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { ExitCode, StackguideError } from '../errors.ts';
import { inAfterStop } from '../runtime/cleanup-scope.ts';

/**
 * How long stackguide waits for AWS. The SDK's own defaults wait forever for an endpoint that accepts
 * a connection and never answers; these make every such wait end, and end the run with a named exit
 * code instead of a silent hang.
 */
export interface AwsTimeouts {
  /** One TCP (and TLS) connection attempt. */
  connectTimeoutMs: number;
  /** One request: no answer for this long and the attempt fails; the SDK then retries it. */
  readTimeoutMs: number;
  /** One AWS call with all its retries and pages: this long without any answer and the run stops. */
  callDeadlineMs: number;
}

export const DEFAULT_AWS_TIMEOUTS: AwsTimeouts = {
  connectTimeoutMs: 10_000,
  readTimeoutMs: 30_000,
  // Under two minutes, so a read-only command facing a dead endpoint gives up within them.
  callDeadlineMs: 100_000,
};

/** One line per HTTP exchange with AWS, for --debug. It never holds a header value, a body or a signature. */
export interface AwsExchange {
  service: string;
  action: string;
  status: number | undefined;
  requestId: string | undefined;
  durationMs: number;
  /** Set when no response came: the error's name (TimeoutError, AbortError, ECONNREFUSED). */
  failure?: string;
}

/** What the port call in progress is, seen from the HTTP layer below it. */
interface CallScope {
  service: string;
  signal: AbortSignal;
  /** The AWS action of the last request sent, for the deadline message. */
  action?: string;
  /** The SDK command that failed, as the SDK's logger middleware names it (`GetAccount`). */
  command?: string;
  /** Called on every response, so a long paginated call that keeps answering never hits the deadline. */
  answered(): void;
}

/**
 * Runs port calls under the run's abort signal and the call deadline, and hands both down to the
 * HTTP layer: every request of the call gets them as its `abortSignal`, which is where the SDK's
 * `send(command, { abortSignal })` puts them too. The call itself returns the moment either fires, even
 * while the SDK sleeps between retries.
 */
export class AwsCallGuard {
  readonly #scopes = new AsyncLocalStorage<CallScope>();
  readonly #timeouts: AwsTimeouts;
  readonly #signal: AbortSignal | undefined;
  readonly #trace: ((exchange: AwsExchange) => void) | undefined;
  /** When AWS last answered any call of this run (any HTTP status). */
  #lastAnswerAt = Date.now();

  constructor(options: {
    timeouts: AwsTimeouts;
    signal?: AbortSignal;
    trace?: (exchange: AwsExchange) => void;
  }) {
    this.#timeouts = options.timeouts;
    this.#signal = options.signal;
    this.#trace = options.trace;
  }

  /**
   * The client's logger. The SDK's logger middleware tells it the command that failed whatever the
   * protocol (a REST request only shows a method and a path); nothing else is kept: no input, no output.
   */
  readonly logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: (entry: unknown) => {
      const scope = this.#scopes.getStore();
      const command = (entry as { commandName?: unknown } | undefined)?.commandName;
      if (scope && typeof command === 'string') scope.command = command.replace(/Command$/, '');
    },
  };

  /** A request handler for one client: the SDK's Node handler with the timeouts, under the guard. */
  requestHandler(): HttpHandler {
    const inner = new NodeHttpHandler({
      connectionTimeout: this.#timeouts.connectTimeoutMs,
      // The read timeout is the socket's idle time, as the AWS CLI's --cli-read-timeout. (The handler's
      // `requestTimeout` only logs a warning unless `throwOnRequestTimeout` is set: that is why a
      // silent endpoint used to hang the run.)
      socketTimeout: this.#timeouts.readTimeoutMs,
    });
    const guard: HttpHandler = {
      handle: async (request, options) => {
        const scope = this.#scopes.getStore();
        const action = actionOf(request);
        if (scope) scope.action = action;
        const signals = [options?.abortSignal, scope?.signal].filter(
          (signal): signal is AbortSignal => signal instanceof AbortSignal,
        );
        const started = Date.now();
        const service = scope?.service ?? request.hostname;
        try {
          const result = await inner.handle(request, {
            ...options,
            ...(signals.length > 0 ? { abortSignal: AbortSignal.any(signals) } : {}),
          });
          this.#lastAnswerAt = Date.now();
          scope?.answered();
          const headers = result.response.headers;
          this.#trace?.({
            service,
            action,
            status: result.response.statusCode,
            requestId: headers['x-amzn-requestid'] ?? headers['x-amz-request-id'],
            durationMs: Date.now() - started,
          });
          return result;
        } catch (error) {
          const failure = (error as { code?: string }).code ?? (error as { name?: string }).name ?? 'Error';
          this.#trace?.({
            service,
            action,
            status: undefined,
            requestId: undefined,
            durationMs: Date.now() - started,
            failure,
          });
          throw error;
        }
      },
      updateHttpClientConfig: (key, value) => inner.updateHttpClientConfig(key as never, value as never),
      httpHandlerConfigs: () => inner.httpHandlerConfigs(),
      destroy: () => inner.destroy(),
    };
    return guard;
  }

  /**
   * Runs one port call. It ends with the run's abort reason as soon as the run is stopped, or with an
   * `aws.deadline` error when AWS has not answered for the call deadline; either way the requests in
   * flight are aborted.
   */
  async run<T>(
    service: string,
    call: () => Promise<T>,
    /** Maps what the call threw, told the AWS action of its last request (`DescribeStacks`). */
    describe: (error: unknown, action: string | undefined) => unknown = (error) => error,
  ): Promise<T> {
    const deadline = new AbortController();
    const seconds = Math.round(this.#timeouts.callDeadlineMs / 1000);
    let timer: NodeJS.Timeout | undefined;
    const scope: CallScope = {
      service,
      // Cleanup after a stop (the lock's release) is bounded by the deadline alone.
      signal:
        this.#signal && !inAfterStop() ? AbortSignal.any([this.#signal, deadline.signal]) : deadline.signal,
      answered: () => arm(),
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(
        () => deadline.abort(deadlineError(service, scope.action, seconds)),
        this.#timeouts.callDeadlineMs,
      );
    };
    arm();
    let onAbort: (() => void) | undefined;
    const stopped = new Promise<never>((_, reject) => {
      onAbort = () => reject(scope.signal.reason);
      if (scope.signal.aborted) onAbort();
      else scope.signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([this.#scopes.run(scope, call), stopped]);
    } catch (error) {
      // A caller that retries network failures itself (the event streamer does) makes a new call each
      // time; once AWS has been silent for a whole deadline across them, the failure is the deadline.
      if (
        !scope.signal.aborted &&
        isNetworkFailure(error) &&
        Date.now() - this.#lastAnswerAt >= this.#timeouts.callDeadlineMs
      )
        throw deadlineError(service, scope.action, seconds);
      throw describe(error, scope.command ?? scope.action);
    } finally {
      clearTimeout(timer);
      if (onAbort) scope.signal.removeEventListener('abort', onAbort);
      // The race's loser must not become an unhandled rejection.
      stopped.catch(() => undefined);
    }
  }
}

function isNetworkFailure(error: unknown): boolean {
  const { name, code } = error as { name?: string; code?: string };
  return (
    name === 'TimeoutError' ||
    ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND'].includes(code ?? '')
  );
}

function deadlineError(service: string, action: string | undefined, seconds: number): StackguideError {
  const what = action ? `${service} ${action}` : service;
  return new StackguideError(`AWS did not answer within ${seconds} s (waiting for ${what})`, {
    code: 'aws.deadline',
    kind: 'aws',
    exitCode: ExitCode.timeout,
    nextSteps: [
      'Check your network and proxy settings, and with --endpoint-url or AWS_ENDPOINT_URL that the endpoint is up; --debug shows every request.',
      'If AWS is only slow, allow more time: STACKGUIDE_CALL_DEADLINE=<seconds> (or --call-deadline).',
    ],
  });
}

/**
 * The AWS action of a request, from what the protocol puts on the wire: the JSON protocols' target
 * header, the query protocol's Action parameter, else the method and path (REST and CBOR protocols).
 */
function actionOf(request: {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: unknown;
}): string {
  const target = request.headers['x-amz-target'] ?? request.headers['X-Amz-Target'];
  if (target) return target.slice(target.lastIndexOf('.') + 1);
  if (typeof request.body === 'string') {
    const action = /(?:^|&)Action=([A-Za-z0-9]+)/.exec(request.body)?.[1];
    if (action) return action;
  }
  const operation = /\/operation\/([A-Za-z0-9]+)$/.exec(request.path)?.[1];
  return operation ?? `${request.method} ${request.path}`;
}
