import { describe, expect, it } from 'vitest';
import {
  classifyNameServer,
  classifyParentServer,
  classifyResolver,
  compareDelegation,
  extractNameServers,
  formatNsRecord,
  groupParentServers,
  normalizeDnsName,
  summariseDelegation,
  summarisePropagation,
} from '../../src/dns/compare-delegation.ts';
import type {
  NameServerResult,
  ParentServerResult,
  ServerRef,
} from '../../src/dns/delegation-check-result.ts';
import type { DnsQueryResult, DnsRecord, DnsResponse } from '../../src/dns/dns-client.ts';

const domain = 'codeocean.example.com';
const expected = ['ns-1.awsdns-01.org', 'ns-2.awsdns-02.co.uk', 'ns-3.awsdns-03.com', 'ns-4.awsdns-04.net'];
const parent: ServerRef = { name: 'a.iana-servers.net', host: '192.0.2.1', port: 53 };
const resolver: ServerRef = { name: 'Cloudflare', host: '1.1.1.1', port: 53 };

function ns(name: string, target: string, ttl = 172_800): DnsRecord {
  return { name, type: 'NS', class: 'IN', ttl, data: target };
}

function soa(name: string, ttl: number, minimum: number): DnsRecord {
  const fields = {
    mname: `ns.${name}`,
    rname: `hostmaster.${name}`,
    serial: 1,
    refresh: 7200,
    retry: 900,
    expire: 1209600,
    minimum,
  };
  return { name, type: 'SOA', class: 'IN', ttl, data: 'soa', soa: fields };
}

function answer(server: ServerRef, response: Partial<DnsResponse>): DnsQueryResult {
  return {
    ok: true,
    server,
    question: { name: domain, type: 'NS', recursionDesired: false },
    attempts: 1,
    response: {
      rcode: 'NOERROR',
      authoritative: false,
      recursionAvailable: false,
      transport: 'udp',
      answers: [],
      authorities: [],
      additionals: [],
      ...response,
    },
  };
}

function timeout(server: ServerRef): DnsQueryResult {
  return {
    ok: false,
    server,
    question: { name: domain, type: 'NS', recursionDesired: false },
    attempts: 3,
    failure: 'timeout',
    message: `${server.host}:53 did not answer ${domain} NS after 3 attempts: no answer within 2000 ms`,
  };
}

function referral(names: readonly string[], ttl = 172_800): DnsQueryResult {
  return answer(parent, { authorities: names.map((name) => ns(domain, name, ttl)) });
}

const authoritative = (name: string): NameServerResult => ({
  name,
  server: { name, host: '192.0.2.9', port: 53 },
  status: 'authoritative',
  rcode: 'NOERROR',
  explanation: `${name} answers authoritatively for ${domain}.`,
});

const probesFor = (names: readonly string[]): NameServerResult[] => names.map(authoritative);

function classify(
  result: DnsQueryResult,
  probes: readonly NameServerResult[] = probesFor(expected),
): ParentServerResult {
  return classifyParentServer({
    domain,
    parentZone: 'example.com',
    expected,
    server: parent,
    result,
    nameServers: probes,
    recordTtl: 300,
  });
}

describe('compareDelegation', () => {
  it('ignores case, trailing dots, duplicates and order', () => {
    const observed = [
      'NS-4.AWSDNS-04.NET.',
      'ns-3.awsdns-03.com',
      'ns-2.awsdns-02.co.uk.',
      'Ns-1.Awsdns-01.Org',
      'ns-3.awsdns-03.com.',
    ];
    expect(compareDelegation(expected, observed)).toEqual({
      status: 'delegated',
      matching: [...expected].sort(),
      missing: [],
      extra: [],
    });
  });

  it('tells missing, partial and stale apart', () => {
    expect(compareDelegation(expected, []).status).toBe('missing');
    const partial = compareDelegation(expected, ['ns-1.awsdns-01.org.', 'ns-3.awsdns-03.com']);
    expect(partial).toMatchObject({
      status: 'partial',
      missing: ['ns-2.awsdns-02.co.uk', 'ns-4.awsdns-04.net'],
      extra: [],
    });
    const stale = compareDelegation(expected, ['ns-900.awsdns-50.org', 'ns-1.awsdns-01.org']);
    expect(stale).toMatchObject({
      status: 'stale',
      extra: ['ns-900.awsdns-50.org'],
      matching: ['ns-1.awsdns-01.org'],
    });
    // Everything expected plus a leftover is still wrong: resolvers would sometimes ask the old server.
    expect(compareDelegation(expected, [...expected, 'old.example.net']).status).toBe('stale');
  });

  it('normalises names', () => {
    expect(normalizeDnsName(' Ns-1.AWSDNS-01.org.. ')).toBe('ns-1.awsdns-01.org');
  });
});

