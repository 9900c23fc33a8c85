import { createServer, request as forward } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP proxy in front of an emulator that records the AWS operations passing through, so a
 * test can assert the calls a run made (their order, their targets) against an emulator that keeps no
 * log of its own. The operation comes from the query protocol's `Action` form field or the JSON
 * protocols' X-Amz-Target header; every other form field is kept as a parameter.
 */
export interface RecordedOperation {
  action: string;
  params: Record<string, string>;
}

export interface RecordingProxy {
  readonly endpoint: string;
  readonly operations: readonly RecordedOperation[];
  stop(): Promise<void>;
}

export interface RecordingProxyOptions {
  /** Requests for these actions are received and never answered (a call that hangs). */
  hold?: readonly string[];
  /**
   * Answers for these actions are rewritten before the CLI sees them: how a test shows the CLI a state
   * that AWS reaches but the emulator cannot be put in on demand (a certificate still pending validation).
   */
  rewrite?: { action: string; answer: (text: string) => string };
}

export async function startRecordingProxy(
  target: string,
  options: RecordingProxyOptions = {},
): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const operations: RecordedOperation[] = [];
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const targetHeader = incoming.headers['x-amz-target'];
      const form = new URLSearchParams(
        String(incoming.headers['content-type'] ?? '').includes('x-www-form-urlencoded')
          ? body.toString()
          : '',
      );
      const action =
        form.get('Action') ?? (typeof targetHeader === 'string' ? (targetHeader.split('.').pop() ?? '') : '');
      if (action) operations.push({ action, params: Object.fromEntries(form) });
      if (options.hold?.includes(action)) return;
      const proxied = forward(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: incoming.method,
          path: incoming.url,
          headers: { ...incoming.headers, host: upstream.host },
        },
        (response) => {
          const rewrite = options.rewrite?.action === action ? options.rewrite.answer : undefined;
          if (!rewrite) {
            outgoing.writeHead(response.statusCode ?? 502, response.headers);
            response.pipe(outgoing);
            return;
          }
          const answer: Buffer[] = [];
          response.on('data', (chunk: Buffer) => answer.push(chunk));
          response.on('end', () => {
            const rewritten = Buffer.from(rewrite(Buffer.concat(answer).toString('utf8')));
            outgoing.writeHead(response.statusCode ?? 502, {
              ...response.headers,
              'content-length': String(rewritten.length),
            });
            outgoing.end(rewritten);
          });
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
    operations,
    stop: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
