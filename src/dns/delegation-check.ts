import { StackguideError } from '../errors.ts';
import type { Clock } from '../runtime/clock.ts';
import {
  classifyNameServer,
  classifyParentServer,
  classifyResolver,
  extractNameServers,
  normalizeDnsName,
  summariseDelegation,
  summarisePropagation,
} from './compare-delegation.ts';
import type {
  DelegationCheckResult,
  NameServerResult,
  ServerProblem,
  ServerRef,
} from './delegation-check-result.ts';
import {
  type DnsClient,
  type DnsQueryOptions,
  type DnsQueryResult,
  type DnsResponse,
  type DnsServer,
  describeServer,
  type HostLookup,
  isValidDnsName,
  resolveServerHosts,
} from './dns-client.ts';

/**
 * Answers "is the subdomain correctly delegated, and has it propagated?" the way a resolver would find
 * out, but asking every server itself so it can say *which* one is wrong and why:
 *   1. find the parent zone's authoritative servers (or take them from `parentServers`);
 *   2. ask each, without recursion, for the subdomain's NS records and compare with the hosted zone's
 *      delegation set;
 *   3. ask every name server listed there for the subdomain's SOA, without recursion, to spot lame ones;
 *   4. ask the resolvers (with recursion) what they currently answer, for propagation and "check again".
 * Nothing waits for what it does not need: every server of a stage is asked at once, the resolvers from
 * the start, and a name server is probed as soon as the first parent server names it, not when the
 * slowest parent has answered. Every query has short tries and one retry, and the whole check one time
 * budget: a silent server costs the budget at most, is reported with its address, and the verdict comes
 * from the servers that answered. The judgement itself lives in compare-delegation.ts, free of I/O.
 */

/** Well-known public resolvers, used for discovery and propagation when none are configured. */
/** @public Default resolvers for the propagation check; used when the operator gives none. */
export const publicResolvers: readonly DnsServer[] = [
  { name: 'Cloudflare', host: '1.1.1.1', port: 53 },
  { name: 'Google', host: '8.8.8.8', port: 53 },
  { name: 'Quad9', host: '9.9.9.9', port: 53 },
  { name: 'OpenDNS', host: '208.67.222.222', port: 53 },
];

export interface DelegationCheckDeps {
  dns: DnsClient;
  clock: Clock;
  /** How host names given for servers become addresses; default: this machine's resolver. */
  lookup?: HostLookup;
}

export interface DelegationCheckOptions {
  /** The hosting domain, `<subdomain>.<parent>`: `codeocean.example.com`. */
  domain: string;
  /** The hosted zone's delegation set (Route53 `DelegationSet.NameServers`). */
  expectedNameServers: readonly string[];
  /** The zone the delegation lives in. Default: found through the resolvers, starting one label up. */
  parentZone?: string;
  /**
   * The parent zone's servers to ask instead of discovering them (`--dns-server host:port`): for tests
   * and for split-horizon networks where the public servers are not the ones that matter.
   */
  parentServers?: readonly DnsServer[];
  /** Recursive resolvers for discovery and propagation. Default: publicResolvers. */
  resolvers?: readonly DnsServer[];
  /**
   * Addresses for name server host names, consulted before glue and before the resolvers, keyed by host
   * name (case and trailing dot ignored). Tests map NS names to loopback servers on their own ports;
   * operators can pin a name server that their network resolves differently.
   */
  nameServerAddresses?: Readonly<Record<string, DnsServer>>;
  /** TTL of the NS records the fix tells the operator to add. Default 300 s, so a mistake is short-lived. */
  recordTtl?: number;
  /** Per-query timeout and retries, passed to the DNS client. */
  query?: Omit<DnsQueryOptions, 'signal' | 'budget'>;
  /**
   * The whole check's time budget in ms: a query still out when it runs out counts as unanswered, and
   * the verdict comes from what did answer. Default 2300 ms (issue 16: ≤2.5 s with one silent server).
   */
  budgetMs?: number;
  signal?: AbortSignal;
}

const DEFAULT_RECORD_TTL = 300;
const DEFAULT_BUDGET_MS = 2_300;