describe('formatNsRecord', () => {
  it('writes a copyable zone-file line with absolute names', () => {
    expect(formatNsRecord('CodeOcean.Example.com.', 'NS-1.awsdns-01.org', 300)).toBe(
      'codeocean.example.com. 300 IN NS ns-1.awsdns-01.org.',
    );
  });
});

describe('extractNameServers', () => {
  it('prefers the answer section and ignores NS records of other owners', () => {
    const result = answer(parent, {
      answers: [ns(domain, 'ns-1.awsdns-01.org', 3600), ns(domain, 'ns-2.awsdns-02.co.uk', 900)],
      authorities: [ns('example.com', 'a.iana-servers.net'), ns(domain, 'other.example.net')],
    });
    if (!result.ok) throw new Error('fixture');
    expect(extractNameServers(domain, result.response)).toEqual({
      nameServers: ['ns-1.awsdns-01.org', 'ns-2.awsdns-02.co.uk'],
      ttl: 900,
      section: 'answer',
    });
  });
});

describe('classifyParentServer', () => {
  it('accepts a referral with exactly the delegation set', () => {
    const result = classify(referral(expected.map((name) => `${name.toUpperCase()}.`)));
    expect(result.status).toBe('delegated');
    expect(result.fix).toBeNull();
    expect(result.nameServers).toEqual([...expected].sort());
    expect(result.ttl).toBe(172_800);
  });

  it('reports a missing delegation (NXDOMAIN) with every record to add', () => {
    const result = classify(
      answer(parent, {
        rcode: 'NXDOMAIN',
        authoritative: true,
        authorities: [soa('example.com', 3600, 3600)],
      }),
    );
    expect(result.status).toBe('missing');
    expect(result.explanation).toContain('NXDOMAIN');
    expect(result.fix?.add).toEqual([
      'codeocean.example.com. 300 IN NS ns-1.awsdns-01.org.',
      'codeocean.example.com. 300 IN NS ns-2.awsdns-02.co.uk.',
      'codeocean.example.com. 300 IN NS ns-3.awsdns-03.com.',
      'codeocean.example.com. 300 IN NS ns-4.awsdns-04.net.',
    ]);
    expect(result.fix?.remove).toEqual([]);
  });

  it('reports missing for an authoritative answer without NS records (NODATA)', () => {
    const result = classify(
      answer(parent, { authoritative: true, authorities: [soa('example.com', 3600, 300)] }),
    );
    expect(result.status).toBe('missing');
    expect(result.explanation).toContain('no NS record');
  });

  it('reports a partial delegation with only the missing records to add', () => {
    const result = classify(referral(['ns-1.awsdns-01.org', 'ns-2.awsdns-02.co.uk']));
    expect(result.status).toBe('partial');
    expect(result.missingNameServers).toEqual(['ns-3.awsdns-03.com', 'ns-4.awsdns-04.net']);
    expect(result.fix?.add).toEqual([
      'codeocean.example.com. 300 IN NS ns-3.awsdns-03.com.',
      'codeocean.example.com. 300 IN NS ns-4.awsdns-04.net.',
    ]);
  });

  it('reports a stale delegation with the old records to delete and the new ones to add', () => {
    const old = ['ns-100.awsdns-12.org', 'ns-200.awsdns-25.com'];
    const probes = [
      ...probesFor(expected),
      ...old.map((name) => ({
        ...authoritative(name),
        status: 'lame' as const,
        rcode: 'REFUSED',
        explanation: `${name} refuses queries for it.`,
      })),
    ];
    const result = classify(referral(old, 3600), probes);
    expect(result.status).toBe('stale');
    expect(result.extraNameServers).toEqual(old);
    expect(result.lameNameServers).toEqual(old);
    expect(result.explanation).toContain('earlier hosted zone');
    // Which of them refuse is said once, in the overall verdict, not again by every parent server.
    expect(result.explanation).not.toContain('refuses');
    expect(result.fix?.remove).toEqual([
      'codeocean.example.com. 3600 IN NS ns-100.awsdns-12.org.',
      'codeocean.example.com. 3600 IN NS ns-200.awsdns-25.com.',
    ]);
    expect(result.fix?.add).toHaveLength(4);
  });

  it('reports lame when the set is right but a listed server does not serve the zone', () => {
    const probes = probesFor(expected).map((probe) =>
      probe.name === 'ns-3.awsdns-03.com'
        ? {
            ...probe,
            status: 'lame' as const,
            rcode: 'REFUSED',
            explanation: 'ns-3.awsdns-03.com refuses queries for it.',
          }
        : probe,
    );
    const result = classify(referral(expected), probes);
    expect(result.status).toBe('lame');
    expect(result.lameNameServers).toEqual(['ns-3.awsdns-03.com']);
    expect(result.fix?.summary).toContain('still exists');
    expect(result.fix?.add).toEqual([]);
  });

  it('gives silence, a closed port, REFUSED, SERVFAIL and no referral each their own words and fix', () => {
    const silent = classify(timeout(parent));
    expect(silent).toMatchObject({ status: 'unreachable', problem: 'silent', rcode: null });
    expect(silent.explanation).toBe(
      'a.iana-servers.net (192.0.2.1:53), a server of example.com, did not answer (3 tries): it is down, or a firewall drops DNS on the way.',
    );
    expect(silent.fix?.summary).toContain('reach 192.0.2.1:53 over UDP and TCP port 53');

    const closed = classify({
      ok: false,
      server: parent,
      question: { name: domain, type: 'NS', recursionDesired: false },
      attempts: 2,
      failure: 'closed',
      message: 'connect ECONNREFUSED',
    });
    expect(closed).toMatchObject({ status: 'unreachable', problem: 'closed' });
    expect(closed.explanation).toContain('nothing listens on that port');
    expect(closed.fix?.summary).toContain('check the address and port given with --dns-server');

    const refused = classify(answer(parent, { rcode: 'REFUSED' }));
    expect(refused).toMatchObject({ status: 'refused', problem: 'refused', rcode: 'REFUSED' });
    expect(refused.explanation).toContain('refused to answer for example.com (REFUSED)');
    expect(refused.fix?.summary).toContain('dig NS example.com');

    const servfail = classify(answer(parent, { rcode: 'SERVFAIL' }));
    expect(servfail).toMatchObject({ status: 'servfail', problem: 'servfail' });
    expect(servfail.fix?.summary).toContain('repair the zone');

    // A recursive server asked without recursion answers with an upward referral: not a verdict on us.
    const upward = classify(answer(parent, { authorities: [ns('com', 'a.gtld-servers.net')] }));
    expect(upward).toMatchObject({ status: 'refused', problem: 'not-authoritative' });
    expect(upward.explanation).toContain('it does not serve example.com');
    expect(upward.fix?.summary).toContain('--dns-server');
  });
});

