import type {
  DelegationCheckResult,
  DelegationFix,
  DelegationStatus,
  NameServerResult,
  ParentServerGroup,
  ParentServerResult,
  PropagationResult,
  ResolverResult,
  ServerProblem,
  ServerRef,
} from './delegation-check-result.ts';
import { type DnsQueryResult, type DnsResponse, describeServer } from './dns-client.ts';

/**
 * The delegation check's judgement, kept free of I/O: every function here takes answers already received
 * (plain data) and returns plain data, so each classification is unit tested without a socket.
 */

/** DNS names compare without case and without the trailing dot (RFC 4343). */
export function normalizeDnsName(name: string): string {
  return name.trim().replace(/\.+$/, '').toLowerCase();
}

/** What a server that answered for the parent zone can say about the delegation. */
type ReachableStatus = Exclude<DelegationStatus, 'unreachable' | 'refused' | 'servfail'>;

export interface NameServerComparison {
  status: 'delegated' | 'missing' | 'partial' | 'stale';
  /** Expected and listed. */
  matching: string[];
  /** Expected but not listed. */
  missing: string[];
  /** Listed but not expected. */
  extra: string[];
}

/** Compares a listed NS set with the hosted zone's delegation set, ignoring case, trailing dots and order. */
export function compareDelegation(
  expected: readonly string[],
  observed: readonly string[],
): NameServerComparison {
  const want = uniqueSorted(expected);
  const have = uniqueSorted(observed);
  const matching = have.filter((name) => want.includes(name));
  const missing = want.filter((name) => !have.includes(name));
  const extra = have.filter((name) => !want.includes(name));
  let status: NameServerComparison['status'];
  if (have.length === 0) status = 'missing';
  else if (extra.length > 0) status = 'stale';
  else if (missing.length > 0) status = 'partial';
  else status = 'delegated';
  return { status, matching, missing, extra };
}

/** A copyable zone-file line: `codeocean.example.com. 300 IN NS ns-1.awsdns-01.org.` */
export function formatNsRecord(domain: string, nameServer: string, ttl: number): string {
  return `${normalizeDnsName(domain)}. ${ttl} IN NS ${normalizeDnsName(nameServer)}.`;
}

export interface ExtractedNameServers {
  nameServers: string[];
  /** Smallest TTL of the NS records; null without records. */
  ttl: number | null;
  section: 'answer' | 'authority' | null;
}

/**
 * The NS records owned by `domain` in an answer: from the answer section when the server is authoritative
 * for the subdomain itself (or is a resolver), else from the authority section (a referral).
 */
export function extractNameServers(domain: string, response: DnsResponse): ExtractedNameServers {
  const owner = normalizeDnsName(domain);
  for (const section of ['answer', 'authority'] as const) {
    const records = (section === 'answer' ? response.answers : response.authorities).filter(
      (record) => record.type === 'NS' && normalizeDnsName(record.name) === owner,
    );
    if (records.length > 0) {
      return {
        nameServers: uniqueSorted(records.map((record) => record.data)),
        ttl: Math.min(...records.map((record) => record.ttl)),
        section,
      };
    }
  }
  return { nameServers: [], ttl: null, section: null };
}

/** The negative-caching TTL of an NXDOMAIN/NODATA answer (RFC 2308 section 5: min of SOA TTL and MINIMUM). */
function negativeTtl(response: DnsResponse): number | null {
  const soa = response.authorities.find((record) => record.type === 'SOA');
  if (!soa) return null;
  return soa.soa ? Math.min(soa.ttl, soa.soa.minimum) : soa.ttl;
}

export interface NameServerProbe {
  domain: string;
  /** The name server's host name, as listed at the parent. */
  name: string;
  /** Where it was asked; null when no address was found. */
  server: ServerRef | null;
  /** The answer to `domain SOA` without recursion; null when it was not asked. */
  result: DnsQueryResult | null;
  /** Why no address was found, when `server` is null. */
  unresolvedReason?: string;
}

