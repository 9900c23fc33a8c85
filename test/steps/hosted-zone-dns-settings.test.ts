import { describe, expect, it } from 'vitest';
import { dnsSettingsFrom } from '../../src/steps/hosted-zone/dns-settings.ts';

describe('dnsSettingsFrom', () => {
  it('reads parent servers, resolvers and pinned name server addresses', () => {
    expect(
      dnsSettingsFrom({
        STACKGUIDE_DNS_SERVERS: '127.0.0.1:5353, 127.0.0.8:5353',
        STACKGUIDE_DNS_RESOLVERS: 'local=127.0.0.2:53,127.0.0.3',
        STACKGUIDE_DNS_NS_ADDRESSES: 'NS-1.AWSDNS-01.ORG.=127.0.0.4:5300,ns-2.awsdns-02.net=[::1]:5301',
      }),
    ).toEqual({
      parentServers: [
        { host: '127.0.0.1', port: 5353 },
        { host: '127.0.0.8', port: 5353 },
      ],
      resolvers: [
        { host: '127.0.0.2', port: 53, name: 'local' },
        { host: '127.0.0.3', port: 53 },
      ],
      nameServerAddresses: {
        'ns-1.awsdns-01.org': { host: '127.0.0.4', port: 5300 },
        'ns-2.awsdns-02.net': { host: '::1', port: 5301 },
      },
    });
  });

  it('leaves everything to the defaults when nothing is set', () => {
    expect(dnsSettingsFrom({})).toEqual({});
    expect(dnsSettingsFrom({ STACKGUIDE_DNS_SERVERS: ' , ' })).toEqual({});
  });

  it('names the variable and the value it cannot read', () => {
    expect(() => dnsSettingsFrom({ STACKGUIDE_DNS_SERVERS: '127.0.0.1:99999' })).toThrow(
      expect.objectContaining({
        code: 'dns.server.invalid',
        details: [expect.objectContaining({ path: 'STACKGUIDE_DNS_SERVERS' })],
      }),
    );
    expect(() => dnsSettingsFrom({ STACKGUIDE_DNS_NS_ADDRESSES: '127.0.0.1:53' })).toThrow(
      expect.objectContaining({
        code: 'dns.settings.invalid',
        details: [expect.objectContaining({ path: 'STACKGUIDE_DNS_NS_ADDRESSES' })],
      }),
    );
  });
});