describe('groupParentServers', () => {
  it('says a repeated verdict once, with the count and every server', () => {
    const servers = Array.from({ length: 13 }, (_, index) => {
      const server = {
        ...parent,
        name: `${String.fromCharCode(97 + index)}.gtld.test`,
        host: `192.0.2.${index + 1}`,
      };
      return { ...classify(referral(['ns-old.awsdns-99.org'])), server };
    });
    const groups = groupParentServers('example.com', [...servers, classify(timeout(parent))]);
    expect(groups).toHaveLength(2);
    expect(groups[0]?.servers).toHaveLength(13);
    expect(groups[0]?.explanation).toMatch(
      /^13 servers of example.com \(a.gtld.test \(192.0.2.1:53\), .*\): each delegates/,
    );
    expect(groups[0]?.explanation.match(/earlier hosted zone/g)).toHaveLength(1);
    expect(groups[0]?.fix?.remove).toEqual(['codeocean.example.com. 172800 IN NS ns-old.awsdns-99.org.']);
    expect(groups[1]).toMatchObject({ status: 'unreachable', problem: 'silent' });
    expect(groups[1]?.explanation).toContain(
      'a.iana-servers.net (192.0.2.1:53), a server of example.com, did not answer',
    );
  });
});

describe('classifyNameServer', () => {
  const server: ServerRef = { name: 'ns-1.awsdns-01.org', host: '192.0.2.7', port: 53 };
  const probe = (response: Partial<DnsResponse>) =>
    classifyNameServer({ domain, name: 'NS-1.awsdns-01.org.', server, result: answer(server, response) });

  it('needs NOERROR, the AA flag and the zone SOA', () => {
    expect(probe({ authoritative: true, answers: [soa(domain, 900, 300)] }).status).toBe('authoritative');
    expect(probe({ authoritative: false, answers: [soa(domain, 900, 300)] })).toMatchObject({
      status: 'lame',
      explanation: expect.stringContaining('AA flag off'),
    });
    expect(probe({ rcode: 'REFUSED' })).toMatchObject({
      status: 'lame',
      explanation: expect.stringContaining('refuses'),
    });
    expect(
      probe({ rcode: 'NXDOMAIN', authoritative: true, authorities: [soa('example.com', 900, 300)] }),
    ).toMatchObject({ status: 'lame', explanation: expect.stringContaining('zone example.com instead') });
  });

  it('tells unreachable and unresolvable apart from lame', () => {
    expect(classifyNameServer({ domain, name: server.name, server, result: timeout(server) }).status).toBe(
      'unreachable',
    );
    expect(
      classifyNameServer({
        domain,
        name: server.name,
        server: null,
        result: null,
        unresolvedReason: 'NXDOMAIN',
      }),
    ).toMatchObject({
      status: 'unresolvable',
      server: null,
      explanation: expect.stringContaining('NXDOMAIN'),
    });
  });
});

