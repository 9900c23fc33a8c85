import { describe, expect, it } from 'vitest';
import { dnsSettingsFrom, readSettings } from '../src/settings.ts';

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

describe('readSettings', () => {
  it('lets --dns-server win over STACKGUIDE_DNS_SERVERS, and names the flag it cannot read', () => {
    const env = { STACKGUIDE_DNS_SERVERS: '127.0.0.1:5353' };
    expect(readSettings(env, { dnsServers: ['[::1]:5300'] }).dns.parentServers).toEqual([
      { host: '::1', port: 5300 },
    ]);
    expect(readSettings(env, { dnsServers: [] }).dns.parentServers).toEqual([
      { host: '127.0.0.1', port: 5353 },
    ]);
    expect(() => readSettings({}, { dnsServers: ['127.0.0.1:0'] })).toThrow(
      expect.objectContaining({
        code: 'dns.server.invalid',
        details: [expect.objectContaining({ path: '--dns-server' })],
      }),
    );
  });

  it('reads the registry login override: a URL, "off" or empty to skip, absent to leave it to the blueprint', () => {
    expect(readSettings({}).registryLoginUrl).toBeUndefined();
    expect(readSettings({ STACKGUIDE_REGISTRY_LOGIN_URL: 'off' }).registryLoginUrl).toBe(false);
    expect(readSettings({ STACKGUIDE_REGISTRY_LOGIN_URL: '' }).registryLoginUrl).toBe(false);
    expect(readSettings({ STACKGUIDE_REGISTRY_LOGIN_URL: 'http://127.0.0.1:9/login' }).registryLoginUrl).toBe(
      'http://127.0.0.1:9/login',
    );
  });

  it('reads the rows a script prints under the install summary: a count, absent when unset or empty', () => {
    expect(readSettings({}).summaryRowsBelow).toBeUndefined();
    expect(readSettings({ STACKGUIDE_SUMMARY_ROWS_BELOW: '' }).summaryRowsBelow).toBeUndefined();
    expect(readSettings({ STACKGUIDE_SUMMARY_ROWS_BELOW: '8' }).summaryRowsBelow).toBe(8);
    expect(readSettings({ STACKGUIDE_SUMMARY_ROWS_BELOW: ' 0 ' }).summaryRowsBelow).toBe(0);
    for (const value of ['-1', 'six', '2.5', '1000'])
      expect(() => readSettings({ STACKGUIDE_SUMMARY_ROWS_BELOW: value })).toThrow(
        expect.objectContaining({
          code: 'settings.invalid',
          kind: 'user',
          exitCode: 2,
          details: [expect.objectContaining({ path: 'STACKGUIDE_SUMMARY_ROWS_BELOW' })],
        }),
      );
  });

  it('keeps every service endpoint variable that is set, and nothing else', () => {
    expect(
      readSettings({
        AWS_ENDPOINT_URL: 'http://127.0.0.1:5000',
        AWS_ENDPOINT_URL_SESV2: 'http://127.0.0.1:5001',
        AWS_ENDPOINT_URL_COST_EXPLORER: '',
        HOME: '/root',
      }).serviceEndpoints,
    ).toEqual({ AWS_ENDPOINT_URL_SESV2: 'http://127.0.0.1:5001' });
  });

  it('is the only way settings travel: no product code writes process.env', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const writers: string[] = [];
    for (const root of ['src', 'tasks', 'screens']) {
      for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || !/\.tsx?$/.test(entry.name)) continue;
        const path = `${entry.parentPath}/${entry.name}`;
        const source = await readFile(path, 'utf8');
        if (
          /process\.env(\.\w+|\[[^\]]+\])\s*=[^=]|delete\s+process\.env|Object\.assign\(\s*process\.env/.test(
            source,
          )
        )
          writers.push(path);
      }
    }
    expect(writers).toEqual([]);
  });
});
