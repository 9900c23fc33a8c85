import { createServer, request as forward } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback proxy in front of an emulator that stops one chosen AWS call in flight, so a test can
 * kill the CLI at an exact point: `before` holds the request without forwarding it (AWS never sees
 * it), `after` forwards it and holds the answer (AWS did it, the CLI never hears). `reached` resolves
 * when the gate closes on its call. Every operation passing through is recorded.
 */
export interface Gate {
  action: string;
  /** Which occurrence of the action to stop (1 = the first). */
  occurrence: number;
  /** `reset-after`: forwarded, then the connection is reset instead of answered (a lost answer the SDK retries). */
  when: 'before' | 'after' | 'reset-after';
}

export interface GateProxy {
  readonly endpoint: string;
  readonly actions: readonly string[];
  readonly reached: Promise<void>;
  stop(): Promise<void>;
}

export async function startGateProxy(target: string, gate: Gate): Promise<GateProxy> {
  const upstream = new URL(target);
  const actions: string[] = [];
  let seen = 0;
  let signalReached: () => void = () => {};
  const reached = new Promise<void>((done) => {
    signalReached = done;
  });
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const targetHeader = incoming.headers['x-amz-target'];
      const form = String(incoming.headers['content-type'] ?? '').includes('x-www-form-urlencoded')
        ? new URLSearchParams(body.toString())
        : new URLSearchParams();
      const action =
        form.get('Action') ??
        (typeof targetHeader === 'string'
          ? (targetHeader.split('.').pop() ?? '')
          : restAction(incoming.method, incoming.url));
      if (action) actions.push(action);
      const stopHere = action === gate.action && ++seen === gate.occurrence;
      if (stopHere && gate.when === 'before') {
        signalReached();
        return; // Held: never forwarded, never answered.
      }
      const proxied = forward(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: incoming.method,
          path: incoming.url,
          headers: { ...incoming.headers, host: upstream.host },
        },
        (response) => {
          if (stopHere && gate.when === 'reset-after') {
            response.resume();
            response.on('end', () => {
              incoming.socket.destroy();
              signalReached();
            });
            return;
          }
          if (stopHere) {
            response.resume();
            response.on('end', signalReached);
            return; // Done upstream, never answered.
          }
          outgoing.writeHead(response.statusCode ?? 502, response.headers);
          response.pipe(outgoing);
        },
      );
      proxied.on('error', () => {
        outgoing.writeHead(502);
        outgoing.end();
      });
      proxied.end(body);
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    actions,
    reached,
    stop: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/**
 * REST-JSON services name the operation by method and path only; these are the ones a kill point stops
 * (the stand-ins' create calls), named as the API reference does.
 */
const REST_ACTIONS: Record<string, string> = {
  'POST /v2/email/account/details': 'PutAccountDetails',
  'GET /v2/email/account': 'GetAccount',
};

function restAction(method: string | undefined, url: string | undefined): string {
  return REST_ACTIONS[`${method} ${(url ?? '/').split('?')[0]}`] ?? '';
}