describe('classifyResolver', () => {
  const observe = (result: DnsQueryResult, fallbackTtl: number | null = 172_800) =>
    classifyResolver({ domain, expected, resolver, result, fallbackTtl });

  it('matches the expected set', () => {
    const result = observe(
      answer(resolver, {
        recursionAvailable: true,
        answers: expected.map((name) => ns(domain, name, 170_000)),
      }),
    );
    expect(result).toMatchObject({ status: 'matches', recheckAfterSeconds: null, ttl: 170_000 });
  });

  it('says when an old cached answer expires', () => {
    const result = observe(
      answer(resolver, {
        recursionAvailable: true,
        answers: [ns(domain, 'ns-100.awsdns-12.org', 1234), ns(domain, 'ns-200.awsdns-25.com', 1200)],
      }),
    );
    expect(result).toMatchObject({ status: 'old-answer', ttl: 1200, recheckAfterSeconds: 1200 });
    expect(result.explanation).toContain('1200 s');
  });

  it('uses the negative TTL of an NXDOMAIN, else the parent NS TTL', () => {
    const negative = observe(
      answer(resolver, {
        rcode: 'NXDOMAIN',
        recursionAvailable: true,
        authorities: [soa('example.com', 842, 3600)],
      }),
    );
    expect(negative).toMatchObject({ status: 'no-answer', ttl: 842, recheckAfterSeconds: 842 });
    // RFC 2308: the SOA MINIMUM caps the negative TTL.
    expect(
      observe(
        answer(resolver, {
          rcode: 'NXDOMAIN',
          recursionAvailable: true,
          authorities: [soa('example.com', 3600, 60)],
        }),
      ).recheckAfterSeconds,
    ).toBe(60);
    const servfail = observe(answer(resolver, { rcode: 'SERVFAIL', recursionAvailable: true }), 900);
    expect(servfail).toMatchObject({ status: 'no-answer', ttl: null, recheckAfterSeconds: 900 });
    expect(servfail.explanation).toContain('lame delegation');
  });

  it('treats a timeout and a REFUSED as unreachable, with no recheck time', () => {
    expect(observe(timeout(resolver))).toMatchObject({ status: 'unreachable', recheckAfterSeconds: null });
    expect(observe(answer(resolver, { rcode: 'REFUSED' }))).toMatchObject({
      status: 'unreachable',
      rcode: 'REFUSED',
    });
  });
});