/** Lame delegation (RFC 1912 section 2.8): a listed name server that does not answer with authority. */
export function classifyNameServer(probe: NameServerProbe): NameServerResult {
  const name = normalizeDnsName(probe.name);
  const domain = normalizeDnsName(probe.domain);
  const base = { name, server: probe.server };
  if (probe.server === null || probe.result === null) {
    const reason = probe.unresolvedReason ?? 'no address found';
    return {
      ...base,
      status: 'unresolvable',
      rcode: null,
      explanation: `${name} has no address (${reason}), so resolvers cannot ask it for ${domain}.`,
    };
  }
  const { result } = probe;
  if (!result.ok) {
    return {
      ...base,
      status: 'unreachable',
      rcode: null,
      explanation: `${name} did not answer: ${result.message}.`,
    };
  }
  const response = result.response;
  const soa = [...response.answers, ...response.authorities].find((record) => record.type === 'SOA');
  const soaOwner = soa ? normalizeDnsName(soa.name) : null;
  const ownsZone = response.answers.some(
    (record) => record.type === 'SOA' && normalizeDnsName(record.name) === domain,
  );
  if (response.rcode === 'NOERROR' && response.authoritative && ownsZone) {
    return {
      ...base,
      status: 'authoritative',
      rcode: response.rcode,
      explanation: `${name} answers authoritatively for ${domain}.`,
    };
  }
  let why: string;
  if (response.rcode === 'REFUSED') {
    why =
      'refuses queries for it (REFUSED), so it does not host the zone; a deleted hosted zone answers this way';
  } else if (!response.authoritative) {
    why = 'answers without authority (AA flag off): it does not host the zone';
  } else if (soaOwner !== null && soaOwner !== domain) {
    why = `answers for the zone ${soaOwner} instead: it does not host ${domain} itself`;
  } else {
    why = `answers ${response.rcode} without the zone's SOA record`;
  }
  return { ...base, status: 'lame', rcode: response.rcode, explanation: `${name} ${why}.` };
}

export interface ParentServerObservation {
  domain: string;
  parentZone: string;
  expected: readonly string[];
  server: ServerRef;
  /** The answer to `domain NS` without recursion. */
  result: DnsQueryResult;
  /** Lame checks of the name servers, at least those this server lists. */
  nameServers: readonly NameServerResult[];
  /** TTL for NS records we tell the operator to add. */
  recordTtl: number;
}

