import { createSocket, type Socket } from 'node:dgram';
import dnsPacket from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDnsClient, parseDnsServer, resolveServerHosts } from '../../src/dns/dns-client.ts';
import { StackguideError } from '../../src/errors.ts';
import { freePort } from '../support/free-port.ts';
import { type KnotServer, startKnotServer } from '../support/knot-server.ts';

/** A UDP socket on a loopback port that receives queries and handles them as the test says. */
async function fakeUdpServer(
  onQuery: (query: dnsPacket.DecodedPacket, reply: (packet: dnsPacket.Packet) => void) => void,
) {
  const socket: Socket = createSocket('udp4');
  const port = await freePort();
  await new Promise<void>((resolve) => socket.bind(port, '127.0.0.1', resolve));
  let received = 0;
  socket.on('message', (message, from) => {
    received++;
    const query = dnsPacket.decode(message);
    onQuery(query, (packet) => socket.send(dnsPacket.encode(packet), from.port, from.address));
  });
  return {
    server: { host: '127.0.0.1', port },
    received: () => received,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

const bigTxt = Array.from(
  { length: 12 },
  (_, index) => `big TXT "${String(index).padStart(2, '0')}${'x'.repeat(200)}"`,
);

describe('dns client against knotd', () => {
  let knot: KnotServer;
  beforeAll(async () => {
    knot = await startKnotServer({
      zones: [
        {
          origin: 'example.test',
          records: ['@ NS ns1', 'ns1 A 127.0.0.1', 'www A 192.0.2.80', ...bigTxt].join('\n'),
        },
      ],
    });
  });
  afterAll(() => knot?.stop());

  it('returns the answer, the rcode and the AA flag over UDP', async () => {
    const result = await createDnsClient().query(knot.server(), {
      name: 'WWW.Example.Test.',
      type: 'A',
      recursionDesired: false,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.response).toMatchObject({ rcode: 'NOERROR', authoritative: true, transport: 'udp' });
    // Owner names come back as asked (knotd compresses them to the question), hence case-blind comparisons.
    expect(result.response.answers).toEqual([
      { name: 'WWW.Example.Test', type: 'A', class: 'IN', ttl: 300, data: '192.0.2.80' },
    ]);
    expect(result.response.authorities).toEqual([]);
  });

  it('reports NXDOMAIN with the SOA in the authority section', async () => {
    const result = await createDnsClient().query(knot.server(), {
      name: 'nope.example.test',
      type: 'A',
      recursionDesired: false,
    });
    if (!result.ok) throw new Error(result.message);
    expect(result.response.rcode).toBe('NXDOMAIN');
    expect(result.response.authorities[0]?.soa).toMatchObject({ mname: 'ns.example.test', minimum: 60 });
  });

  it('falls back to TCP when the UDP answer is truncated', async () => {
    const client = createDnsClient();
    const result = await client.query(knot.server(), {
      name: 'big.example.test',
      type: 'TXT',
      recursionDesired: false,
    });
    if (!result.ok) throw new Error(result.message);
    // 12 x ~200 bytes cannot fit the 1232-byte EDNS payload knotd allows over UDP.
    expect(result.response.transport).toBe('tcp');
    expect(result.response.answers).toHaveLength(12);
    expect(result.response.answers.map((record) => record.data)).toContain(`"11${'x'.repeat(200)}"`);
    // Without EDNS the classic 512-byte limit applies, and the fallback still gets the full answer.
    const classic = await client.query(
      knot.server(),
      { name: 'big.example.test', type: 'TXT', recursionDesired: false },
      { udpPayloadSize: 0 },
    );
    expect(classic.ok && classic.response.answers.length).toBe(12);
  });
});

describe('dns client failures', () => {
  it("stops at the caller's budget and reports it as silence, without throwing", async () => {
    const swallow = await fakeUdpServer(() => {});
    try {
      const started = Date.now();
      const result = await createDnsClient().query(
        swallow.server,
        { name: 'codeocean.example.test', type: 'NS', recursionDesired: false },
        { timeoutMs: 5_000, retries: 3, budget: AbortSignal.timeout(200) },
      );
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(result).toMatchObject({ ok: false, failure: 'timeout', attempts: 1 });
      expect(result.ok || result.message).toContain("before the check's time budget ran out");
    } finally {
      await swallow.close();
    }
  });

  it('uses short tries and one retry by default, so a silent server costs under 2 s', async () => {
    const swallow = await fakeUdpServer(() => {});
    try {
      const started = Date.now();
      const result = await createDnsClient().query(swallow.server, {
        name: 'codeocean.example.test',
        type: 'NS',
        recursionDesired: false,
      });
      expect(result).toMatchObject({ ok: false, failure: 'timeout', attempts: 2 });
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await swallow.close();
    }
  });

  it('asks a server silent on every try again with one short try, and forgets that once it answers', async () => {
    let silent = true;
    const server = await fakeUdpServer((query, reply) => {
      if (!silent)
        reply({ type: 'response', id: query.id, flags: 0, questions: query.questions, answers: [] });
    });
    const question = { name: 'codeocean.example.test', type: 'NS' as const, recursionDesired: false };
    try {
      expect(await createDnsClient().query(server.server, question)).toMatchObject({
        ok: false,
        attempts: 2,
      });
      // A new client, as the next check of the same run makes: one try of 500 ms, still reported.
      const started = Date.now();
      const again = await createDnsClient().query(server.server, question);
      expect(again).toMatchObject({ ok: false, failure: 'timeout', attempts: 1 });
      expect(again.ok ? '' : again.message).toContain('no answer within 500 ms');
      expect(Date.now() - started).toBeLessThan(900);
      silent = false;
      expect(await createDnsClient().query(server.server, question)).toMatchObject({ ok: true });
      silent = true;
      // Answered since: a silence is tried twice again.
      expect(await createDnsClient().query(server.server, question)).toMatchObject({
        ok: false,
        attempts: 2,
      });
    } finally {
      await server.close();
    }
  });

  it('times out, retries a bounded number of times, and says so', async () => {
    const swallow = await fakeUdpServer(() => {});
    try {
      const started = Date.now();
      const result = await createDnsClient().query(
        swallow.server,
        { name: 'codeocean.example.test', type: 'NS', recursionDesired: false },
        { timeoutMs: 150, retries: 2 },
      );
      const elapsed = Date.now() - started;
      expect(result).toMatchObject({ ok: false, failure: 'timeout', attempts: 3 });
      expect(result.ok || result.message).toContain('after 3 attempts: no answer within 150 ms');
      expect(swallow.received()).toBe(3);
      expect(elapsed).toBeGreaterThanOrEqual(400);
      expect(elapsed).toBeLessThan(3_000);
    } finally {
      await swallow.close();
    }
  });

  it('reports a closed port as closed at once, apart from silence', async () => {
    const port = await freePort();
    const started = Date.now();
    const result = await createDnsClient().query(
      { host: '127.0.0.1', port },
      { name: 'example.test', type: 'SOA', recursionDesired: false },
      { timeoutMs: 5_000, retries: 1 },
    );
    expect(result).toMatchObject({ ok: false, failure: 'closed', attempts: 2 });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('ignores answers with the wrong id or question, and sends RD only when asked', async () => {
    const seen: boolean[] = [];
    const server = await fakeUdpServer((query, reply) => {
      seen.push(query.flag_rd);
      const base = {
        type: 'response' as const,
        flags: dnsPacket.AUTHORITATIVE_ANSWER,
        questions: query.questions ?? [],
      };
      reply({
        ...base,
        id: ((query.id ?? 0) + 1) % 0x10000,
        answers: [{ type: 'A', name: 'spoof.test', data: '6.6.6.6' }],
      });
      reply({ ...base, id: query.id ?? 0, questions: [{ type: 'A', name: 'other.test' }] });
      reply({
        ...base,
        id: query.id ?? 0,
        answers: [{ type: 'A', name: 'www.example.test', ttl: 5, data: '192.0.2.1' }],
      });
    });
    try {
      const client = createDnsClient({ timeoutMs: 1_000, retries: 0 });
      const result = await client.query(server.server, {
        name: 'www.example.test',
        type: 'A',
        recursionDesired: true,
      });
      if (!result.ok) throw new Error(result.message);
      expect(result.response.answers.map((record) => record.data)).toEqual(['192.0.2.1']);
      expect(result.response.authoritative).toBe(true);
      await client.query(server.server, { name: 'www.example.test', type: 'A', recursionDesired: false });
      expect(seen).toEqual([true, false]);
    } finally {
      await server.close();
    }
  });

  it('reports a truncated answer whose TCP retry fails', async () => {
    const server = await fakeUdpServer((query, reply) =>
      reply({
        type: 'response',
        id: query.id ?? 0,
        flags: dnsPacket.TRUNCATED_RESPONSE,
        questions: query.questions ?? [],
      }),
    );
    try {
      const result = await createDnsClient().query(
        server.server,
        { name: 'big.example.test', type: 'TXT', recursionDesired: false },
        { timeoutMs: 500, retries: 0 },
      );
      expect(result).toMatchObject({ ok: false, failure: 'closed' });
      expect(result.ok || result.message).toContain('answer truncated over UDP, and TCP failed');
    } finally {
      await server.close();
    }
  });

  it('throws a cancelled StackguideError when the signal aborts mid-query', async () => {
    const swallow = await fakeUdpServer(() => {});
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const query = createDnsClient().query(
        swallow.server,
        { name: 'example.test', type: 'NS', recursionDesired: false },
        { timeoutMs: 10_000, signal: controller.signal },
      );
      await expect(query).rejects.toMatchObject({
        name: 'StackguideError',
        code: 'dns.cancelled',
        kind: 'cancelled',
      });
    } finally {
      await swallow.close();
    }
  });

  it('refuses an invalid name before sending anything', async () => {
    const query = createDnsClient().query(
      { host: '127.0.0.1', port: 53 },
      { name: 'bad name.example', type: 'A', recursionDesired: false },
    );
    await expect(query).rejects.toBeInstanceOf(StackguideError);
    await expect(query).rejects.toMatchObject({ code: 'dns.query.invalid', kind: 'user' });
  });
});

describe('resolveServerHosts', () => {
  it('replaces host names with their address and keeps the name as the label', async () => {
    const servers = await resolveServerHosts(
      [
        { host: 'localhost', port: 5353 },
        { host: '192.0.2.1', port: 53, name: 'given' },
      ],
      '--dns-server',
    );
    expect(servers[0]).toMatchObject({ name: 'localhost', port: 5353 });
    expect(['127.0.0.1', '::1']).toContain(servers[0]?.host);
    expect(servers[1]).toEqual({ host: '192.0.2.1', port: 53, name: 'given' });
  });

  it('refuses a host that does not resolve as a usage error naming it, without a query', async () => {
    const attempt = resolveServerHosts([{ host: 'ns1.nowhere.invalid', port: 53 }], '--dns-server');
    await expect(attempt).rejects.toMatchObject({
      code: 'dns.server.unresolvable',
      kind: 'user',
      exitCode: 2,
      message: '--dns-server: the DNS server host ns1.nowhere.invalid does not resolve.',
      details: [
        { path: '--dns-server', message: expect.stringContaining('"ns1.nowhere.invalid" has no address') },
      ],
    });
  });
});

describe('parseDnsServer', () => {
  it('reads host, host:port and IPv6 forms', () => {
    expect(parseDnsServer('192.0.2.53')).toEqual({ host: '192.0.2.53', port: 53 });
    expect(parseDnsServer('127.0.0.1:5353')).toEqual({ host: '127.0.0.1', port: 5353 });
    expect(parseDnsServer('ns1.example.com:53')).toEqual({ host: 'ns1.example.com', port: 53 });
    expect(parseDnsServer('[2001:db8::53]:5353')).toEqual({ host: '2001:db8::53', port: 5353 });
    expect(parseDnsServer('2001:db8::53')).toEqual({ host: '2001:db8::53', port: 53 });
  });

  it('names the flag and the bad value', () => {
    expect(() => parseDnsServer('127.0.0.1:99999')).toThrow(StackguideError);
    try {
      parseDnsServer('127.0.0.1:dns');
    } catch (error) {
      expect(error).toMatchObject({
        code: 'dns.server.invalid',
        kind: 'user',
        details: [{ path: '--dns-server' }],
      });
      return;
    }
    throw new Error('parseDnsServer accepted a bad port');
  });
});