describe('summarisePropagation', () => {
  const resolverResult = (
    status: 'matches' | 'old-answer' | 'no-answer' | 'unreachable',
    recheck: number | null,
  ) => classifyResolverStub(status, recheck);

  it('waits for the slowest cache, and ignores resolvers that did not answer', () => {
    const summary = summarisePropagation([
      resolverResult('matches', null),
      resolverResult('old-answer', 1200),
      resolverResult('no-answer', 60),
      resolverResult('unreachable', null),
    ]);
    expect(summary.status).toBe('pending');
    expect(summary.recheckAfterSeconds).toBe(1200);
    expect(summary.explanation).toBe(
      "1 of 3 resolvers return the hosted zone's name servers; 1 still return old name servers and 1 have no answer yet. Check again in 1200 s, when their cached answers expire. 1 did not answer.",
    );
  });

  it('is complete when all answering resolvers match, unknown when none answer', () => {
    expect(
      summarisePropagation([resolverResult('matches', null), resolverResult('unreachable', null)]).status,
    ).toBe('complete');
    const none = summarisePropagation([resolverResult('unreachable', null)]);
    expect(none.status).toBe('unknown');
    expect(none.fix).toContain('STACKGUIDE_DNS_RESOLVERS');
    expect(summarisePropagation([]).status).toBe('unknown');
  });
});

describe('a resolver that refuses (trial finding 49)', () => {
  it('is said to have refused, not to be out of reach, and the fix names another resolver', () => {
    const refused = classifyResolver({
      domain,
      expected,
      resolver,
      result: answer(resolver, { rcode: 'REFUSED' }),
      fallbackTtl: null,
    });
    expect(refused).toMatchObject({ status: 'unreachable', problem: 'refused' });
    expect(refused.verdict).toBe(
      'refused to resolve for this machine (REFUSED): it answers only its own network, or serves only its own zones.',
    );
    expect(refused.explanation).toBe(`Cloudflare (1.1.1.1:53) ${refused.verdict}`);
    const alone = summarisePropagation([refused]);
    expect(alone.explanation).toBe(
      'The resolver Cloudflare (1.1.1.1:53) refused to resolve for this machine, so propagation is unknown.',
    );
    expect(alone.fix).toMatch(
      /^The resolvers refuse to resolve for this machine: set STACKGUIDE_DNS_RESOLVERS/,
    );
    expect(alone.fix).not.toContain('cannot reach');
    // Beside one that is silent: neither reached nor used, and the fix for a blocked network.
    const silent = classifyResolver({
      domain,
      expected,
      resolver,
      result: timeout(resolver),
      fallbackTtl: null,
    });
    const both = summarisePropagation([refused, silent]);
    expect(both.explanation).toContain('None of the 2 resolvers');
    expect(both.explanation).toContain('gave a usable answer');
    expect(both.fix).toContain('cannot reach');
  });
});