export function classifyParentServer(observation: ParentServerObservation): ParentServerResult {
  const domain = normalizeDnsName(observation.domain);
  const parentZone = normalizeDnsName(observation.parentZone);
  const expected = uniqueSorted(observation.expected);
  const { server, result, recordTtl } = observation;
  const label = describeServer(server);
  const empty = {
    missingNameServers: [],
    extraNameServers: [],
    lameNameServers: [],
    nameServers: [],
    ttl: null,
  };
  const failed = (problem: ServerProblem, rcode: string | null): ParentServerResult => {
    const verdict = problemVerdict(problem, parentZone, rcode, result);
    return {
      server,
      status: problemStatus(problem),
      rcode,
      ...empty,
      problem,
      verdict,
      explanation: `${label}, a server of ${parentZone}, ${verdict}.`,
      fix: problemFix(problem, parentZone, [server]),
    };
  };

  if (!result.ok) return failed(failureProblem(result.failure), null);
  const response = result.response;
  const found = extractNameServers(domain, response);
  const answeredForZone =
    response.rcode === 'NXDOMAIN' || (response.rcode === 'NOERROR' && response.authoritative);
  if (found.nameServers.length === 0 && !answeredForZone) {
    return failed(rcodeProblem(response.rcode), response.rcode);
  }

  const comparison = compareDelegation(expected, found.nameServers);
  const lame = lameAmong(found.nameServers, observation.nameServers);
  const status: ReachableStatus =
    comparison.status === 'delegated' && lame.length > 0 ? 'lame' : comparison.status;
  const facts = {
    server,
    status,
    rcode: response.rcode,
    nameServers: found.nameServers,
    missingNameServers: comparison.missing,
    extraNameServers: comparison.extra,
    lameNameServers: lame,
    ttl: found.ttl,
    problem: null,
  };
  const said = (verdict: string, fix: DelegationFix | null): ParentServerResult => ({
    ...facts,
    verdict,
    explanation: `${label} ${verdict}`,
    fix,
  });
  switch (status) {
    case 'delegated':
      return said(
        `delegates ${domain} to the hosted zone's ${expected.length} name servers, and they answer for it.`,
        null,
      );
    case 'missing': {
      const why =
        response.rcode === 'NXDOMAIN'
          ? `${domain} does not exist there (NXDOMAIN)`
          : 'there is no NS record for it';
      return said(
        `has no delegation for ${domain}: ${why}.`,
        delegationFix('missing', domain, parentZone, expected, [], recordTtl, null),
      );
    }
    case 'partial':
      return said(
        `delegates ${domain} to only ${comparison.matching.length} of the hosted zone's ${expected.length} name servers (missing: ${comparison.missing.join(', ')}).`,
        delegationFix('partial', domain, parentZone, comparison.missing, [], recordTtl, null),
      );
    case 'stale':
      return said(
        `delegates ${domain} to name servers that are not the hosted zone's (${comparison.extra.join(', ')}), probably those of an earlier hosted zone that was deleted.`,
        delegationFix(
          'stale',
          domain,
          parentZone,
          comparison.missing,
          comparison.extra,
          recordTtl,
          found.ttl,
        ),
      );
    case 'lame':
      return said(
        `delegates ${domain} to the hosted zone's ${expected.length} name servers, but ${howManyServe(lame, expected)}.`,
        delegationFix('lame', domain, parentZone, [], [], recordTtl, null),
      );
  }
}

/** How a failed query reads as a problem. */
function failureProblem(failure: 'timeout' | 'closed' | 'network'): ServerProblem {
  return failure === 'timeout' ? 'silent' : failure;
}

function rcodeProblem(rcode: string): ServerProblem {
  switch (rcode) {
    case 'REFUSED':
      return 'refused';
    case 'SERVFAIL':
      return 'servfail';
    case 'NXDOMAIN':
      return 'nxdomain';
    case 'NOERROR':
      return 'not-authoritative';
    default:
      return 'rcode';
  }
}

function problemStatus(problem: ServerProblem): DelegationStatus {
  switch (problem) {
    case 'silent':
    case 'closed':
    case 'network':
      return 'unreachable';
    case 'servfail':
      return 'servfail';
    default:
      return 'refused';
  }
}

/** The words for a parent server's problem, without its name: the same for every server that has it. */
function problemVerdict(
  problem: ServerProblem,
  parentZone: string,
  rcode: string | null,
  result: DnsQueryResult,
): string {
  const attempts = result.attempts;
  switch (problem) {
    case 'silent':
      return result.ok || !result.message.includes('budget')
        ? `did not answer (${attempts} ${attempts === 1 ? 'try' : 'tries'}): it is down, or a firewall drops DNS on the way`
        : "did not answer before the check's time budget ran out";
    case 'closed':
      return 'refused the connection: nothing listens on that port';
    case 'network':
      return `cannot be reached (${result.ok ? 'network error' : result.message.replace(/^.*: /, '')})`;
    case 'refused':
      return `refused to answer for ${parentZone} (REFUSED): it does not serve that zone`;
    case 'servfail':
      return `answered SERVFAIL: it should serve ${parentZone} but cannot (a broken or expired zone, or a DNSSEC failure)`;
    case 'not-authoritative':
      return `answered without authority and without a referral: it does not serve ${parentZone}`;
    case 'nxdomain':
      return `answered that ${parentZone} does not exist (NXDOMAIN)`;
    case 'rcode':
      return `answered ${rcode ?? 'an error'}: it cannot tell about ${parentZone}`;
  }
}

