import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { createDnsClient, type DnsServer } from '../../src/dns/dns-client.ts';
import { freePort } from './free-port.ts';

/**
 * Runs Debian's knotd as a real authoritative DNS server on a free loopback port, for the delegation
 * check's tests. Everything lives in a temp dir: config, zone files, rundir (control socket) and
 * storage (timer DB); no system path is touched and it runs as the current user. Zone files are written
 * by us and never by knotd (`zonefile-sync: -1`, no journal), so a test edits a zone by rewriting it.
 *
 * knotd is looked up on PATH, then in /usr/sbin. Install it with `apt-get install knot` (knotc, used
 * for reloads, comes in the same package).
 */
export interface KnotZone {
  /** The zone apex: `example.test`. */
  origin: string;
  /**
   * Zone file lines after the SOA, which is written for you ($ORIGIN and $TTL are set, so names may be
   * relative). Include the apex NS records: knotd refuses a zone without them.
   */
  records: string;
}

export interface KnotServerOptions {
  zones: readonly KnotZone[];
  /** Loopback addresses to listen on, all on one port (127.0.0.x are all loopback on Linux). */
  addresses?: readonly string[];
  /** $TTL of the zone files. */
  ttl?: number;
  /** SOA MINIMUM: how long a negative answer may be cached. */
  negativeTtl?: number;
}

export interface KnotServer {
  /** The first listen address. */
  readonly host: string;
  readonly port: number;
  readonly addresses: readonly string[];
  readonly dir: string;
  /** This server as the DNS client addresses it, on `address` (default: the first), labelled `name`. */
  server(name?: string, address?: string): DnsServer;
  /** The SOA serial knotd was last told to load for `origin`. */
  serial(origin: string): number;
  /** Rewrites a zone with a higher serial, reloads it, and resolves once knotd serves the new serial. */
  setZone(origin: string, records: string): Promise<void>;
  stop(): Promise<void>;
}

const run = promisify(execFile);
const READY_TIMEOUT_MS = 10_000;

function findKnotBinary(name: 'knotd' | 'knotc'): string {
  const candidates = [
    ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, name)),
    `/usr/sbin/${name}`,
  ];
  for (const candidate of candidates) {
    if (candidate !== name && existsSync(candidate)) return candidate;
  }
  throw new Error(
    `${name} was not found on PATH or in /usr/sbin. The DNS tests need Knot DNS: apt-get install knot`,
  );
}

export async function startKnotServer(options: KnotServerOptions): Promise<KnotServer> {
  const knotd = findKnotBinary('knotd');
  const knotc = findKnotBinary('knotc');
  const addresses = options.addresses ?? ['127.0.0.1'];
  const dir = await mkdtemp(join(tmpdir(), 'stackguide-knot-'));
  const zonesDir = join(dir, 'zones');
  await Promise.all([mkdir(zonesDir), mkdir(join(dir, 'run')), mkdir(join(dir, 'storage'))]);

  const serials = new Map<string, number>();
  const zoneKey = (origin: string): string => origin.replace(/\.+$/, '').toLowerCase();
  const writeZone = async (origin: string, records: string): Promise<void> => {
    const key = zoneKey(origin);
    const serial = (serials.get(key) ?? 0) + 1;
    serials.set(key, serial);
    const ttl = options.ttl ?? 300;
    const negativeTtl = options.negativeTtl ?? 60;
    const text = [
      `$ORIGIN ${key}.`,
      `$TTL ${ttl}`,
      `@ IN SOA ns.${key}. hostmaster.${key}. ${serial} 3600 600 86400 ${negativeTtl}`,
      records,
      '',
    ].join('\n');
    await writeFile(join(zonesDir, `${key}.zone`), text);
  };
  for (const zone of options.zones) await writeZone(zone.origin, zone.records);

  // The port is free when freePort returns, but another process may take it before knotd binds: a few
  // tries with a fresh port make that race harmless.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const configPath = join(dir, 'knot.conf');
    await writeFile(
      configPath,
      knotConfig(
        dir,
        addresses,
        port,
        options.zones.map((zone) => zoneKey(zone.origin)),
      ),
    );
    const child: ChildProcess = spawn(knotd, ['--config', configPath], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-8_000);
    });
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    const stopChild = async (): Promise<void> => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    };
    const waitForSerials = async (): Promise<void> => {
      const deadline = Date.now() + READY_TIMEOUT_MS;
      for (const [origin, serial] of serials) {
        for (const address of addresses) {
          await waitForSerial(address, port, origin, serial, deadline, () => {
            if (child.exitCode !== null || child.signalCode !== null)
              throw new Error(`knotd exited:\n${stderr}`);
            return stderr;
          });
        }
      }
    };

    try {
      await waitForSerials();
    } catch (error) {
      lastError = error;
      await stopChild();
      continue;
    }

    return {
      host: addresses[0] ?? '127.0.0.1',
      port,
      addresses,
      dir,
      server: (name, address) => ({
        host: address ?? addresses[0] ?? '127.0.0.1',
        port,
        ...(name ? { name } : {}),
      }),
      serial: (origin) => serials.get(zoneKey(origin)) ?? 0,
      async setZone(origin, records) {
        if (!serials.has(zoneKey(origin)))
          throw new Error(`knotd does not serve ${origin}; start it with that zone`);
        await writeZone(origin, records);
        // zone-reload re-reads the file even when its mtime looks unchanged (two writes in one tick).
        await run(knotc, ['--config', configPath, 'zone-reload', `${zoneKey(origin)}.`]);
        await waitForSerials();
      },
      async stop() {
        await stopChild();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError;
}

function knotConfig(
  dir: string,
  addresses: readonly string[],
  port: number,
  zones: readonly string[],
): string {
  return `server:
    rundir: "${join(dir, 'run')}"
    listen: [ ${addresses.map((address) => `${address}@${port}`).join(', ')} ]
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1

database:
    storage: "${join(dir, 'storage')}"

log:
  - target: stderr
    any: info

template:
  - id: default
    storage: "${join(dir, 'zones')}"
    file: "%s.zone"
    # The zone files are ours: knotd must not write them back or keep a journal that outlives an edit.
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none

zone:
${zones.map((zone) => `  - domain: ${zone}.`).join('\n')}
`;
}

/** Polls the SOA until knotd serves `serial` (knotd binds UDP and TCP together, so UDP answering is enough). */
async function waitForSerial(
  host: string,
  port: number,
  origin: string,
  serial: number,
  deadline: number,
  /** Throws when knotd has died; else returns its log for the timeout message. */
  log: () => string,
): Promise<void> {
  const client = createDnsClient({ timeoutMs: 250, retries: 0 });
  for (;;) {
    log();
    const result = await client.query({ host, port }, { name: origin, type: 'SOA', recursionDesired: false });
    const served = result.ok
      ? result.response.answers.find((record) => record.type === 'SOA')?.soa?.serial
      : undefined;
    if (served === serial) return;
    if (Date.now() > deadline) {
      const last = result.ok ? `${result.response.rcode}, serial ${served ?? 'none'}` : result.message;
      throw new Error(
        `knotd did not serve ${origin} serial ${serial} on ${host}:${port} in time (last: ${last}):\n${log()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