describe('summariseDelegation', () => {
  const propagation = summarisePropagation([]);
  const summarise = (parentServers: ParentServerResult[]) =>
    summariseDelegation({
      domain: 'CodeOcean.Example.com.',
      parentZone: 'example.com.',
      expected,
      checkedAt: '2025-01-01T00:00:00.000Z',
      parentServers,
      nameServers: probesFor(expected),
      propagation,
      recordTtl: 300,
    });

  it('is delegated when every reachable parent server is, and mentions the silent one', () => {
    const other = { ...parent, name: 'b.iana-servers.net' };
    const result = summarise([classify(referral(expected)), { ...classify(timeout(other)), server: other }]);
    expect(result.status).toBe('delegated');
    expect(result.fix).toBeNull();
    expect(result.domain).toBe('codeocean.example.com');
    expect(result.explanation).toContain(
      '1 of 2 servers of example.com gave no usable answer, and the verdict comes from the others: b.iana-servers.net (192.0.2.1:53), a server of example.com, did not answer',
    );
  });

  it('reports the worst status when parent servers disagree, with one merged fix', () => {
    const result = summarise([
      classify(referral(expected)),
      { ...classify(referral(['ns-1.awsdns-01.org'])), server: { ...parent, name: 'b.iana-servers.net' } },
      {
        ...classify(answer(parent, { rcode: 'NXDOMAIN', authoritative: true })),
        server: { ...parent, name: 'c.iana-servers.net' },
      },
    ]);
    expect(result.status).toBe('missing');
    expect(result.explanation).toContain(
      'disagree (delegated: 1 (a.iana-servers.net); partial: 1 (b.iana-servers.net); missing: 1 (c.iana-servers.net))',
    );
    expect(result.fix?.add).toHaveLength(4);
    expect(result.fix?.summary).toContain('Add these NS records in the zone example.com');
  });

  it('cannot check when no parent server answered, and says why in one fix per kind', () => {
    expect(summarise([classify(timeout(parent))]).status).toBe('unreachable');
    const refused = summarise([classify(answer(parent, { rcode: 'REFUSED' }))]);
    expect(refused.status).toBe('refused');
    expect(refused.fix?.summary).toContain('does not serve example.com');
    const mixed = summarise([classify(timeout(parent)), classify(answer(parent, { rcode: 'REFUSED' }))]);
    expect(mixed.status).toBe('unreachable');
    expect(mixed.fix?.summary).toContain('over UDP and TCP port 53');
    expect(mixed.fix?.summary).toContain('dig NS example.com');
  });

  it('tells a parent zone that does not exist from resolvers that cannot be reached', () => {
    const undiscovered = (problem: 'nxdomain' | 'silent', detail: string) =>
      summariseDelegation({
        domain,
        parentZone: 'example.com',
        expected,
        checkedAt: '2025-01-01T00:00:00.000Z',
        parentServers: [],
        nameServers: [],
        propagation,
        recordTtl: 300,
        discoveryProblem: { problem, detail },
      });
    const none = undiscovered('nxdomain', 'example.com does not exist (NXDOMAIN) according to Cloudflare');
    expect(none.status).toBe('missing');
    expect(none.fix?.summary).toContain('register example.com');
    expect(none.fix?.add).toHaveLength(4);
    const blocked = undiscovered('silent', 'no resolver could look up example.com NS');
    expect(blocked.status).toBe('unreachable');
    expect(blocked.fix?.summary).toContain('STACKGUIDE_DNS_RESOLVERS');
  });

  it('says none of the name servers serves the zone when none does, and why once (trial finding 49)', () => {
    const refusing = expected.map((name) =>
      classifyNameServer({
        domain,
        name,
        server: { name, host: '127.0.0.2', port: 53 },
        result: {
          ...answer(parent, { rcode: 'REFUSED' }),
          question: { name: domain, type: 'SOA', recursionDesired: false },
        },
      }),
    );
    const result = summariseDelegation({
      domain,
      parentZone: 'example.com',
      expected,
      checkedAt: '2025-01-01T00:00:00.000Z',
      parentServers: [classify(referral(expected), refusing)],
      nameServers: refusing,
      propagation,
      recordTtl: 300,
    });
    expect(result.status).toBe('lame');
    expect(result.explanation).toBe(
      "example.com delegates codeocean.example.com to the hosted zone's 4 name servers, but none of them serves it. Each of them refuses queries for it (REFUSED), so it does not host the zone; a deleted hosted zone answers this way.",
    );
    // The parent server says its verdict without the name servers' reasons, which the line above gives.
    expect(result.parentServerGroups).toEqual([
      expect.objectContaining({
        verdict:
          "delegates codeocean.example.com to the hosted zone's 4 name servers, but none of them serves it.",
      }),
    ]);

    // One of four: named, with its reason.
    const one = summariseDelegation({
      domain,
      parentZone: 'example.com',
      expected,
      checkedAt: '2025-01-01T00:00:00.000Z',
      parentServers: [
        classify(referral(expected), [...probesFor(expected.slice(1)), refusing[0] as NameServerResult]),
      ],
      nameServers: [...probesFor(expected.slice(1)), refusing[0] as NameServerResult],
      propagation,
      recordTtl: 300,
    });
    expect(one.explanation).toBe(
      "example.com delegates codeocean.example.com to the hosted zone's 4 name servers, but 1 of them does not serve it. ns-1.awsdns-01.org refuses queries for it (REFUSED), so it does not host the zone; a deleted hosted zone answers this way.",
    );
  });

  it('is plain JSON: it survives a round trip unchanged', () => {
    const result = summarise([classify(referral(['ns-100.awsdns-12.org']))]);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });
});

function classifyResolverStub(
  status: 'matches' | 'old-answer' | 'no-answer' | 'unreachable',
  recheckAfterSeconds: number | null,
) {
  return {
    resolver,
    status,
    problem: status === 'unreachable' ? ('silent' as const) : null,
    rcode: status === 'unreachable' ? null : 'NOERROR',
    nameServers: [],
    ttl: recheckAfterSeconds,
    recheckAfterSeconds,
    verdict: status,
    explanation: status,
  };
}