/** One fix per kind of problem, naming the servers that have it. */
function problemFix(
  problem: ServerProblem,
  parentZone: string,
  servers: readonly ServerRef[],
): DelegationFix {
  const list = servers.map((server) => `${server.host}:${server.port}`).join(', ') || 'the servers';
  let summary: string;
  switch (problem) {
    case 'silent':
    case 'network':
      summary = `Check that this machine can reach ${list} over UDP and TCP port 53 (a firewall that drops outbound DNS looks like this), or name servers of ${parentZone} it can reach with --dns-server host:port.`;
      break;
    case 'closed':
      summary = `Nothing listens at ${list}: check the address and port given with --dns-server (DNS servers listen on port 53), or leave it out to find the servers of ${parentZone} automatically.`;
      break;
    case 'servfail':
      summary = `Ask whoever runs the DNS of ${parentZone} (your registrar or DNS provider) to repair the zone: until its servers answer, nobody can resolve names under it.`;
      break;
    case 'nxdomain':
      summary = `${parentZone} does not exist in DNS: check the spelling of the parent domain; if it is right, register ${parentZone} or create its zone at your DNS provider first.`;
      break;
    default:
      summary = `${list} ${servers.length === 1 ? 'does' : 'do'} not serve ${parentZone}: name one of its authoritative servers with --dns-server host:port (dig NS ${parentZone} lists them), or leave --dns-server out to find them automatically.`;
  }
  return { summary, add: [], remove: [] };
}

/**
 * Parent servers that said the same thing, in order of first appearance: one line per verdict, with the
 * count and the servers, however many there are.
 */
export function groupParentServers(
  parentZone: string,
  servers: readonly ParentServerResult[],
): ParentServerGroup[] {
  const zone = normalizeDnsName(parentZone);
  const groups = new Map<string, ParentServerResult[]>();
  for (const server of servers) {
    const key = `${server.status}|${server.problem ?? ''}|${server.verdict}`;
    groups.set(key, [...(groups.get(key) ?? []), server]);
  }
  return [...groups.values()].flatMap((members) => {
    const first = members[0];
    if (!first) return [];
    const refs = members.map((member) => member.server);
    const who =
      members.length === 1
        ? `${describeServer(first.server)}, a server of ${zone},`
        : `${members.length} servers of ${zone} (${refs.map(describeServer).join(', ')}): each`;
    const fix =
      first.problem !== null
        ? problemFix(first.problem, zone, refs)
        : first.fix && { ...first.fix, add: union(members.map((m) => m.fix?.add ?? [])) };
    return [
      {
        status: first.status,
        problem: first.problem,
        servers: refs,
        verdict: `${first.verdict.replace(/\.$/, '')}.`,
        explanation: `${who} ${first.verdict.replace(/\.$/, '')}.`,
        fix: fix ?? null,
      },
    ];
  });
}

export interface ResolverObservation {
  domain: string;
  expected: readonly string[];
  resolver: ServerRef;
  /** The answer to `domain NS` with recursion. */
  result: DnsQueryResult;
  /** The parent's NS TTL: how long a resolver may keep a negative answer that carries no SOA. */
  fallbackTtl: number | null;
}

