import type { RecordType } from 'dns-packet';
import { normalizeDnsName } from '../../dns/compare-delegation.ts';
import { publicResolvers } from '../../dns/delegation-check.ts';
import { createDnsClient, type DnsRecord, type DnsServer, describeServer } from '../../dns/dns-client.ts';
import { systemClock } from '../../runtime/clock.ts';
import type { StepContext } from '../step.ts';

/**
 * What public DNS answers today for a name, as the resolvers see it: the records a new hosted zone would
 * shadow once delegated, and whether a validation CNAME is already visible.
 */
export interface PublicAnswer {
  /** Records owned by the name itself, from the answer section. */
  records: DnsRecord[];
  /** The resolver that gave a definite answer; null when none did. */
  resolver: string | null;
  /** Why nothing definite came back; null when a resolver answered. */
  problem: string | null;
}

/**
 * The record types a live name usually has; any of them means something already answers there. Not NS:
 * NS records at the name are its delegation (often to the very name servers of the zone being made), not
 * content that a new zone would hide.
 */
const LIVE_TYPES: readonly RecordType[] = ['A', 'AAAA', 'CNAME', 'MX', 'TXT'];

export async function lookupPublic(
  context: StepContext,
  name: string,
  type: RecordType,
): Promise<PublicAnswer> {
  const resolvers: readonly DnsServer[] = context.settings.dns.resolvers ?? publicResolvers;
  // System clock: these timeouts measure the network (see dns-settings.ts).
  const dns = createDnsClient({ clock: systemClock });
  const owner = normalizeDnsName(name);
  const problems: string[] = [];
  for (const resolver of resolvers) {
    const result = await dns.query(
      resolver,
      { name: owner, type, recursionDesired: true },
      { signal: context.signal },
    );
    if (!result.ok) {
      problems.push(result.message);
      continue;
    }
    const { response } = result;
    if (response.rcode !== 'NOERROR' && response.rcode !== 'NXDOMAIN') {
      problems.push(`${describeServer(resolver)} answered ${response.rcode}`);
      continue;
    }
    return {
      records: response.answers.filter((record) => normalizeDnsName(record.name) === owner),
      resolver: describeServer(resolver),
      problem: null,
    };
  }
  return {
    records: [],
    resolver: null,
    problem: problems.join('; ') || 'no resolvers are configured',
  };
}

export interface LiveRecords {
  records: DnsRecord[];
  /** Lookups that got no definite answer, by type. */
  problems: string[];
  /** False when no lookup got a definite answer: then nothing is known either way. */
  answered: boolean;
}

/** Every record public DNS holds for `name` today, of the usual types, asked in parallel. */
export async function findLiveRecords(context: StepContext, name: string): Promise<LiveRecords> {
  const answers = await Promise.all(LIVE_TYPES.map((type) => lookupPublic(context, name, type)));
  const seen = new Set<string>();
  const records: DnsRecord[] = [];
  for (const record of answers.flatMap((answer) => answer.records)) {
    // A CNAME comes back for every type asked; list it once.
    const key = `${record.type} ${record.data}`;
    if (seen.has(key)) continue;
    seen.add(key);
    records.push(record);
  }
  const problems = answers.flatMap((answer, index) =>
    answer.problem === null ? [] : [`${LIVE_TYPES[index]}: ${answer.problem}`],
  );
  return { records, problems, answered: problems.length < LIVE_TYPES.length };
}

/** `codeocean.example.com. 300 IN A 192.0.2.10`, for messages. */
export function formatRecord(record: DnsRecord): string {
  return `${normalizeDnsName(record.name)}. ${record.ttl} IN ${record.type} ${record.data}`;
}
