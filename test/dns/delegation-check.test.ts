import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  checkDelegation,
  type DelegationCheckOptions,
  waitForDelegation,
} from '../../src/dns/delegation-check.ts';
import type { DelegationCheckResult } from '../../src/dns/delegation-check-result.ts';
import {
  createDnsClient,
  type DnsClient,
  type DnsQueryResult,
  type DnsQuestion,
  type DnsServer,
} from '../../src/dns/dns-client.ts';
import type { Clock } from '../../src/runtime/clock.ts';
import { systemClock } from '../../src/runtime/clock.ts';
import { freePort } from '../support/free-port.ts';
import { type KnotServer, startKnotServer } from '../support/knot-server.ts';

/**
 * The delegation check against real knotd servers on loopback addresses:
 *   parent   127.0.0.1 and 127.0.0.8   example.test, whose zone file each test rewrites (the "registrar")
 *   child    127.0.0.2-5               codeocean.example.test: the hosted zone's four name servers
 *   old      127.0.0.6                 codeocean.example.test with the old NS set: a resolver's stale cache
 *   other    127.0.0.7                 unrelated.test only: what a deleted hosted zone's servers answer (REFUSED)
 * Name server host names reach them through `nameServerAddresses`, each on its server's own port.
 */

const domain = 'codeocean.example.test';
const expected = ['NS-1.aws.test.', 'ns-2.AWS.test.', 'ns-3.aws.test', 'ns-4.aws.test.'];
const expectedNormalised = ['ns-1.aws.test', 'ns-2.aws.test', 'ns-3.aws.test', 'ns-4.aws.test'];
const old = ['ns-old-1.aws.test', 'ns-old-2.aws.test'];
const parentApex = ['@ NS ns1', 'ns1 A 127.0.0.1'];
const fixedNow = Date.parse('2025-06-01T12:00:00.000Z');
const fixedClock: Clock = { now: () => fixedNow, sleep: systemClock.sleep, random: () => 0.5 };

let parent: KnotServer;
let child: KnotServer;
let oldZone: KnotServer;
let other: KnotServer;
let dns: DnsClient;

function delegationLines(names: readonly string[], ttl = 300, owner = 'codeocean'): string[] {
  return names.map((name) => `${owner} ${ttl} NS ${name}.`);
}

function parentZone(lines: readonly string[]): string {
  return [...parentApex, ...lines].join('\n');
}

function childZone(nameServers: readonly string[], ttl: number): string {
  return [...nameServers.map((name) => `@ ${ttl} NS ${name}.`), 'www A 192.0.2.80'].join('\n');
}

function addresses(overrides: Record<string, DnsServer> = {}): Record<string, DnsServer> {
  return {
    'ns1.example.test': parent.server('ns1.example.test'),
    'ns-1.aws.test': child.server(undefined, '127.0.0.2'),
    'ns-2.aws.test': child.server(undefined, '127.0.0.3'),
    'ns-3.aws.test': child.server(undefined, '127.0.0.4'),
    'NS-4.AWS.TEST.': child.server(undefined, '127.0.0.5'),
    'ns-old-1.aws.test': other.server(),
    'ns-old-2.aws.test': other.server(),
    ...overrides,
  };
}

function resolvers() {
  return {
    fresh: child.server('fresh-resolver', '127.0.0.2'),
    stale: oldZone.server('stale-cache'),
    parentAsResolver: parent.server('parent-as-resolver'),
  };
}

/** A UDP socket that takes every query and never answers: a dead server behind a dropping firewall. */
async function silentServer() {
  const socket = createSocket('udp4');
  const port = await freePort();
  await new Promise<void>((resolve) => socket.bind(port, '127.0.0.1', resolve));
  return {
    port,
    server: (name: string): DnsServer => ({ host: '127.0.0.1', port, name }),
    close: () => socket.close(),
  };
}

function options(overrides: Partial<DelegationCheckOptions> = {}): DelegationCheckOptions {
  return {
    domain,
    expectedNameServers: expected,
    parentServers: [parent.server('a.parent.test', '127.0.0.1'), parent.server('b.parent.test', '127.0.0.8')],
    resolvers: [resolvers().fresh],
    nameServerAddresses: addresses(),
    ...overrides,
  };
}

