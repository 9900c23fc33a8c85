import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { lookup as systemLookup } from 'node:dns/promises';
import { isIP, connect as tcpConnect } from 'node:net';
import type { Answer, DecodedPacket, RecordType } from 'dns-packet';
import { StackguideError } from '../errors.ts';
import { type Clock, systemClock } from '../runtime/clock.ts';

/**
 * A small raw DNS client: one question to one server, over UDP with a fallback to TCP when the answer
 * is truncated. We speak DNS ourselves rather than use `node:dns` because the delegation check must ask
 * a *specific* server (a parent zone's authoritative server, a public resolver) with recursion switched
 * off, and must see the AA flag and the authority section, none of which the system resolver exposes.
 *
 * A server that does not answer is a normal outcome for this client (the caller reports it as
 * "unreachable"), so failures are returned as data; only bad input and cancellation throw.
 */

/** Where to send a query. `name` labels it in results (a name server's host name, a resolver's name). */
export interface DnsServer {
  host: string;
  port: number;
  name?: string;
}

export interface DnsQuestion {
  name: string;
  type: RecordType;
  /** Off when asking an authoritative server directly: we want its own data, not a resolver's. */
  recursionDesired: boolean;
}

export interface DnsQueryOptions {
  /** Per attempt; the TCP fallback gets its own attempt of the same length. */
  timeoutMs?: number;
  /** Attempts after the first, on timeout or network error. */
  retries?: number;
  /**
   * EDNS(0) UDP payload size to advertise; 0 sends no OPT record (classic 512-byte limit). 1232 is the
   * DNS Flag Day 2020 value: large enough for most referrals, small enough to avoid IP fragmentation.
   */
  udpPayloadSize?: number;
  signal?: AbortSignal;
  /**
   * The caller's overall time budget (the delegation check has one for all its queries). When it runs
   * out, the query stops and reports `timeout` like a silent server, instead of throwing: the caller
   * still gives a verdict from the servers that did answer.
   */
  budget?: AbortSignal;
}

export interface DnsSoa {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}

/** One resource record, flattened to plain data (names without the trailing dot, as received). */
export interface DnsRecord {
  name: string;
  type: string;
  class: string;
  ttl: number;
  /** Presentation form of the RDATA: a host name for NS/CNAME, an address for A/AAAA, and so on. */
  data: string;
  /** Parsed fields, for SOA records only. */
  soa?: DnsSoa;
}

export type DnsTransport = 'udp' | 'tcp';

export interface DnsResponse {
  rcode: string;
  authoritative: boolean;
  recursionAvailable: boolean;
  transport: DnsTransport;
  answers: DnsRecord[];
  authorities: DnsRecord[];
  /** Without the EDNS OPT pseudo-record. */
  additionals: DnsRecord[];
}

/**
 * - `timeout`: no answer within the per-try timeout, every try (a silent server, or a firewall that drops
 *   port 53), or the caller's budget ran out first;
 * - `closed`: the host said nothing listens on that port (ICMP port unreachable, TCP RST);
 * - `network`: anything else the network said (no route to host, network unreachable, ...).
 */
export type DnsFailure = 'timeout' | 'closed' | 'network';

export type DnsQueryResult =
  | { ok: true; server: DnsServer; question: DnsQuestion; attempts: number; response: DnsResponse }
  | {
      ok: false;
      server: DnsServer;
      question: DnsQuestion;
      attempts: number;
      failure: DnsFailure;
      message: string;
    };

export interface DnsClient {
  query(server: DnsServer, question: DnsQuestion, options?: DnsQueryOptions): Promise<DnsQueryResult>;
}

export interface DnsClientOptions {
  clock?: Clock;
  timeoutMs?: number;
  retries?: number;
  udpPayloadSize?: number;
}

/**
 * Short tries, one retry: an authoritative server answers in tens of milliseconds from almost anywhere,
 * so a server silent for 900 ms twice is down or filtered, and waiting longer only delays the verdict
 * (issue 16: 3 tries of 2 s made one silent server cost 6 s).
 */
const DEFAULT_TIMEOUT_MS = 900;
const DEFAULT_RETRIES = 1;
const DEFAULT_UDP_PAYLOAD_SIZE = 1_232;
const MAX_ERROR_BACKOFF_MS = 1_000;

/**
 * A server that stayed silent on every try is asked again with one short try for the next minute: each
 * check still asks it and reports it, but an install that checks the delegation several times pays the
 * retry once (issue 16: one silent parent server may add at most 3 s to an install). An answer, or a
 * minute, clears it. Shared by the clients of one process, which is one run.
 */
