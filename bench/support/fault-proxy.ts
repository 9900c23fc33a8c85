import { createServer, request as forward } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback proxy that makes an endpoint unreliable the way AWS is on a bad day: a share of the calls
 * answer Throttling (HTTP 400, the query protocol's error document, as CloudFormation sends it), and a
 * share have their connection reset, either before the call reaches the server (it never happened) or
 * after the server acted on it (it happened; the answer is lost). The choice is a seeded generator, so
 * a run's faults can be replayed. Every call is counted with what was done to it.
 */
export interface FaultOptions {
  /** Share of calls answered with Throttling (0.25 = 25%). */
  throttle: number;
  /** Share of calls whose connection is reset (half before forwarding, half after the answer). */
  reset: number;
  seed: number;
}

export interface ProxiedCall {
  at: number;
  action: string;
  stack?: string;
  fault: 'throttled' | 'reset' | 'none';
}

export interface FaultProxy {
  readonly endpoint: string;
  readonly counts: { calls: number; throttled: number; resetBefore: number; resetAfter: number };
  /** Every call in order of arrival: when, which query-protocol Action, about which stack (by name, from
   * its StackName parameter, a name or an ARN), and what was done to it. */
  readonly log: readonly ProxiedCall[];
  stop(): Promise<void>;
}

/** mulberry32: small, seedable, good enough to pick faults. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const THROTTLING =
  '<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>';

export async function startFaultProxy(target: string, options: FaultOptions): Promise<FaultProxy> {
  const upstream = new URL(target);
  const random = generator(options.seed);
  const counts = { calls: 0, throttled: 0, resetBefore: 0, resetAfter: 0 };
  const log: ProxiedCall[] = [];
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      counts.calls++;
      const at = Date.now();
      const form = new URLSearchParams(Buffer.concat(chunks).toString());
      const stackName = form.get('StackName') ?? undefined;
      const stack = stackName ? (/:stack\/([^/]+)\//.exec(stackName)?.[1] ?? stackName) : undefined;
      const roll = random();
      const resetRoll = (roll - options.throttle) / (1 - options.throttle);
      log.push({
        at,
        action: form.get('Action') ?? 'unknown',
        ...(stack ? { stack } : {}),
        fault: roll < options.throttle ? 'throttled' : resetRoll < options.reset ? 'reset' : 'none',
      });
      if (roll < options.throttle) {
        counts.throttled++;
        outgoing.writeHead(400, { 'content-type': 'text/xml' });
        outgoing.end(THROTTLING);
        return;
      }
      if (resetRoll < options.reset / 2) {
        counts.resetBefore++;
        incoming.socket.destroy();
        return;
      }
      const resetAfter = resetRoll < options.reset;
      const proxied = forward(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: incoming.method,
          path: incoming.url,
          headers: { ...incoming.headers, host: upstream.host },
        },
        (response) => {
          if (resetAfter) {
            counts.resetAfter++;
            response.resume();
            response.on('end', () => incoming.socket.destroy());
            return;
          }
          outgoing.writeHead(response.statusCode ?? 502, response.headers);
          response.pipe(outgoing);
        },
      );
      proxied.on('error', () => incoming.socket.destroy());
      proxied.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts,
    log,
    stop: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