function check(overrides: Partial<DelegationCheckOptions> = {}): Promise<DelegationCheckResult> {
  return checkDelegation({ dns, clock: fixedClock }, options(overrides));
}

/** Without `parentServers`: the check must find them through the resolvers. */
function discover(overrides: Partial<DelegationCheckOptions> = {}): Promise<DelegationCheckResult> {
  const { parentServers: _ignored, ...rest } = options(overrides);
  return checkDelegation({ dns, clock: fixedClock }, rest);
}

beforeAll(async () => {
  dns = createDnsClient();
  [parent, child, oldZone, other] = await Promise.all([
    startKnotServer({
      zones: [{ origin: 'example.test', records: parentZone([]) }],
      addresses: ['127.0.0.1', '127.0.0.8'],
    }),
    startKnotServer({
      zones: [
        { origin: domain, records: childZone(expectedNormalised, 300) },
        { origin: 'codeocean.lab.example.test', records: childZone(expectedNormalised, 300) },
      ],
      addresses: ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'],
    }),
    startKnotServer({ zones: [{ origin: domain, records: childZone(old, 120) }], addresses: ['127.0.0.6'] }),
    startKnotServer({
      zones: [{ origin: 'unrelated.test', records: '@ NS ns\nns A 127.0.0.7' }],
      addresses: ['127.0.0.7'],
    }),
  ]);
});

afterAll(async () => {
  await Promise.all([parent?.stop(), child?.stop(), oldZone?.stop(), other?.stop()]);
});