export function classifyResolver(observation: ResolverObservation): ResolverResult {
  const domain = normalizeDnsName(observation.domain);
  const { resolver, result } = observation;
  const label = describeServer(resolver);
  const said = (verdict: string) => ({ verdict, explanation: `${label} ${verdict}` });
  if (!result.ok) {
    const problem = failureProblem(result.failure);
    const why =
      problem === 'silent'
        ? `did not answer (${result.attempts} ${result.attempts === 1 ? 'try' : 'tries'})`
        : problem === 'closed'
          ? 'refused the connection: nothing listens on that port'
          : `cannot be reached (${result.message.replace(/^.*: /, '')})`;
    return {
      resolver,
      status: 'unreachable',
      problem,
      rcode: null,
      nameServers: [],
      ttl: null,
      recheckAfterSeconds: null,
      ...said(`${why}.`),
    };
  }
  const response = result.response;
  if (response.rcode === 'REFUSED') {
    return {
      resolver,
      status: 'unreachable',
      problem: 'refused',
      rcode: response.rcode,
      nameServers: [],
      ttl: null,
      recheckAfterSeconds: null,
      // It answered: the network let us through, but it will not resolve for this machine.
      ...said(
        'refused to resolve for this machine (REFUSED): it answers only its own network, or serves only its own zones.',
      ),
    };
  }
  // Only the answer section counts: a resolver's referral is not an answer it would give a client.
  const answered = response.answers.filter(
    (record) => record.type === 'NS' && normalizeDnsName(record.name) === domain,
  );
  if (answered.length > 0) {
    const nameServers = uniqueSorted(answered.map((record) => record.data));
    const ttl = Math.min(...answered.map((record) => record.ttl));
    const comparison = compareDelegation(observation.expected, nameServers);
    if (comparison.status === 'delegated') {
      return {
        resolver,
        status: 'matches',
        problem: null,
        rcode: response.rcode,
        nameServers,
        ttl,
        recheckAfterSeconds: null,
        ...said(`returns the hosted zone's name servers for ${domain}.`),
      };
    }
    return {
      resolver,
      status: 'old-answer',
      problem: null,
      rcode: response.rcode,
      nameServers,
      ttl,
      recheckAfterSeconds: Math.max(1, ttl),
      ...said(
        `still returns other name servers for ${domain} (${nameServers.join(', ')}), cached for ${ttl} s more.`,
      ),
    };
  }
  const cached = negativeTtl(response);
  const recheck = cached ?? observation.fallbackTtl;
  let why: string;
  if (response.rcode === 'NXDOMAIN') why = `answers that ${domain} does not exist (NXDOMAIN)`;
  else if (response.rcode === 'SERVFAIL')
    why = `cannot resolve ${domain} (SERVFAIL; a lame delegation is the usual cause)`;
  else if (response.rcode === 'NOERROR') {
    why = response.recursionAvailable
      ? `has no NS records for ${domain}`
      : `does not offer recursion and returned no NS answer for ${domain}`;
  } else why = `answered ${response.rcode} for ${domain}`;
  const caching = cached !== null ? `, and may keep that answer for ${cached} s` : '';
  return {
    resolver,
    status: 'no-answer',
    problem: response.rcode === 'NOERROR' ? null : rcodeProblem(response.rcode),
    rcode: response.rcode,
    nameServers: [],
    ttl: cached,
    recheckAfterSeconds: recheck === null ? null : Math.max(1, recheck),
    ...said(`${why}${caching}.`),
  };
}