const recentlySilent = new Map<string, number>();
const SILENCE_MEMORY_MS = 60_000;
const SILENT_AGAIN_TIMEOUT_MS = 500;

// RFC 6895 section 2.3; dns-packet decodes the rcode too, but its types do not declare it.
const RCODE_NAMES = [
  'NOERROR',
  'FORMERR',
  'SERVFAIL',
  'NXDOMAIN',
  'NOTIMP',
  'REFUSED',
  'YXDOMAIN',
  'YXRRSET',
  'NXRRSET',
  'NOTAUTH',
  'NOTZONE',
];

type DnsPacket = typeof import('dns-packet');

/**
 * dns-packet loads with the first query, not with every command that reads --dns-server: it is CommonJS,
 * which Node compiles again on every run, and install's first question waited for it. A CommonJS module
 * imported dynamically arrives as a namespace whose `default` is its exports; whether its functions are
 * also copied onto the namespace depends on who loads it (Node, vitest, the bundle), so take `default`
 * when the functions are not there (in the bundle they were not: every DNS check failed with
 * "encode is not a function").
 */
let dnsPacketLoading: Promise<DnsPacket> | undefined;
const loadDnsPacket = (): Promise<DnsPacket> =>
  (dnsPacketLoading ??= import('dns-packet').then((loaded) =>
    typeof loaded.encode === 'function' ? loaded : (loaded as unknown as { default: DnsPacket }).default,
  ));

export function createDnsClient(clientOptions: DnsClientOptions = {}): DnsClient {
  const clock = clientOptions.clock ?? systemClock;
  return {
    async query(server, question, options = {}) {
      const serverKey = `${server.host}:${server.port}`;
      const silentSince = recentlySilent.get(serverKey);
      const knownSilent = silentSince !== undefined && clock.now() - silentSince < SILENCE_MEMORY_MS;
      const timeoutMs =
        options.timeoutMs ??
        clientOptions.timeoutMs ??
        (knownSilent ? SILENT_AGAIN_TIMEOUT_MS : DEFAULT_TIMEOUT_MS);
      const retries = options.retries ?? clientOptions.retries ?? (knownSilent ? 0 : DEFAULT_RETRIES);
      const udpPayloadSize =
        options.udpPayloadSize ?? clientOptions.udpPayloadSize ?? DEFAULT_UDP_PAYLOAD_SIZE;
      validateQuery(server, question, timeoutMs, retries);
      const { signal, budget } = options;
      const dnsPacket = await loadDnsPacket();

      let last: { failure: DnsFailure; message: string } = { failure: 'timeout', message: '' };
      let attempts = 0;
      for (let attempt = 0; attempt <= retries; attempt++) {
        throwIfAborted(signal, server, question);
        if (budget?.aborted) {
          last = { failure: 'timeout', message: "the check's time budget ran out" };
          break;
        }
        attempts++;
        // A fresh id per attempt, so a late answer to an earlier attempt cannot be mistaken for this one.
        const id = randomInt(0, 0x10000);
        const query = encodeQuery(dnsPacket, id, question, udpPayloadSize);
        const exchangeSignals = { signal, budget, dnsPacket };
        let outcome = await exchange('udp', server, query, id, question, timeoutMs, clock, exchangeSignals);
        let context = '';
        if (outcome.kind === 'packet' && !outcome.packet.flag_tc) {
          recentlySilent.delete(serverKey);
          return success(server, question, attempts, outcome.packet, 'udp');
        }
        if (outcome.kind === 'packet') {
          // RFC 7766: a truncated UDP answer is retried over TCP, where the full answer fits.
          outcome = await exchange('tcp', server, query, id, question, timeoutMs, clock, exchangeSignals);
          if (outcome.kind === 'packet') {
            recentlySilent.delete(serverKey);
            return success(server, question, attempts, outcome.packet, 'tcp');
          }
          context = 'answer truncated over UDP, and TCP failed: ';
        }
        if (outcome.kind === 'aborted') throwIfAborted(signal, server, question);
        if (outcome.kind === 'timeout') {
          last = { failure: 'timeout', message: `${context}no answer within ${timeoutMs} ms` };
        } else if (outcome.kind === 'budget') {
          last = {
            failure: 'timeout',
            message: `${context}no answer before the check's time budget ran out`,
          };
          break;
        } else if (outcome.kind === 'error') {
          last = { failure: outcome.closed ? 'closed' : 'network', message: `${context}${outcome.message}` };
          // An error comes back at once (connection refused): pause before trying again, with jitter so
          // parallel queries do not retry in lockstep.
          if (attempt < retries) {
            const backoff = Math.min(MAX_ERROR_BACKOFF_MS, 50 * 2 ** attempt) * (1 + clock.random());
            await sleepOrCancel(clock, backoff, signal, server, question);
          }
        }
      }
      if (last.failure === 'timeout' && !budget?.aborted && attempts === retries + 1)
        recentlySilent.set(serverKey, clock.now());
      const plural = attempts === 1 ? '' : 's';
      return {
        ok: false,
        server,
        question,
        attempts,
        failure: last.failure,
        message: `${describeServer(server)} did not answer ${question.name} ${question.type} after ${attempts} attempt${plural}: ${last.message}`,
      };
    },
  };
}

