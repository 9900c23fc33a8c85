import ipaddr from 'ipaddr.js';

/**
 * Networks in CIDR form, parsed by ipaddr.js (IPv4 and IPv6) rather than by hand: one parser for the
 * answers (`cidr` questions) and the network step's checks.
 */
export interface Network {
  family: 'ipv4' | 'ipv6';
  address: ipaddr.IPv4 | ipaddr.IPv6;
  prefix: number;
}

/** The network, or undefined when the text is not an address/prefix of either family. */
export function parseNetwork(text: string): Network | undefined {
  if (!ipaddr.isValidCIDR(text)) return undefined;
  const [address, prefix] = ipaddr.parseCIDR(text);
  return { family: address.kind(), address, prefix };
}

/** Why `text` is not an IPv4 network address in CIDR form, or undefined when it is one. */
export function ipv4NetworkProblem(text: string): string | undefined {
  const network = parseNetwork(text);
  if (!network) return `"${text}" is not in CIDR form`;
  if (network.family === 'ipv6') return `"${text}" is an IPv6 network; an IPv4 one is needed here`;
  const base = ipaddr.IPv4.networkAddressFromCIDR(text).toString();
  if (base !== network.address.toString())
    return `"${text}" has host bits set (the network address is ${base}/${network.prefix})`;
  return undefined;
}

/** How many addresses the network holds (0 when it is not one). */
export function addressCount(text: string): number {
  const network = parseNetwork(text);
  return network ? 2 ** ((network.family === 'ipv4' ? 32 : 128) - network.prefix) : 0;
}

/** True when `inner` lies wholly within `outer` (same family, no shorter prefix). */
export function cidrContains(outer: string, inner: string): boolean {
  const a = parseNetwork(outer);
  const b = parseNetwork(inner);
  if (!a || !b || a.family !== b.family || b.prefix < a.prefix) return false;
  return b.address.match(a.address, a.prefix);
}

/** The address `offset` after the network's base (the Amazon DNS server is the VPC range's base + 2). */
export function addressAfterBase(text: string, offset: number): string | undefined {
  const network = parseNetwork(text);
  if (network?.family !== 'ipv4') return undefined;
  const base = ipaddr.IPv4.networkAddressFromCIDR(text).toByteArray();
  const value = base.reduce((sum, octet) => sum * 256 + octet, 0) + offset;
  return ipaddr.fromByteArray([24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256)).toString();
}
