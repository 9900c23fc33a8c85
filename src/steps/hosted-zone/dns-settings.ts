import { normalizeDnsName } from '../../dns/compare-delegation.ts';
import type { DelegationCheckDeps, DelegationCheckOptions } from '../../dns/delegation-check.ts';
import { createDnsClient, type DnsServer, parseDnsServer } from '../../dns/dns-client.ts';
import { StackguideError } from '../../errors.ts';
import { systemClock } from '../../runtime/clock.ts';
import type { StepContext } from '../step.ts';

/**
 * Which DNS servers the hosted-zone and certificate steps ask, from the environment:
 *
 * - `STACKGUIDE_DNS_SERVERS`: the parent zone's servers to ask instead of discovering them, as a
 *   comma-separated `host:port` list (the CLI's repeatable `--dns-server` flag sets it). For tests and
 *   split-horizon networks.
 * - `STACKGUIDE_DNS_RESOLVERS`: recursive resolvers for propagation, for "does public DNS answer this
 *   already" and for discovery, as `host:port` or `label=host:port`, comma-separated. Default: the
 *   well-known public resolvers.
 * - `STACKGUIDE_DNS_NS_ADDRESSES`: addresses for name server host names, as `name=host:port`,
 *   comma-separated, consulted before glue and the resolvers: tests map the hosted zone's name servers
 *   to loopback servers this way; operators can pin a name server their network resolves differently.
 */
export interface DnsSettings {
  parentServers?: DnsServer[];
  resolvers?: DnsServer[];
  nameServerAddresses?: Record<string, DnsServer>;
}

const DNS_SERVERS_VARIABLE = 'STACKGUIDE_DNS_SERVERS';
const RESOLVERS_VARIABLE = 'STACKGUIDE_DNS_RESOLVERS';
const NS_ADDRESSES_VARIABLE = 'STACKGUIDE_DNS_NS_ADDRESSES';

export function dnsSettingsFrom(env: Readonly<Record<string, string | undefined>>): DnsSettings {
  const settings: DnsSettings = {};
  const servers = listOf(env[DNS_SERVERS_VARIABLE]);
  if (servers.length > 0) {
    settings.parentServers = servers.map((value) => parseDnsServer(value, DNS_SERVERS_VARIABLE));
  }
  const resolvers = listOf(env[RESOLVERS_VARIABLE]);
  if (resolvers.length > 0) {
    settings.resolvers = resolvers.map((value) => {
      const [label, address] = splitPair(value);
      const server = parseDnsServer(address ?? label, RESOLVERS_VARIABLE);
      return address === undefined ? server : { ...server, name: label };
    });
  }
  const pinned = listOf(env[NS_ADDRESSES_VARIABLE]);
  if (pinned.length > 0) {
    settings.nameServerAddresses = Object.fromEntries(
      pinned.map((value) => {
        const [name, address] = splitPair(value);
        if (address === undefined || name === '') {
          throw new StackguideError(`${NS_ADDRESSES_VARIABLE}: "${value}" is not name=host:port.`, {
            code: 'dns.settings.invalid',
            kind: 'user',
            details: [
              {
                path: NS_ADDRESSES_VARIABLE,
                message: `"${value}" has no "="`,
                fix: 'Use name=host:port pairs separated by commas: ns-1.awsdns-01.org=192.0.2.53:53',
              },
            ],
          });
        }
        return [normalizeDnsName(name), parseDnsServer(address, NS_ADDRESSES_VARIABLE)];
      }),
    );
  }
  return settings;
}

/**
 * What the delegation check needs from a step's context. The DNS client keeps the system clock for its
 * socket timeouts on purpose: those measure the network, which a test's fake clock does not speed up;
 * the check's own polling and timestamps follow the context's clock.
 */
export function delegationDeps(context: StepContext): DelegationCheckDeps {
  return { dns: createDnsClient({ clock: systemClock }), clock: context.clock };
}

export function delegationOptions(
  context: StepContext,
  domain: string,
  parentZone: string,
  expectedNameServers: readonly string[],
): DelegationCheckOptions {
  return {
    domain,
    parentZone,
    expectedNameServers,
    ...dnsSettingsFrom(context.env),
    signal: context.signal,
  };
}

function listOf(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** `a=b` to `['a', 'b']`; without `=`, `[value, undefined]`. */
function splitPair(value: string): [string, string | undefined] {
  const at = value.indexOf('=');
  return at < 0 ? [value, undefined] : [value.slice(0, at).trim(), value.slice(at + 1).trim()];
}