describe('checkDelegation against knotd', () => {
  beforeEach(async () => {
    await parent.setZone('example.test', parentZone([]));
    await oldZone.setZone(domain, childZone(old, 120));
  });

  it('reports a correct delegation per parent server, name server and resolver', async () => {
    await parent.setZone(
      'example.test',
      parentZone(delegationLines(['NS-1.AWS.TEST', 'ns-2.aws.test', 'Ns-3.Aws.Test', 'ns-4.aws.test'])),
    );
    const result = await check();
    expect(result.status).toBe('delegated');
    expect(result.fix).toBeNull();
    expect(result.checkedAt).toBe('2025-06-01T12:00:00.000Z');
    expect(result.parentZone).toBe('example.test');
    expect(result.expectedNameServers).toEqual(expectedNormalised);
    expect(result.parentServers.map((server) => [server.server.name, server.status, server.ttl])).toEqual([
      ['a.parent.test', 'delegated', 300],
      ['b.parent.test', 'delegated', 300],
    ]);
    expect(result.parentServers[0]?.nameServers).toEqual(expectedNormalised);
    expect(result.nameServers.map((server) => [server.name, server.status, server.server?.host])).toEqual([
      ['ns-1.aws.test', 'authoritative', '127.0.0.2'],
      ['ns-2.aws.test', 'authoritative', '127.0.0.3'],
      ['ns-3.aws.test', 'authoritative', '127.0.0.4'],
      ['ns-4.aws.test', 'authoritative', '127.0.0.5'],
    ]);
    expect(result.propagation).toMatchObject({ status: 'complete', recheckAfterSeconds: null });
    expect(result.propagation.resolvers[0]).toMatchObject({
      status: 'matches',
      nameServers: expectedNormalised,
    });
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('reports a missing delegation with every record to add, and the negative TTL to wait out', async () => {
    const result = await check({ resolvers: [resolvers().parentAsResolver] });
    expect(result.status).toBe('missing');
    expect(result.parentServers.map((server) => [server.status, server.rcode])).toEqual([
      ['missing', 'NXDOMAIN'],
      ['missing', 'NXDOMAIN'],
    ]);
    expect(result.explanation).toContain('example.test has no NS records for codeocean.example.test');
    expect(result.fix?.add).toEqual([
      'codeocean.example.test. 300 IN NS ns-1.aws.test.',
      'codeocean.example.test. 300 IN NS ns-2.aws.test.',
      'codeocean.example.test. 300 IN NS ns-3.aws.test.',
      'codeocean.example.test. 300 IN NS ns-4.aws.test.',
    ]);
    expect(result.nameServers).toEqual([]);
    // The zone's SOA MINIMUM is 60 s: that long a resolver may keep saying NXDOMAIN.
    expect(result.propagation.resolvers[0]).toMatchObject({
      status: 'no-answer',
      rcode: 'NXDOMAIN',
      recheckAfterSeconds: 60,
    });
    expect(result.propagation).toMatchObject({ status: 'pending', recheckAfterSeconds: 60 });
  });

  it('reports a partial delegation with the missing records', async () => {
    await parent.setZone('example.test', parentZone(delegationLines(['ns-1.aws.test', 'ns-2.aws.test'])));
    const result = await check();
    expect(result.status).toBe('partial');
    expect(result.parentServers[0]?.missingNameServers).toEqual(['ns-3.aws.test', 'ns-4.aws.test']);
    expect(result.fix?.add).toEqual([
      'codeocean.example.test. 300 IN NS ns-3.aws.test.',
      'codeocean.example.test. 300 IN NS ns-4.aws.test.',
    ]);
    expect(result.fix?.remove).toEqual([]);
    expect(result.explanation).toContain('missing: ns-3.aws.test, ns-4.aws.test');
  });

  it('reports a stale delegation to a deleted zone, and a resolver still caching it', async () => {
    await parent.setZone('example.test', parentZone(delegationLines(old, 3600)));
    const result = await check({ resolvers: [resolvers().fresh, resolvers().stale] });
    expect(result.status).toBe('stale');
    expect(result.parentServers[0]).toMatchObject({ extraNameServers: old, lameNameServers: old });
    expect(result.nameServers.map((server) => [server.name, server.status, server.rcode])).toEqual([
      ['ns-old-1.aws.test', 'lame', 'REFUSED'],
      ['ns-old-2.aws.test', 'lame', 'REFUSED'],
    ]);
    expect(result.explanation).toContain('earlier hosted zone');
    expect(result.fix?.remove).toEqual([
      'codeocean.example.test. 3600 IN NS ns-old-1.aws.test.',
      'codeocean.example.test. 3600 IN NS ns-old-2.aws.test.',
    ]);
    expect(result.fix?.add).toHaveLength(4);
    const [fresh, stale] = result.propagation.resolvers;
    expect(fresh).toMatchObject({ status: 'matches' });
    expect(stale).toMatchObject({
      status: 'old-answer',
      nameServers: old,
      ttl: 120,
      recheckAfterSeconds: 120,
    });
    expect(result.propagation.recheckAfterSeconds).toBe(120);
  });

  it('reports a lame name server: one that refuses the zone, or answers without authority', async () => {
    await parent.setZone('example.test', parentZone(delegationLines(expectedNormalised)));
    const refusing = await check({ nameServerAddresses: addresses({ 'ns-4.aws.test': other.server() }) });
    expect(refusing.status).toBe('lame');
    expect(refusing.parentServers[0]?.lameNameServers).toEqual(['ns-4.aws.test']);
    expect(refusing.nameServers.find((server) => server.name === 'ns-4.aws.test')).toMatchObject({
      status: 'lame',
      rcode: 'REFUSED',
    });
    expect(refusing.explanation).toContain('ns-4.aws.test refuses queries');
    expect(refusing.fix?.summary).toContain('still exists');

    // The parent's own server, listed as a child name server, only has a referral to give.
    const referring = await check({ nameServerAddresses: addresses({ 'ns-4.aws.test': parent.server() }) });
    expect(referring.status).toBe('lame');
    expect(referring.explanation).toContain('ns-4.aws.test answers without authority');
  });

  it('reports unreachable parent servers within the query timeout', async () => {
    const socket = createSocket('udp4');
    const port = await freePort();
    await new Promise<void>((resolve) => socket.bind(port, '127.0.0.1', resolve));
    try {
      const started = Date.now();
      const result = await check({
        parentServers: [{ host: '127.0.0.1', port, name: 'silent.parent.test' }],
        query: { timeoutMs: 150, retries: 1 },
      });
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(result.status).toBe('unreachable');
      expect(result.parentServers[0]).toMatchObject({
        status: 'unreachable',
        problem: 'silent',
        rcode: null,
      });
      expect(result.explanation).toContain(`silent.parent.test (127.0.0.1:${port})`);
      expect(result.fix?.summary).toContain(`127.0.0.1:${port}`);
    } finally {
      socket.close();
    }
  });

  it('gives the verdict of the servers that answer when one is silent, within 2.5 s', async () => {
    await parent.setZone('example.test', parentZone(delegationLines(expectedNormalised)));
    const silent = await silentServer();
    try {
      const started = Date.now();
      const result = await check({
        parentServers: [parent.server('a.parent.test', '127.0.0.1'), silent.server('dead.parent.test')],
      });
      const elapsed = Date.now() - started;
      expect(elapsed).toBeLessThan(2_500);
      expect(result.status).toBe('delegated');
      expect(
        result.parentServers.map((server) => [server.server.name, server.status, server.problem]),
      ).toEqual([
        ['a.parent.test', 'delegated', null],
        ['dead.parent.test', 'unreachable', 'silent'],
      ]);
      expect(result.explanation).toContain(
        `1 of 2 servers of example.test gave no usable answer, and the verdict comes from the others: dead.parent.test (127.0.0.1:${silent.port}), a server of example.test, did not answer`,
      );
      // The name servers were probed as soon as the live parent named them, not after the silent one.
      expect(result.nameServers.map((server) => server.status)).toEqual(Array(4).fill('authoritative'));
    } finally {
      silent.close();
    }
  });

  it('says a port where nothing listens is closed, at once', async () => {
    const port = await freePort();
    const started = Date.now();
    const result = await check({ parentServers: [{ host: '127.0.0.1', port, name: 'closed.parent.test' }] });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(result.status).toBe('unreachable');
    expect(result.parentServers[0]).toMatchObject({ problem: 'closed' });
    expect(result.explanation).toContain('nothing listens on that port');
    expect(result.fix?.summary).toContain('check the address and port given with --dns-server');
  });

  it('says a server that refuses the parent zone is the wrong server, not an unreachable one', async () => {
    const result = await check({ parentServers: [other.server('ns.unrelated.test')] });
    expect(result.status).toBe('refused');
    expect(result.parentServers[0]).toMatchObject({
      status: 'refused',
      problem: 'refused',
      rcode: 'REFUSED',
    });
    expect(result.explanation).toContain('refused to answer for example.test (REFUSED)');
    expect(result.fix?.summary).toContain('dig NS example.test');
  });

  it('resolves a host name given for a parent server before asking it', async () => {
    await parent.setZone('example.test', parentZone(delegationLines(expectedNormalised)));
    const result = await check({ parentServers: [{ host: 'localhost', port: parent.port }] });
    expect(result.status).toBe('delegated');
    expect(result.parentServers[0]?.server).toMatchObject({ name: 'localhost', port: parent.port });
    await expect(check({ parentServers: [{ host: 'ns1.nowhere.invalid', port: 53 }] })).rejects.toMatchObject(
      {
        code: 'dns.server.unresolvable',
        exitCode: 2,
      },
    );
  });

  it('finds the parent servers through the resolvers when none are given', async () => {
    await parent.setZone(
      'example.test',
      parentZone([
        ...delegationLines(expectedNormalised),
        ...delegationLines(expectedNormalised, 300, 'codeocean.lab'),
      ]),
    );
    const direct = await discover({ resolvers: [resolvers().parentAsResolver] });
    expect(direct.parentZone).toBe('example.test');
    expect(
      direct.parentServers.map((server) => [server.server.name, server.server.port, server.status]),
    ).toEqual([['ns1.example.test', parent.port, 'delegated']]);
    expect(direct.status).toBe('delegated');

    // lab.example.test is not a zone: the SOA of the NODATA answer points at example.test.
    const nested = await discover({
      domain: 'codeocean.lab.example.test',
      resolvers: [resolvers().parentAsResolver],
    });
    expect(nested.parentZone).toBe('example.test');
    expect(nested.status).toBe('delegated');
  });

  it('explains a parent zone that does not exist with its own fix', async () => {
    const result = await discover({
      domain: 'codeocean.nowhere.example.test',
      parentZone: 'nowhere.example.test',
      resolvers: [resolvers().parentAsResolver],
    });
    // Adding NS records in nowhere.example.test cannot work until that zone exists.
    expect(result.status).toBe('missing');
    expect(result.parentServers).toEqual([]);
    expect(result.explanation).toContain(
      'Could not find the servers of nowhere.example.test: nowhere.example.test does not exist (NXDOMAIN)',
    );
    expect(result.discoveryProblem).toMatchObject({ problem: 'nxdomain' });
    expect(result.fix?.summary).toContain('register nowhere.example.test or create its zone');
    expect(result.fix?.add).toHaveLength(4);
  });

  it('tells a resolver that refuses to resolve for us from a zone that does not exist', async () => {
    // knotd is no recursive resolver: it refuses a zone it does not serve.
    const result = await discover({
      domain: 'codeocean.nowhere.test',
      resolvers: [resolvers().parentAsResolver],
    });
    expect(result.status).toBe('unreachable');
    expect(result.explanation).toContain('answered REFUSED');
    expect(result.fix?.summary).toContain('STACKGUIDE_DNS_RESOLVERS');
  });

  it('names STACKGUIDE_DNS_RESOLVERS when no resolver can be reached, within the budget', async () => {
    const silent = await silentServer();
    try {
      const started = Date.now();
      const result = await discover({ resolvers: [silent.server('blocked-resolver')] });
      expect(Date.now() - started).toBeLessThan(2_500);
      expect(result.status).toBe('unreachable');
      expect(result.explanation).toContain(`blocked-resolver (127.0.0.1:${silent.port}) did not answer`);
      expect(result.fix?.summary).toContain('set STACKGUIDE_DNS_RESOLVERS');
      expect(result.propagation).toMatchObject({ status: 'unknown' });
      expect(result.propagation.fix).toContain('STACKGUIDE_DNS_RESOLVERS');
    } finally {
      silent.close();
    }
  });
});

describe('the registrar flow against knotd', () => {
  beforeEach(async () => {
    await parent.setZone('example.test', parentZone([]));
    await oldZone.setZone(domain, childZone(old, 120));
  });

  it('notices the NS records once they are pasted into the parent zone', async () => {
    const before = await check();
    expect(before.status).toBe('missing');
    // The operator copies the suggested lines verbatim: they must be valid zone-file syntax.
    await parent.setZone('example.test', parentZone(before.fix?.add ?? []));
    const after = await check();
    expect(after.status).toBe('delegated');
    expect(after.parentServers.map((server) => server.ttl)).toEqual([300, 300]);
  });

  it('waits until the delegation appears, pausing as the clock says', async () => {
    const slept: number[] = [];
    let now = fixedNow;
    const clock: Clock = {
      now: () => now,
      random: () => 0.5,
      // While we "wait", the operator adds the records at the registrar.
      sleep: async (ms) => {
        slept.push(ms);
        now += ms;
        if (slept.length === 2)
          await parent.setZone('example.test', parentZone(delegationLines(expectedNormalised)));
      },
    };
    const seen: string[] = [];
    const result = await waitForDelegation(
      { dns, clock },
      { ...options(), timeoutMs: 600_000, minIntervalMs: 5_000, onCheck: (check) => seen.push(check.status) },
    );
    expect(result.status).toBe('delegated');
    expect(seen).toEqual(['missing', 'missing', 'delegated']);
    expect(slept).toEqual([5_000, 5_000]);
  });

  it('waits for propagation as long as the stale cache says', async () => {
    await parent.setZone('example.test', parentZone(delegationLines(expectedNormalised)));
    const slept: number[] = [];
    let now = fixedNow;
    const clock: Clock = {
      now: () => now,
      random: () => 0.5,
      // The stale resolver's cache expires while we wait.
      sleep: async (ms) => {
        slept.push(ms);
        now += ms;
        await oldZone.setZone(domain, childZone(expectedNormalised, 120));
      },
    };
    const result = await waitForDelegation(
      { dns, clock },
      {
        ...options({ resolvers: [resolvers().stale] }),
        until: 'propagated',
        timeoutMs: 600_000,
        maxIntervalMs: 300_000,
      },
    );
    expect(result.propagation.status).toBe('complete');
    expect(slept).toEqual([120_000]);
  });

  it('gives up with the fix when the deadline passes', async () => {
    let now = fixedNow;
    const clock: Clock = {
      now: () => now,
      random: () => 0.5,
      sleep: async (ms) => {
        now += ms;
      },
    };
    const waiting = waitForDelegation(
      { dns, clock },
      { ...options(), timeoutMs: 12_000, minIntervalMs: 5_000 },
    );
    await expect(waiting).rejects.toMatchObject({
      code: 'dns.delegation.timeout',
      kind: 'user',
      nextSteps: expect.arrayContaining(['add: codeocean.example.test. 300 IN NS ns-1.aws.test.']),
    });
  });
});

describe('checkDelegation with a scripted client', () => {
  it('asks parents and name servers without recursion, resolvers with it, in parallel, and uses glue', async () => {
    const calls: { server: string; question: DnsQuestion }[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const response = (server: DnsServer, question: DnsQuestion, partial: object): DnsQueryResult => ({
      ok: true,
      server,
      question,
      attempts: 1,
      response: {
        rcode: 'NOERROR',
        authoritative: false,
        recursionAvailable: false,
        transport: 'udp',
        answers: [],
        authorities: [],
        additionals: [],
        ...partial,
      },
    });
    const client: DnsClient = {
      async query(server, question) {
        calls.push({ server: `${server.host}:${server.port}`, question });
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 10));
        inFlight--;
        const names = ['ns1.codeocean.example.com', 'ns2.codeocean.example.com'];
        if (question.type === 'NS' && !question.recursionDesired) {
          return response(server, question, {
            authorities: names.map((name) => ({
              name: 'codeocean.example.com',
              type: 'NS',
              class: 'IN',
              ttl: 3600,
              data: name,
            })),
            additionals: names.map((name, index) => ({
              name,
              type: 'A',
              class: 'IN',
              ttl: 3600,
              data: `192.0.2.${index + 10}`,
            })),
          });
        }
        if (question.type === 'SOA') {
          const soa = { mname: 'ns1', rname: 'h', serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 1 };
          return response(server, question, {
            authoritative: true,
            answers: [{ name: 'codeocean.example.com', type: 'SOA', class: 'IN', ttl: 900, data: '', soa }],
          });
        }
        return response(server, question, { rcode: 'SERVFAIL', recursionAvailable: true });
      },
    };
    const result = await checkDelegation(
      { dns: client, clock: fixedClock },
      {
        domain: 'codeocean.example.com',
        expectedNameServers: ['ns1.codeocean.example.com', 'ns2.codeocean.example.com'],
        parentServers: [
          { host: '192.0.2.1', port: 53 },
          { host: '192.0.2.2', port: 53 },
        ],
        resolvers: [{ host: '198.51.100.1', port: 53, name: 'resolver' }],
      },
    );
    expect(result.status).toBe('delegated');
    expect(result.nameServers.map((server) => server.server?.host)).toEqual(['192.0.2.10', '192.0.2.11']);
    const byServer = (host: string) =>
      calls.filter((call) => call.server.startsWith(host)).map((call) => call.question);
    expect(byServer('192.0.2.1:')).toEqual([
      { name: 'codeocean.example.com', type: 'NS', recursionDesired: false },
    ]);
    expect(byServer('192.0.2.10')).toEqual([
      { name: 'codeocean.example.com', type: 'SOA', recursionDesired: false },
    ]);
    expect(byServer('198.51.100.1')).toEqual([
      { name: 'codeocean.example.com', type: 'NS', recursionDesired: true },
    ]);
    // Both parent servers and the resolver were asked at the same time.
    expect(maxInFlight).toBeGreaterThanOrEqual(3);
    // SERVFAIL carries no negative TTL: the parent's NS TTL says when to look again.
    expect(result.propagation.resolvers[0]).toMatchObject({ status: 'no-answer', recheckAfterSeconds: 3600 });
  });

  it('refuses bad input before asking anything, naming each field', async () => {
    const client: DnsClient = {
      query: () => Promise.reject(new Error('no query expected')),
    };
    const attempt = checkDelegation(
      { dns: client, clock: fixedClock },
      {
        domain: 'localhost',
        expectedNameServers: ['bad name'],
        parentZone: 'example.com',
        parentServers: [],
      },
    );
    await expect(attempt).rejects.toMatchObject({
      code: 'dns.delegation.invalid',
      kind: 'user',
      details: [
        { path: 'domain' },
        { path: 'parentZone' },
        { path: 'expectedNameServers[0]' },
        { path: '--dns-server' },
      ],
    });
  });
});
