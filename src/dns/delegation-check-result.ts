/**
 * What the delegation check found, as plain data: no class instances, no Maps, no `undefined` (absent
 * facts are `null`), so a renderer can print it and `--output json` can emit it as is. Field names are
 * part of the documented JSON output: add fields freely, never rename or remove one.
 */

/**
 * - `delegated`: the parent lists exactly the hosted zone's name servers, and they answer for it.
 * - `missing`: the parent has no NS records for the subdomain (NXDOMAIN or no data).
 * - `partial`: the parent lists some of the hosted zone's name servers and nothing else.
 * - `stale`: the parent lists name servers that are not the hosted zone's (an old, deleted zone, another
 *   provider), possibly mixed with the right ones.
 * - `lame`: the NS set is right, but a listed name server does not answer authoritatively for it.
 * - `unreachable`: no answer at all (silent, port closed, network error).
 * - `refused`: the server answered REFUSED (or without authority and without a referral): it does not
 *   serve the parent zone, so it is the wrong server to ask (a `--dns-server` typo, a hidden primary).
 * - `servfail`: the server answered SERVFAIL: it should serve the parent zone but cannot (a broken or
 *   expired zone, a DNSSEC failure); only the parent zone's operator can fix it.
 *
 * The last three say "could not check"; the four before `delegated` say "needs action".
 */
export type DelegationStatus =
  | 'delegated'
  | 'missing'
  | 'partial'
  | 'stale'
  | 'lame'
  | 'unreachable'
  | 'refused'
  | 'servfail';

/**
 * Why a server gave no usable answer, each with its own words and fix:
 * - `silent`: no answer to any try (down, or a firewall drops port 53);
 * - `closed`: nothing listens on that port (connection refused, ICMP port unreachable);
 * - `network`: the network said no (no route to host, network unreachable);
 * - `refused`: REFUSED, it will not answer for that zone;
 * - `servfail`: SERVFAIL, it cannot answer for that zone;
 * - `not-authoritative`: an answer without authority and without a referral;
 * - `nxdomain`: NXDOMAIN where the name must exist (the parent zone itself);
 * - `rcode`: any other error rcode (FORMERR, NOTIMP, ...).
 */
export type ServerProblem =
  | 'silent'
  | 'closed'
  | 'network'
  | 'refused'
  | 'servfail'
  | 'not-authoritative'
  | 'nxdomain'
  | 'rcode';

/** A server we asked: `name` is its host name (for a name server) or the label we were given. */
export interface ServerRef {
  name: string;
  host: string;
  port: number;
}

/** How to put it right. Records are copyable zone-file lines: `sub.example.com. 300 IN NS ns-1.awsdns-01.org.` */
export interface DelegationFix {
  summary: string;
  /** NS records to add at the parent (registrar or parent DNS provider). */
  add: string[];
  /** NS records to delete at the parent. */
  remove: string[];
}

export interface ParentServerResult {
  server: ServerRef;
  status: DelegationStatus;
  /** rcode of the answer; null when the server did not answer. */
  rcode: string | null;
  /** The NS set this server delegates the subdomain to (lower case, no trailing dot, sorted). */
  nameServers: string[];
  /** Expected name servers this server does not list. */
  missingNameServers: string[];
  /** Listed name servers that are not the hosted zone's. */
  extraNameServers: string[];
  /** Listed name servers that do not answer authoritatively for the subdomain. */
  lameNameServers: string[];
  /** TTL of the NS records in the answer, seconds; null without them. */
  ttl: number | null;
  /** Why this server gave no usable answer; null when it did. */
  problem: ServerProblem | null;
  /** The verdict without the server's name, the same words for every server that says the same. */
  verdict: string;
  explanation: string;
  fix: DelegationFix | null;
}

/** Parent servers that said the same thing, said once with a count (a TLD has a dozen servers). */
export interface ParentServerGroup {
  status: DelegationStatus;
  problem: ServerProblem | null;
  servers: ServerRef[];
  /** What they said, without naming them (the explanation names them). */
  verdict: string;
  explanation: string;
  fix: DelegationFix | null;
}

export type NameServerStatus = 'authoritative' | 'lame' | 'unreachable' | 'unresolvable';

/** One name server that a parent server delegates to, asked for the subdomain's SOA without recursion. */
export interface NameServerResult {
  name: string;
  /** Where we asked it; null when its address could not be found. */
  server: ServerRef | null;
  status: NameServerStatus;
  rcode: string | null;
  explanation: string;
}

export type ResolverStatus = 'matches' | 'old-answer' | 'no-answer' | 'unreachable';

export interface ResolverResult {
  resolver: ServerRef;
  status: ResolverStatus;
  /** Why it gave no usable answer (`unreachable`), or what it answered instead of NS records. */
  problem: ServerProblem | null;
  rcode: string | null;
  /** The NS set the resolver answers for the subdomain (lower case, no trailing dot, sorted). */
  nameServers: string[];
  /** Remaining TTL of the answer (positive or negative) the resolver holds, seconds. */
  ttl: number | null;
  /** When its cached answer expires and asking again can show a change; null when there is no need. */
  recheckAfterSeconds: number | null;
  /** What it answered, without naming it (the explanation names it). */
  verdict: string;
  explanation: string;
}

export interface PropagationResult {
  /** `complete`: every resolver that answered has the expected set; `unknown`: none answered. */
  status: 'complete' | 'pending' | 'unknown';
  resolvers: ResolverResult[];
  /** When every resolver's cached answer will have expired; null when nothing is pending. */
  recheckAfterSeconds: number | null;
  explanation: string;
  /** What to do when no resolver answered (name reachable ones); null otherwise. */
  fix: string | null;
}

export interface DelegationCheckResult {
  /** The subdomain checked, lower case without the trailing dot: `codeocean.example.com`. */
  domain: string;
  /** The zone the delegation lives in: `example.com`. */
  parentZone: string;
  /** ISO 8601, from the injected clock. */
  checkedAt: string;
  /** The hosted zone's delegation set, normalised and sorted. */
  expectedNameServers: string[];
  /** Overall, across the parent's servers (see DelegationStatus). */
  status: DelegationStatus;
  explanation: string;
  fix: DelegationFix | null;
  /** Why the parent zone's servers could not be found (discovery through the resolvers); else null. */
  discoveryProblem: { problem: ServerProblem; detail: string } | null;
  parentServers: ParentServerResult[];
  /** The parent servers grouped by what they said, for printing each verdict once. */
  parentServerGroups: ParentServerGroup[];
  nameServers: NameServerResult[];
  propagation: PropagationResult;
}
