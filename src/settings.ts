import { normalizeDnsName } from './dns/compare-delegation.ts';
import { type DnsServer, parseDnsServer } from './dns/dns-client.ts';
import { StackguideError } from './errors.ts';

/**
 * What stackguide reads from its flags and the environment besides AWS credentials and the answers
 * themselves, read once by the composition root (src/main.ts) and handed down: commands pass it to the
 * AWS session and to every step's context. Nothing below the composition root reads or writes
 * `process.env` for these; a test builds the object it needs (`readSettings({...})`).
 */
export interface Settings {
  readonly dns: DnsSettings;
  /**
   * STACKGUIDE_REGISTRY_LOGIN_URL: the registry login endpoint to try instead of the blueprint's
   * `verifyLoginUrl`; `false` when set to "" or "off" (verification skipped); absent when not set.
   */
  readonly registryLoginUrl?: string | false;
  /**
   * AWS_ENDPOINT_URL_<SERVICE> as set, by variable name: a service's own endpoint wins over
   * `--endpoint-url`, so one local endpoint can serve most services while another serves the rest.
   */
  readonly serviceEndpoints: Readonly<Record<string, string>>;
  /**
   * STACKGUIDE_SUMMARY_ROWS_BELOW: how many rows the program that runs `stackguide install` in a
   * terminal prints under its summary (`npm run demo` prints the commands to go on with there); the
   * summary leaves them free as it fits the window, so its outcome line stays on the screen. Absent
   * when not set (nothing is printed under it but the shell's prompt).
   */
  readonly summaryRowsBelow?: number;
}

/**
 * Which DNS servers the hosted-zone and certificate steps ask:
 *
 * - `parentServers`: `--dns-server` (repeatable), else STACKGUIDE_DNS_SERVERS: the parent zone's servers
 *   to ask instead of discovering them, as a comma-separated `host:port` list. For tests and
 *   split-horizon networks.
 * - `resolvers`: STACKGUIDE_DNS_RESOLVERS, recursive resolvers for propagation, for "does public DNS
 *   answer this already" and for discovery, as `host:port` or `label=host:port`, comma-separated.
 *   Default: the well-known public resolvers.
 * - `nameServerAddresses`: STACKGUIDE_DNS_NS_ADDRESSES, addresses for name server host names, as
 *   `name=host:port`, comma-separated, consulted before glue and the resolvers: tests map the hosted
 *   zone's name servers to loopback servers this way; operators can pin a name server their network
 *   resolves differently.
 */
export interface DnsSettings {
  parentServers?: DnsServer[];
  resolvers?: DnsServer[];
  nameServerAddresses?: Record<string, DnsServer>;
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** The flags that feed settings; a flag wins over its variable. */
export interface SettingsFlags {
  /** `--dns-server host:port`, repeatable. */
  dnsServers?: readonly string[] | undefined;
}

const REGISTRY_LOGIN_URL_VARIABLE = 'STACKGUIDE_REGISTRY_LOGIN_URL';
const SUMMARY_ROWS_BELOW_VARIABLE = 'STACKGUIDE_SUMMARY_ROWS_BELOW';
const SERVICE_ENDPOINT_PREFIX = 'AWS_ENDPOINT_URL_';

/** Every setting, checked: a malformed value is a usage error naming its flag or variable. */
export function readSettings(env: Environment, flags: SettingsFlags = {}): Settings {
  const loginUrl = env[REGISTRY_LOGIN_URL_VARIABLE];
  const rowsBelow = summaryRowsBelow(env[SUMMARY_ROWS_BELOW_VARIABLE]);
  return {
    dns: dnsSettingsFrom(env, flags.dnsServers),
    ...(rowsBelow !== undefined ? { summaryRowsBelow: rowsBelow } : {}),
    ...(loginUrl !== undefined
      ? { registryLoginUrl: loginUrl === '' || loginUrl === 'off' ? false : loginUrl }
      : {}),
    serviceEndpoints: Object.fromEntries(
      Object.entries(env).filter(
        (entry): entry is [string, string] =>
          entry[0].startsWith(SERVICE_ENDPOINT_PREFIX) && entry[1] !== undefined && entry[1] !== '',
      ),
    ),
  };
}

/** A count of rows, 0 to 999; unset or empty is none. */
function summaryRowsBelow(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\s*\d{1,3}\s*$/.test(value)) return Number(value);
  throw new StackguideError(`${SUMMARY_ROWS_BELOW_VARIABLE}: "${value}" is not a number of rows.`, {
    code: 'settings.invalid',
    kind: 'user',
    details: [
      {
        path: SUMMARY_ROWS_BELOW_VARIABLE,
        message: `"${value}" is not a whole number from 0 to 999`,
        fix: 'Set it to the number of rows your script prints under the install summary (3, say), or unset it.',
      },
    ],
  });
}

const DNS_SERVERS_VARIABLE = 'STACKGUIDE_DNS_SERVERS';
const RESOLVERS_VARIABLE = 'STACKGUIDE_DNS_RESOLVERS';
const NS_ADDRESSES_VARIABLE = 'STACKGUIDE_DNS_NS_ADDRESSES';

export function dnsSettingsFrom(env: Environment, dnsServerFlags: readonly string[] = []): DnsSettings {
  const settings: DnsSettings = {};
  if (dnsServerFlags.length > 0) {
    settings.parentServers = dnsServerFlags.map((value) => parseDnsServer(value));
  } else {
    const servers = listOf(env[DNS_SERVERS_VARIABLE]);
    if (servers.length > 0)
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
