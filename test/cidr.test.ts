import { describe, expect, it } from 'vitest';
import { addressAfterBase, addressCount, cidrContains, parseNetwork } from '../src/cidr.ts';

describe('networks in CIDR form (ipaddr.js underneath)', () => {
  it('parses both families and nothing else', () => {
    expect(parseNetwork('10.20.0.0/16')).toMatchObject({ family: 'ipv4', prefix: 16 });
    expect(parseNetwork('2600:1f18:abcd::/56')).toMatchObject({ family: 'ipv6', prefix: 56 });
    expect(parseNetwork('10.20.0.0')).toBeUndefined();
    expect(parseNetwork('10.20.0.256/24')).toBeUndefined();
  });

  it('counts addresses', () => {
    expect(addressCount('10.0.1.0/24')).toBe(256);
    expect(addressCount('10.0.1.0/28')).toBe(16);
    expect(addressCount('2600:1f18:abcd:1::/64')).toBe(2 ** 64);
    expect(addressCount('nonsense')).toBe(0);
  });

  it('tells whether one network lies within another, in one family', () => {
    expect(cidrContains('10.0.0.0/16', '10.0.1.0/24')).toBe(true);
    expect(cidrContains('10.0.0.0/16', '10.1.1.0/24')).toBe(false);
    expect(cidrContains('10.0.1.0/24', '10.0.0.0/16')).toBe(false);
    expect(cidrContains('2600:1f18:abcd::/56', '2600:1f18:abcd:1::/64')).toBe(true);
    expect(cidrContains('2600:1f18:abcd::/56', '2600:1f18:abce::/64')).toBe(false);
    expect(cidrContains('10.0.0.0/8', '2600:1f18:abcd::/56')).toBe(false);
    expect(cidrContains('10.0.0.0/8', 'nonsense')).toBe(false);
  });

  it("finds the Amazon DNS server's address: the VPC range's base plus two", () => {
    expect(addressAfterBase('10.20.0.0/16', 2)).toBe('10.20.0.2');
    expect(addressAfterBase('172.31.255.0/24', 2)).toBe('172.31.255.2');
    expect(addressAfterBase('2600:1f18:abcd::/56', 2)).toBeUndefined();
  });
});