/** `host:port` for messages, with the label when there is one: `ns1.example.com (192.0.2.1:53)`. */
export function describeServer(server: DnsServer): string {
  const address =
    isIP(server.host) === 6 ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
  const labelled = server.name !== undefined && server.name !== server.host && server.name !== address;
  return labelled ? `${server.name} (${address})` : address;
}

/**
 * Parses a `--dns-server` value: `host`, `host:port`, `[v6]:port` or a bare IPv6 address. Port 53 when
 * none is given.
 */
export function parseDnsServer(value: string, source = '--dns-server'): DnsServer {
  const text = value.trim();
  let host = text;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (bracketed) {
    host = bracketed[1] ?? '';
    portText = bracketed[2];
  } else if (isIP(text) !== 6) {
    const colon = text.lastIndexOf(':');
    if (colon >= 0) {
      host = text.slice(0, colon);
      portText = text.slice(colon + 1);
    }
  }
  const port = portText === undefined ? 53 : Number(portText);
  const badHost = host === '' || /\s/.test(host);
  if (badHost || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new StackguideError(`${source} "${value}" is not a DNS server address.`, {
      code: 'dns.server.invalid',
      kind: 'user',
      details: [
        {
          path: source,
          message: badHost ? 'the host is empty or contains spaces' : `"${portText}" is not a port (1-65535)`,
          fix: 'Use host or host:port, for example 192.0.2.53:53 or [2001:db8::53]:5353.',
        },
      ],
    });
  }
  return { host, port };
}

/** A host name's address, the way this machine resolves it (injected in tests). */
export type HostLookup = (host: string) => Promise<string>;

const lookupWithSystem: HostLookup = async (host) => (await systemLookup(host)).address;

/**
 * Replaces host names in server addresses with an IP address, keeping the host name as the label, so
 * the DNS client only ever sees addresses (a name that does not resolve used to reach the socket and
 * crash with ERR_SOCKET_BAD_PORT). Every name is looked up at once; any that fails is a usage error
 * (exit 2) naming the host and where it was given.
 */
export async function resolveServerHosts(
  servers: readonly DnsServer[],
  source: string,
  lookup: HostLookup = lookupWithSystem,
): Promise<DnsServer[]> {
  const failures: { host: string; reason: string }[] = [];
  const resolved = await Promise.all(
    servers.map(async (server) => {
      if (isIP(server.host) !== 0) return server;
      try {
        const address = await lookup(server.host);
        return { ...server, host: address, name: server.name ?? server.host };
      } catch (error) {
        failures.push({ host: server.host, reason: (error as NodeJS.ErrnoException).code ?? String(error) });
        return server;
      }
    }),
  );
  if (failures.length > 0) {
    const hosts = failures.map((failure) => failure.host).join(', ');
    throw new StackguideError(`${source}: the DNS server host ${hosts} does not resolve.`, {
      code: 'dns.server.unresolvable',
      kind: 'user',
      details: failures.map((failure) => ({
        path: source,
        message: `"${failure.host}" has no address on this machine (${failure.reason})`,
        fix: `Check the spelling of ${failure.host}, or give the server's IP address instead (for example 192.0.2.53:53).`,
      })),
    });
  }
  return resolved;
}

type ExchangeOutcome =
  | { kind: 'packet'; packet: DecodedPacket }
  | { kind: 'timeout' }
  | { kind: 'budget' }
  | { kind: 'error'; message: string; closed: boolean }
  | { kind: 'aborted' };

/** ECONNREFUSED: the host is up and told us nothing listens on the port (a wrong port, a stopped server). */
function errorOutcome(error: Error): ExchangeOutcome {
  const code = (error as NodeJS.ErrnoException).code;
  return { kind: 'error', message: error.message, closed: code === 'ECONNREFUSED' };
}