export function summarisePropagation(resolvers: readonly ResolverResult[]): PropagationResult {
  const list = [...resolvers];
  const answering = list.filter((resolver) => resolver.status !== 'unreachable');
  const pending = answering.filter((resolver) => resolver.status !== 'matches');
  const rechecks = pending.flatMap((resolver) =>
    resolver.recheckAfterSeconds === null ? [] : [resolver.recheckAfterSeconds],
  );
  const recheckAfterSeconds = rechecks.length > 0 ? Math.max(...rechecks) : null;
  const refused = list.filter((resolver) => resolver.problem === 'refused').length;
  const silent = list.length - answering.length - refused;
  const silentNote = `${silent > 0 ? ` ${silent} did not answer.` : ''}${refused > 0 ? ` ${refused} refused to resolve for this machine.` : ''}`;
  if (list.length === 0) {
    return {
      status: 'unknown',
      resolvers: list,
      recheckAfterSeconds: null,
      explanation: 'No resolvers were asked.',
      fix: null,
    };
  }
  if (answering.length === 0) {
    // A resolver that refused did answer: the network is open, the resolver will not resolve for us.
    const names = list.map((resolver) => describeServer(resolver.resolver)).join(', ');
    const which =
      list.length === 1 ? `The resolver ${names}` : `None of the ${list.length} resolvers (${names})`;
    let what: string;
    if (refused === list.length)
      what = list.length === 1 ? 'refused to resolve for this machine' : 'would resolve for this machine';
    else if (list.length === 1) what = 'did not answer';
    else what = refused > 0 ? 'gave a usable answer' : 'answered';
    return {
      status: 'unknown',
      resolvers: list,
      recheckAfterSeconds: null,
      explanation: `${which} ${what}, so propagation is unknown.`,
      fix: refused === list.length ? resolversRefuseFix() : resolversUnreachableFix(),
    };
  }
  if (pending.length === 0) {
    return {
      status: 'complete',
      resolvers: list,
      recheckAfterSeconds: null,
      explanation: `All ${answering.length} resolvers that answered return the hosted zone's name servers.${silentNote}`,
      fix: null,
    };
  }
  const old = pending.filter((resolver) => resolver.status === 'old-answer').length;
  const none = pending.length - old;
  const parts = [
    old > 0 ? `${old} still return old name servers` : '',
    none > 0 ? `${none} have no answer yet` : '',
  ]
    .filter((part) => part !== '')
    .join(' and ');
  const when =
    recheckAfterSeconds !== null
      ? ` Check again in ${recheckAfterSeconds} s, when their cached answers expire.`
      : '';
  return {
    status: 'pending',
    resolvers: list,
    fix: null,
    recheckAfterSeconds,
    explanation: `${answering.length - pending.length} of ${answering.length} resolvers return the hosted zone's name servers; ${parts}.${when}${silentNote}`,
  };
}

/**
 * The setting that replaces the public resolvers: on a network that blocks outbound DNS (a common
 * corporate firewall) the check can still use the network's own resolvers.
 */
function resolversRefuseFix(): string {
  return "The resolvers refuse to resolve for this machine: set STACKGUIDE_DNS_RESOLVERS to resolvers that will, as label=host:port separated by commas (your network's own resolver, from /etc/resolv.conf, usually works).";
}

function resolversUnreachableFix(): string {
  return "This machine cannot reach the resolvers (outbound DNS is probably blocked): set STACKGUIDE_DNS_RESOLVERS to resolvers it can reach, as label=host:port separated by commas (your network's own resolver, from /etc/resolv.conf, usually works), and name the parent zone's servers with --dns-server host:port.";
}

export interface DelegationSummaryInput {
  domain: string;
  parentZone: string;
  expected: readonly string[];
  checkedAt: string;
  parentServers: readonly ParentServerResult[];
  nameServers: readonly NameServerResult[];
  propagation: PropagationResult;
  recordTtl: number;
  /** Why the parent's servers could not be found, when they could not. */
  discoveryProblem?: { problem: ServerProblem; detail: string };
}

/** Worst first: what the operator must fix before anything else. */
const SEVERITY: readonly ReachableStatus[] = ['missing', 'stale', 'partial', 'lame', 'delegated'];

