import { createServer, type Socket } from 'node:net';

/**
 * An endpoint that accepts connections and never answers: what a dead proxy, a black-holed route or a
 * wedged emulator looks like to a client. Counts connections so a test can act while a call hangs.
 */
export interface SilentEndpoint {
  readonly endpoint: string;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Resolves once at least `count` connections have been accepted. */
  connected(count?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startSilentEndpoint(): Promise<SilentEndpoint> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const waiting: Array<{ count: number; done: () => void }> = [];
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    accepted++;
    for (const waiter of waiting.filter((w) => accepted >= w.count)) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.done();
    }
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get connections() {
      return accepted;
    },
    connected: (count = 1) =>
      accepted >= count ? Promise.resolve() : new Promise((done) => waiting.push({ count, done })),
    stop: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}