/**
 * One attempt over one transport. Resolves (never rejects) with the first packet that answers *this*
 * query: same id and question, so stray or spoofed datagrams are ignored rather than trusted.
 */
function exchange(
  transport: DnsTransport,
  server: DnsServer,
  query: Buffer,
  id: number,
  question: DnsQuestion,
  timeoutMs: number,
  clock: Clock,
  {
    signal,
    budget,
    dnsPacket,
  }: { signal: AbortSignal | undefined; budget: AbortSignal | undefined; dnsPacket: DnsPacket },
): Promise<ExchangeOutcome> {
  return new Promise((resolve) => {
    const timer = new AbortController();
    let cleanup = (): void => {};
    let settled = false;
    const finish = (outcome: ExchangeOutcome): void => {
      if (settled) return;
      settled = true;
      timer.abort();
      signal?.removeEventListener('abort', onAbort);
      budget?.removeEventListener('abort', onBudget);
      cleanup();
      resolve(outcome);
    };
    const onAbort = (): void => finish({ kind: 'aborted' });
    const onBudget = (): void => finish({ kind: 'budget' });
    if (signal?.aborted) {
      finish({ kind: 'aborted' });
      return;
    }
    if (budget?.aborted) {
      finish({ kind: 'budget' });
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    budget?.addEventListener('abort', onBudget, { once: true });
    clock.sleep(timeoutMs, timer.signal).then(
      () => finish({ kind: 'timeout' }),
      () => {
        // Cancelled because the exchange finished first.
      },
    );
    const accept = (message: Buffer): void => {
      const packet = decodeAnswer(dnsPacket, message, id, question);
      if (packet) finish({ kind: 'packet', packet });
    };

    if (transport === 'udp') {
      const socket = createSocket(isIP(server.host) === 6 ? 'udp6' : 'udp4');
      cleanup = () => socket.close();
      socket.on('error', (error) => finish(errorOutcome(error)));
      socket.on('message', accept);
      // A connected UDP socket only receives datagrams from the server, and the kernel reports an ICMP
      // "port unreachable" as ECONNREFUSED at once instead of leaving us to wait for the timeout.
      socket.connect(server.port, server.host, () => {
        socket.send(query, (error) => {
          if (error) finish(errorOutcome(error));
        });
      });
      return;
    }

    const socket = tcpConnect({ host: server.host, port: server.port });
    cleanup = () => socket.destroy();
    let received = Buffer.alloc(0);
    socket.on('error', (error) => finish(errorOutcome(error)));
    socket.on('connect', () => {
      // RFC 1035 4.2.2: over TCP each message is preceded by its length as two bytes.
      const length = Buffer.alloc(2);
      length.writeUInt16BE(query.length);
      socket.write(Buffer.concat([length, query]));
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      while (received.length >= 2) {
        const size = received.readUInt16BE(0);
        if (received.length < 2 + size) return;
        accept(received.subarray(2, 2 + size));
        received = received.subarray(2 + size);
      }
    });
    socket.on('end', () =>
      finish({
        kind: 'error',
        message: 'the server closed the TCP connection without an answer',
        closed: false,
      }),
    );
  });
}

function decodeAnswer(
  dnsPacket: DnsPacket,
  message: Buffer,
  id: number,
  question: DnsQuestion,
): DecodedPacket | undefined {
  let packet: DecodedPacket;
  try {
    packet = dnsPacket.decode(message);
  } catch {
    // Garbage on the socket is not an answer; keep waiting for one until the timeout.
    return undefined;
  }
  if (packet.type !== 'response' || packet.id !== id) return undefined;
  const echoed = packet.questions?.[0];
  // Some servers omit the question on errors (FORMERR); with a matching id that is still our answer.
  if (echoed && (!sameName(echoed.name, question.name) || echoed.type !== question.type)) return undefined;
  return packet;
}

function encodeQuery(
  dnsPacket: DnsPacket,
  id: number,
  question: DnsQuestion,
  udpPayloadSize: number,
): Buffer {
  const additionals: Answer[] =
    udpPayloadSize > 0
      ? [
          {
            type: 'OPT',
            name: '.',
            udpPayloadSize,
            extendedRcode: 0,
            ednsVersion: 0,
            flags: 0,
            flag_do: false,
            options: [],
          },
        ]
      : [];
  return dnsPacket.encode({
    type: 'query',
    id,
    flags: question.recursionDesired ? dnsPacket.RECURSION_DESIRED : 0,
    questions: [{ name: question.name, type: question.type, class: 'IN' }],
    additionals,
  });
}

function success(
  server: DnsServer,
  question: DnsQuestion,
  attempts: number,
  packet: DecodedPacket,
  transport: DnsTransport,
): DnsQueryResult {
  return {
    ok: true,
    server,
    question,
    attempts,
    response: {
      rcode: RCODE_NAMES[(packet.flags ?? 0) & 0xf] ?? `RCODE${(packet.flags ?? 0) & 0xf}`,
      authoritative: packet.flag_aa,
      recursionAvailable: packet.flag_ra,
      transport,
      answers: (packet.answers ?? []).flatMap(toRecord),
      authorities: (packet.authorities ?? []).flatMap(toRecord),
      additionals: (packet.additionals ?? []).flatMap(toRecord),
    },
  };
}

function toRecord(answer: Answer): DnsRecord[] {
  if (answer.type === 'OPT') return [];
  const base = { name: answer.name, type: answer.type, class: answer.class ?? 'IN', ttl: answer.ttl ?? 0 };
  switch (answer.type) {
    case 'SOA': {
      const d = answer.data;
      const soa: DnsSoa = {
        mname: d.mname,
        rname: d.rname,
        serial: d.serial ?? 0,
        refresh: d.refresh ?? 0,
        retry: d.retry ?? 0,
        expire: d.expire ?? 0,
        minimum: d.minimum ?? 0,
      };
      const data = `${soa.mname} ${soa.rname} ${soa.serial} ${soa.refresh} ${soa.retry} ${soa.expire} ${soa.minimum}`;
      return [{ ...base, data, soa }];
    }
    case 'TXT': {
      const parts = Array.isArray(answer.data) ? answer.data : [answer.data];
      return [{ ...base, data: parts.map((part) => JSON.stringify(part.toString())).join(' ') }];
    }
    case 'MX':
      return [{ ...base, data: `${answer.data.preference ?? 0} ${answer.data.exchange}` }];
    case 'A':
    case 'AAAA':
    case 'CNAME':
    case 'DNAME':
    case 'NS':
    case 'PTR':
      return [{ ...base, data: answer.data }];
    default:
      return [{ ...base, data: genericData(answer.data) }];
  }
}

/** RFC 3597 form for opaque data; JSON for the structured types we never look into. */
function genericData(data: unknown): string {
  if (Buffer.isBuffer(data)) return `\\# ${data.length} ${data.toString('hex')}`;
  return JSON.stringify(data, (_key, value: unknown) =>
    value !== null &&
    typeof value === 'object' &&
    'type' in value &&
    value.type === 'Buffer' &&
    'data' in value
      ? Buffer.from(value.data as number[]).toString('hex')
      : value,
  );
}

function sameName(a: string, b: string): boolean {
  return a.replace(/\.+$/, '').toLowerCase() === b.replace(/\.+$/, '').toLowerCase();
}

function validateQuery(server: DnsServer, question: DnsQuestion, timeoutMs: number, retries: number): void {
  const problems: string[] = [];
  if (!isValidDnsName(question.name)) problems.push(`"${question.name}" is not a valid DNS name`);
  if (!Number.isInteger(server.port) || server.port < 1 || server.port > 65_535) {
    problems.push(`port ${server.port} is out of range`);
  }
  if (!(timeoutMs > 0)) problems.push(`timeout ${timeoutMs} ms must be positive`);
  if (!Number.isInteger(retries) || retries < 0) problems.push(`retries ${retries} must be 0 or more`);
  if (problems.length > 0) {
    throw new StackguideError(`Cannot send the DNS query: ${problems.join('; ')}.`, {
      code: 'dns.query.invalid',
      kind: 'user',
    });
  }
}

/** Host-name syntax loosely (underscores allowed, as in `_acme-challenge`); the root is `.`. */
export function isValidDnsName(name: string): boolean {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  if (trimmed === '') return name === '.';
  if (trimmed.length > 253) return false;
  return trimmed
    .split('.')
    .every((label) => /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/.test(label));
}

function throwIfAborted(signal: AbortSignal | undefined, server: DnsServer, question: DnsQuestion): void {
  if (!signal?.aborted) return;
  throw new StackguideError(
    `DNS query ${question.name} ${question.type} to ${describeServer(server)} was cancelled.`,
    {
      code: 'dns.cancelled',
      kind: 'cancelled',
      cause: signal.reason,
    },
  );
}

async function sleepOrCancel(
  clock: Clock,
  ms: number,
  signal: AbortSignal | undefined,
  server: DnsServer,
  question: DnsQuestion,
): Promise<void> {
  try {
    await clock.sleep(ms, signal);
  } catch {
    throwIfAborted(signal, server, question);
  }
}