export function summariseDelegation(input: DelegationSummaryInput): DelegationCheckResult {
  const domain = normalizeDnsName(input.domain);
  const parentZone = normalizeDnsName(input.parentZone);
  const expected = uniqueSorted(input.expected);
  const parentServers = [...input.parentServers];
  const groups = groupParentServers(parentZone, parentServers);
  const base = {
    domain,
    parentZone,
    checkedAt: input.checkedAt,
    expectedNameServers: expected,
    discoveryProblem: input.discoveryProblem ?? null,
    parentServers,
    parentServerGroups: groups,
    nameServers: [...input.nameServers],
    propagation: input.propagation,
  };
  if (parentServers.length === 0) return undiscovered(input, base);

  const reachable = parentServers.filter((server) => server.problem === null);
  const failedGroups = groups.filter((group) => group.problem !== null);
  if (reachable.length === 0) {
    const statuses = new Set(parentServers.map((server) => server.status));
    const [only] = statuses;
    const status: DelegationStatus = statuses.size === 1 && only !== undefined ? only : 'unreachable';
    return {
      ...base,
      status,
      explanation: `None of the ${parentServers.length} servers of ${parentZone} gave a usable answer, so the delegation of ${domain} cannot be checked: ${failedGroups.map((group) => group.explanation).join(' ')}`,
      fix: {
        summary: [...new Set(failedGroups.map((group) => group.fix?.summary ?? ''))].join(' ').trim(),
        add: [],
        remove: [],
      },
    };
  }

  const status =
    SEVERITY.find((candidate) => reachable.some((server) => server.status === candidate)) ?? 'delegated';
  const worst = reachable.filter((server) => server.status === status);
  const missing = union(worst.map((server) => server.missingNameServers));
  const extra = union(worst.map((server) => server.extraNameServers));
  const lame = union(reachable.map((server) => server.lameNameServers));
  const lameNote = lame.length > 0 ? ` ${describeLame(lame, input.nameServers, expected)}` : '';

  let headline: string;
  switch (status) {
    case 'delegated':
      headline = `${parentZone} delegates ${domain} to the hosted zone's ${expected.length} name servers, and they answer for it.`;
      break;
    case 'missing':
      headline = `${parentZone} has no NS records for ${domain}, so resolvers cannot find the hosted zone and nothing under ${domain} resolves (a DNS-validated certificate stays pending).`;
      break;
    case 'partial':
      headline = `${parentZone} delegates ${domain} to only some of the hosted zone's name servers (missing: ${missing.join(', ')}).${lameNote}`;
      break;
    case 'stale':
      headline = `${parentZone} delegates ${domain} to name servers that are not the hosted zone's (${extra.join(', ')}), probably those of an earlier hosted zone that was deleted.${lameNote}`;
      break;
    case 'lame':
      headline = `${parentZone} delegates ${domain} to the hosted zone's ${expected.length} name servers, but ${howManyServe(lame, expected)}.${lameNote}`;
      break;
  }
  const byStatus = new Map<string, string[]>();
  for (const server of reachable)
    byStatus.set(server.status, [...(byStatus.get(server.status) ?? []), server.server.name]);
  const disagreement =
    byStatus.size > 1
      ? ` The servers of ${parentZone} disagree (${[...byStatus].map(([verdict, names]) => `${verdict}: ${names.length} (${names.join(', ')})`).join('; ')}): a change there is still spreading to all of them.`
      : '';
  const silent =
    failedGroups.length > 0
      ? ` ${parentServers.length - reachable.length} of ${parentServers.length} servers of ${parentZone} gave no usable answer, and the verdict comes from the others: ${failedGroups.map((group) => group.explanation).join(' ')}`
      : '';

  let fix: DelegationFix | null = null;
  if (status !== 'delegated') {
    const add = union(reachable.map((server) => server.fix?.add ?? []));
    const remove = union(reachable.map((server) => server.fix?.remove ?? []));
    const template = delegationFix(status, domain, parentZone, [], [], input.recordTtl, null);
    fix = { summary: template.summary, add, remove };
  }
  return { ...base, status, explanation: `${headline}${disagreement}${silent}`, fix };
}