export async function checkDelegation(
  deps: DelegationCheckDeps,
  options: DelegationCheckOptions,
): Promise<DelegationCheckResult> {
  validateOptions(options);
  const domain = normalizeDnsName(options.domain);
  const expected = options.expectedNameServers.map(normalizeDnsName);
  const recordTtl = options.recordTtl ?? DEFAULT_RECORD_TTL;
  const hosts = await resolveHosts(deps, options);
  const resolvers = hosts.resolvers.map(toServerRef);
  // The budget measures the network, like the client's socket timeouts, so it runs on real time and not
  // on the injected clock (a test's fake clock would end it at once or never).
  const budget = AbortSignal.timeout(options.budgetMs ?? DEFAULT_BUDGET_MS);
  const queryOptions: DnsQueryOptions = {
    ...options.query,
    budget,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const ask = (server: DnsServer, name: string, type: 'NS' | 'SOA' | 'A', recursionDesired: boolean) =>
    deps.dns.query(server, { name, type, recursionDesired }, queryOptions);
  const lookup: Lookup = { ask, resolvers, pinned: pinnedAddresses(hosts.pinned) };

  // Propagation does not depend on what the parent says, so it runs alongside the rest.
  const resolverAnswers = Promise.all(resolvers.map((resolver) => ask(resolver, domain, 'NS', true)));

  // A name server is probed once, as soon as the first parent server that lists it has answered.
  const probes = new Map<string, Promise<NameServerResult>>();
  const probe = (name: string, glue: ReadonlyMap<string, string>): Promise<NameServerResult> => {
    const started = probes.get(name);
    if (started) return started;
    const probing = (async () => {
      const address = await resolveAddress(lookup, name, glue);
      if (address.server === null) {
        return classifyNameServer({
          domain,
          name,
          server: null,
          result: null,
          unresolvedReason: address.problem,
        });
      }
      const result = await ask(address.server, domain, 'SOA', false);
      return classifyNameServer({ domain, name, server: address.server, result });
    })();
    probes.set(name, probing);
    return probing;
  };

  const parent = await findParentServers(lookup, domain, options, hosts.parentServers);
  const parentAnswers = await Promise.all(
    parent.servers.map(async (server) => {
      const result = await ask(server, domain, 'NS', false);
      if (result.ok) {
        const glue = collectGlue([result]);
        for (const name of extractNameServers(domain, result.response).nameServers) void probe(name, glue);
      }
      return result;
    }),
  );
  const listed = [...probes.keys()].sort();
  const nameServers = await Promise.all(listed.map((name) => probe(name, new Map())));

  const parentServers = parent.servers.map((server, index) =>
    classifyParentServer({
      domain,
      parentZone: parent.zone,
      expected,
      server,
      result: parentAnswers[index] ?? missingAnswer(server, domain),
      nameServers,
      recordTtl,
    }),
  );
  const parentTtls = parentServers.flatMap((server) => (server.ttl === null ? [] : [server.ttl]));
  const fallbackTtl = parentTtls.length > 0 ? Math.min(...parentTtls) : null;

  const propagation = summarisePropagation(
    (await resolverAnswers).map((result, index) =>
      classifyResolver({
        domain,
        expected,
        resolver: resolvers[index] ?? toServerRef(result.server),
        result,
        fallbackTtl,
      }),
    ),
  );

  return summariseDelegation({
    domain,
    parentZone: parent.zone,
    expected,
    checkedAt: new Date(deps.clock.now()).toISOString(),
    parentServers,
    nameServers,
    propagation,
    recordTtl,
    ...(parent.problem !== null ? { discoveryProblem: parent.problem } : {}),
  });
}

interface ResolvedHosts {
  parentServers: DnsServer[] | undefined;
  resolvers: DnsServer[];
  pinned: Record<string, DnsServer>;
}

/** Host names given for servers become addresses before any query; one that does not resolve is exit 2. */
async function resolveHosts(
  deps: DelegationCheckDeps,
  options: DelegationCheckOptions,
): Promise<ResolvedHosts> {
  const pinnedEntries = Object.entries(options.nameServerAddresses ?? {});
  const [parentServers, resolvers, pinned] = await Promise.all([
    options.parentServers === undefined
      ? Promise.resolve(undefined)
      : resolveServerHosts(options.parentServers, '--dns-server', deps.lookup),
    resolveServerHosts(options.resolvers ?? publicResolvers, 'STACKGUIDE_DNS_RESOLVERS', deps.lookup),
    resolveServerHosts(
      pinnedEntries.map(([, server]) => server),
      'STACKGUIDE_DNS_NS_ADDRESSES',
      deps.lookup,
    ),
  ]);
  return {
    parentServers,
    resolvers,
    pinned: Object.fromEntries(
      pinnedEntries.map(([name], index) => [name, pinned[index] ?? { host: name, port: 53 }]),
    ),
  };
}

export interface WaitForDelegationOptions extends DelegationCheckOptions {
  /** `delegated`: the parent is right; `propagated`: and every answering resolver sees it. */
  until?: 'delegated' | 'propagated';
  /** Gives up (StackguideError `dns.delegation.timeout`) after this long. */
  timeoutMs: number;
  /** Bounds for the pause between checks; within them, the pause follows the cached answers' TTLs. */
  minIntervalMs?: number;
  maxIntervalMs?: number;
  /** Every check's result, for a renderer to show while waiting. */
  onCheck?: (result: DelegationCheckResult) => void;
  /** Before each pause: when the next check is and when the wait gives up (ms since the epoch). */
  onWait?: (nextCheckAt: number, deadline: number) => void;
}

/**
 * Re-runs the check until the delegation is in place (the registrar flow: the operator adds the records
 * by hand and we notice). Resolves with the first satisfying result.
 */
export async function waitForDelegation(
  deps: DelegationCheckDeps,
  options: WaitForDelegationOptions,
): Promise<DelegationCheckResult> {
  const until = options.until ?? 'delegated';
  const minInterval = options.minIntervalMs ?? 5_000;
  const maxInterval = Math.max(minInterval, options.maxIntervalMs ?? 60_000);
  const deadline = deps.clock.now() + options.timeoutMs;
  for (;;) {
    const result = await checkDelegation(deps, options);
    options.onCheck?.(result);
    const delegated = result.status === 'delegated';
    if (delegated && (until === 'delegated' || result.propagation.status === 'complete')) return result;
    const remaining = deadline - deps.clock.now();
    if (remaining <= 0) {
      throw new StackguideError(
        `${result.domain} is still not ${until === 'delegated' ? 'delegated correctly' : 'visible to every resolver'}: ${result.explanation}`,
        {
          code: 'dns.delegation.timeout',
          kind: 'user',
          nextSteps: [
            ...(result.fix ? [result.fix.summary, ...result.fix.add.map((line) => `add: ${line}`)] : []),
            ...(result.fix ? result.fix.remove.map((line) => `delete: ${line}`) : []),
            `Then run the check again (stackguide status).`,
          ],
        },
      );
    }
    // Until the parent is right nothing is cached that we could wait out, so poll at the short end; after
    // that, the resolvers' remaining TTLs say when asking again can show a change.
    const ttlMs =
      delegated && result.propagation.recheckAfterSeconds !== null
        ? result.propagation.recheckAfterSeconds * 1_000
        : 0;
    const pause = Math.min(remaining, Math.max(minInterval, Math.min(maxInterval, ttlMs)));
    options.onWait?.(deps.clock.now() + pause, deadline);
    try {
      await deps.clock.sleep(pause, options.signal);
    } catch (error) {
      throw new StackguideError(`Stopped waiting for the delegation of ${result.domain}.`, {
        code: 'dns.cancelled',
        kind: 'cancelled',
        cause: error,
      });
    }
  }
}

interface Lookup {
  ask: (
    server: DnsServer,
    name: string,
    type: 'NS' | 'SOA' | 'A',
    recursionDesired: boolean,
  ) => Promise<DnsQueryResult>;
  resolvers: readonly ServerRef[];
  pinned: ReadonlyMap<string, DnsServer>;
}

interface ParentServers {
  zone: string;
  servers: ServerRef[];
  /** Why no servers were found; null when they were. */
  problem: { problem: ServerProblem; detail: string } | null;
}

async function findParentServers(
  lookup: Lookup,
  domain: string,
  options: DelegationCheckOptions,
  given: readonly DnsServer[] | undefined,
): Promise<ParentServers> {
  const guess = options.parentZone !== undefined ? normalizeDnsName(options.parentZone) : parentOf(domain);
  if (given !== undefined) return { zone: guess, servers: given.map(toServerRef), problem: null };

  let zone = guess;
  let answer = await askResolvers(lookup, zone, 'NS');
  if (!answer.ok) return { zone, servers: [], problem: answer.problem };
  let found = extractNameServers(zone, answer.response);
  if (found.nameServers.length === 0 && options.parentZone === undefined) {
    // One label up is not always a zone apex (`a.b.example.com` under `example.com`): the SOA in a
    // negative answer names the zone that actually holds the name.
    const owner = answer.response.authorities.find((record) => record.type === 'SOA')?.name;
    if (owner !== undefined && normalizeDnsName(owner) !== zone && normalizeDnsName(owner) !== '') {
      zone = normalizeDnsName(owner);
      answer = await askResolvers(lookup, zone, 'NS');
      if (!answer.ok) return { zone, servers: [], problem: answer.problem };
      found = extractNameServers(zone, answer.response);
    }
  }
  if (found.nameServers.length === 0) {
    const why =
      answer.response.rcode === 'NXDOMAIN'
        ? `${zone} does not exist (NXDOMAIN)`
        : `${zone} has no NS records, so it is not a zone`;
    return {
      zone,
      servers: [],
      problem: { problem: 'nxdomain', detail: `${why} according to ${describeServer(answer.resolver)}` },
    };
  }

  const glue = collectGlue([{ ok: true, response: answer.response }]);
  const addresses = await Promise.all(found.nameServers.map((name) => resolveAddress(lookup, name, glue)));
  const servers = addresses.flatMap((address) => (address.server === null ? [] : [address.server]));
  const problem =
    servers.length === 0
      ? {
          problem: 'silent' as const,
          detail: `no address found for its name servers (${addresses.map((address) => address.problem).join('; ')})`,
        }
      : null;
  return { zone, servers, problem };
}

type ResolverAnswer =
  | { ok: true; response: DnsResponse; resolver: ServerRef }
  | { ok: false; problem: { problem: ServerProblem; detail: string } };

/**
 * Asks every resolver at once and takes the first definite answer (NOERROR or NXDOMAIN); a silent
 * resolver costs nothing when another answers. When none does, says why, worst reason first.
 */
function askResolvers(lookup: Lookup, name: string, type: 'NS' | 'A'): Promise<ResolverAnswer> {
  if (lookup.resolvers.length === 0) {
    return Promise.resolve({
      ok: false,
      problem: { problem: 'silent', detail: 'no resolvers are configured' },
    });
  }
  return new Promise((resolve) => {
    const failures: { problem: ServerProblem; text: string }[] = [];
    let settled = false;
    for (const resolver of lookup.resolvers) {
      void lookup.ask(resolver, name, type, true).then((result) => {
        if (settled) return;
        if (result.ok && (result.response.rcode === 'NOERROR' || result.response.rcode === 'NXDOMAIN')) {
          settled = true;
          resolve({ ok: true, response: result.response, resolver });
          return;
        }
        failures.push(
          result.ok
            ? {
                problem: result.response.rcode === 'SERVFAIL' ? 'servfail' : 'refused',
                text: `${describeServer(resolver)} answered ${result.response.rcode}`,
              }
            : {
                problem: result.failure === 'timeout' ? 'silent' : result.failure,
                text: `${describeServer(resolver)} ${result.failure === 'timeout' ? 'did not answer' : result.failure === 'closed' ? 'refused the connection' : 'cannot be reached'}`,
              },
        );
        if (failures.length < lookup.resolvers.length) return;
        settled = true;
        // SERVFAIL from a resolver that works is about the name; anything else is about the resolvers.
        const problem = failures.some((failure) => failure.problem === 'servfail') ? 'servfail' : 'silent';
        resolve({
          ok: false,
          problem: {
            problem,
            detail: `no resolver could look up ${name} ${type}: ${failures.map((failure) => failure.text).join('; ')}`,
          },
        });
      });
    }
  });
}

type Address = { server: ServerRef; problem: null } | { server: null; problem: string };

/**
 * A name server's address: pinned first (tests, split horizon), then glue from the answer that named it,
 * then an A lookup through the resolvers. IPv4 only: an AAAA address on a host without IPv6 would make a
 * healthy server look unreachable, and every delegated name server must have an A record anyway.
 */
async function resolveAddress(
  lookup: Lookup,
  name: string,
  glue: ReadonlyMap<string, string>,
): Promise<Address> {
  const key = normalizeDnsName(name);
  const pinned = lookup.pinned.get(key);
  if (pinned) return { server: { name: key, host: pinned.host, port: pinned.port }, problem: null };
  const glued = glue.get(key);
  if (glued) return { server: { name: key, host: glued, port: 53 }, problem: null };
  const answer = await askResolvers(lookup, key, 'A');
  if (!answer.ok) return { server: null, problem: answer.problem.detail };
  // The answer may be a CNAME chain; any A record in it is the final address.
  const address = answer.response.answers.find((record) => record.type === 'A')?.data;
  if (address === undefined) {
    return {
      server: null,
      problem: `${key} has no A record (${answer.response.rcode} from ${describeServer(answer.resolver)})`,
    };
  }
  return { server: { name: key, host: address, port: 53 }, problem: null };
}

/** Glue: A records in the additional section, for name servers inside the zone they serve. */
function collectGlue(
  results: readonly ({ ok: true; response: DnsResponse } | { ok: false })[],
): Map<string, string> {
  const glue = new Map<string, string>();
  for (const result of results) {
    if (!result.ok) continue;
    for (const record of result.response.additionals) {
      const name = normalizeDnsName(record.name);
      if (record.type === 'A' && !glue.has(name)) glue.set(name, record.data);
    }
  }
  return glue;
}

function pinnedAddresses(addresses: Readonly<Record<string, DnsServer>>): Map<string, DnsServer> {
  return new Map(Object.entries(addresses).map(([name, server]) => [normalizeDnsName(name), server]));
}

function toServerRef(server: DnsServer): ServerRef {
  return { name: server.name ?? describeServer(server), host: server.host, port: server.port };
}

function parentOf(domain: string): string {
  return domain.split('.').slice(1).join('.');
}

/** Never happens (one answer per server); keeps the index access honest under noUncheckedIndexedAccess. */
function missingAnswer(server: ServerRef, domain: string): DnsQueryResult {
  return {
    ok: false,
    server,
    question: { name: domain, type: 'NS', recursionDesired: false },
    attempts: 0,
    failure: 'network',
    message: 'no query was sent',
  };
}

function validateOptions(options: DelegationCheckOptions): void {
  const details: { path: string; message: string; fix: string }[] = [];
  const domain = normalizeDnsName(options.domain);
  if (!isValidDnsName(domain) || domain.split('.').length < 2) {
    details.push({
      path: 'domain',
      message: `"${options.domain}" is not a subdomain name`,
      fix: 'Use the full hosting domain, for example codeocean.example.com.',
    });
  }
  if (options.parentZone !== undefined) {
    const parentZone = normalizeDnsName(options.parentZone);
    if (!isValidDnsName(parentZone) || !domain.endsWith(`.${parentZone}`)) {
      details.push({
        path: 'parentZone',
        message: `"${options.parentZone}" is not a parent of "${options.domain}"`,
        fix: `Use a zone that ${domain} ends with, or leave it out to find it automatically.`,
      });
    }
  }
  if (options.expectedNameServers.length === 0) {
    details.push({
      path: 'expectedNameServers',
      message: 'no name servers were given',
      fix: "Pass the hosted zone's delegation set (aws route53 get-hosted-zone --id <zone id>).",
    });
  }
  for (const [index, name] of options.expectedNameServers.entries()) {
    if (!isValidDnsName(normalizeDnsName(name)) || normalizeDnsName(name) === '') {
      details.push({
        path: `expectedNameServers[${index}]`,
        message: `"${name}" is not a host name`,
        fix: 'Use the name servers exactly as Route53 lists them, for example ns-1.awsdns-01.org.',
      });
    }
  }
  const recordTtl = options.recordTtl ?? DEFAULT_RECORD_TTL;
  if (!Number.isInteger(recordTtl) || recordTtl < 0) {
    details.push({
      path: 'recordTtl',
      message: `${recordTtl} is not a TTL`,
      fix: 'Use a whole number of seconds.',
    });
  }
  if (options.parentServers !== undefined && options.parentServers.length === 0) {
    details.push({
      path: '--dns-server',
      message: 'an empty list of parent servers was given',
      fix: 'Pass --dns-server host:port at least once, or leave it out to find the servers automatically.',
    });
  }
  if (details.length > 0) {
    throw new StackguideError(`Cannot check the delegation of "${options.domain}".`, {
      code: 'dns.delegation.invalid',
      kind: 'user',
      details,
    });
  }
}