/** No parent server to ask: the discovery through the resolvers says why, and that decides the fix. */
function undiscovered(
  input: DelegationSummaryInput,
  base: Omit<DelegationCheckResult, 'status' | 'explanation' | 'fix'>,
): DelegationCheckResult {
  const { parentZone, domain } = base;
  const found = input.discoveryProblem ?? { problem: 'rcode', detail: 'no servers were given' };
  const explanation = `Could not find the servers of ${parentZone}: ${found.detail}.`;
  switch (found.problem) {
    case 'nxdomain': {
      // The delegation is missing because there is nothing to put it in yet: say so, then the records.
      const records = delegationFix(
        'missing',
        domain,
        parentZone,
        base.expectedNameServers,
        [],
        input.recordTtl,
        null,
      );
      return {
        ...base,
        status: 'missing',
        explanation,
        fix: {
          ...records,
          summary: `${problemFix('nxdomain', parentZone, []).summary} Then ${records.summary.charAt(0).toLowerCase()}${records.summary.slice(1)}`,
        },
      };
    }
    case 'servfail':
      return { ...base, status: 'servfail', explanation, fix: problemFix('servfail', parentZone, []) };
    default:
      return {
        ...base,
        status: 'unreachable',
        explanation,
        fix: { summary: resolversUnreachableFix(), add: [], remove: [] },
      };
  }
}

function delegationFix(
  status: 'missing' | 'partial' | 'stale' | 'lame',
  domain: string,
  parentZone: string,
  add: readonly string[],
  remove: readonly string[],
  recordTtl: number,
  removeTtl: number | null,
): DelegationFix {
  const where = `in the zone ${parentZone} (at your registrar or the DNS provider that hosts ${parentZone})`;
  const lines = {
    add: add.map((name) => formatNsRecord(domain, name, recordTtl)),
    remove: remove.map((name) => formatNsRecord(domain, name, removeTtl ?? recordTtl)),
  };
  switch (status) {
    case 'missing':
      return { summary: `Add these NS records ${where}.`, ...lines };
    case 'partial':
      return {
        summary: `Add the missing NS records ${where}, so all of the hosted zone's name servers are listed.`,
        ...lines,
      };
    case 'stale':
      return {
        summary: `Replace the NS records for ${domain} ${where}: delete the old ones and add the hosted zone's.`,
        ...lines,
      };
    case 'lame':
      return {
        summary: `Check that the Route53 hosted zone ${domain} still exists and is public. If it was deleted and created again, it has new name servers: put the new zone's name servers in the NS records ${where}.`,
        ...lines,
      };
  }
}

function lameAmong(listed: readonly string[], probes: readonly NameServerResult[]): string[] {
  return listed.filter((name) => {
    const probe = probes.find((candidate) => candidate.name === normalizeDnsName(name));
    // Not probed means we could not judge it; only a probe that failed makes a server lame.
    return probe !== undefined && probe.status !== 'authoritative';
  });
}

/** "none of them serves it" or "2 of them do not serve it": never "not all" when none does. */
function howManyServe(lame: readonly string[], expected: readonly string[]): string {
  const failing = lame.filter((name) => expected.includes(name)).length;
  if (failing >= expected.length) return 'none of them serves it';
  return `${failing} of them ${failing === 1 ? 'does' : 'do'} not serve it`;
}

/**
 * Why the lame name servers fail, each reason said once: four name servers that all refuse read as one
 * sentence ("Each of them refuses ..."), not the same clause four times.
 */
function describeLame(
  lame: readonly string[],
  probes: readonly NameServerResult[],
  expected: readonly string[],
): string {
  const byReason = new Map<string, string[]>();
  for (const name of lame) {
    const said = probes.find((probe) => probe.name === name)?.explanation;
    // A probe's explanation starts with the server's name; what follows is the same for each that says it.
    const reason = said?.startsWith(`${name} `) ? said.slice(name.length + 1) : 'does not serve the zone.';
    byReason.set(reason, [...(byReason.get(reason) ?? []), name]);
  }
  return [...byReason]
    .map(([reason, names]) => {
      if (names.length === 1) return `${names[0]} ${reason}`;
      const all = names.length === lame.length && lame.length >= expected.length;
      return `Each of ${all ? 'them' : joinAnd(names)} ${reason}`;
    })
    .join(' ');
}

function joinAnd(names: readonly string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function uniqueSorted(names: readonly string[]): string[] {
  return [...new Set(names.map(normalizeDnsName))].sort();
}

function union(lists: readonly (readonly string[])[]): string[] {
  return [...new Set(lists.flat())].sort();
}
