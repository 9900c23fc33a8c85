import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createAwsSession } from '../../src/aws/aws-context.ts';
import { portRegistry } from '../../src/aws/port-registry.ts';
import type { AwsClientConfig, PortRegistry, PortToken } from '../../src/aws/port-token.ts';
import { type SesV2Port, sesv2Port } from '../../src/aws/sesv2-port.ts';

/** A registry that counts what it is asked for and serves SESv2 with a port that records its region. */
function countingRegistry() {
  const loads: string[] = [];
  const created: AwsClientConfig[] = [];
  const registry: PortRegistry = {
    async adapterFor(token) {
      loads.push(token.service);
      return {
        create: (config) => {
          created.push(config);
          const port: SesV2Port = {
            async getAccount() {
              if (config.region === 'eu-west-1')
                throw Object.assign(new Error('denied'), { name: 'AccessDenied' });
              return { productionAccessEnabled: true, sendingEnabled: true, sendQuota: {} };
            },
            async requestProductionAccess() {},
          };
          return port as never;
        },
      };
    },
  };
  return { registry, loads, created };
}

describe('ports by token', () => {
  it('hands a port back at once and loads its adapter on the first call, once per context and region', async () => {
    const { registry, loads, created } = countingRegistry();
    const aws = createAwsSession({ maxAttempts: 1 }, registry).forRegion('us-east-1');
    const ses = aws.use(sesv2Port);
    expect(loads).toEqual([]);
    expect(aws.use(sesv2Port)).toBe(ses);

    await ses.getAccount();
    await ses.getAccount();
    expect(loads).toEqual(['SESv2']);
    expect(created.map((config) => config.region)).toEqual(['us-east-1']);

    // Another region is another client, and its errors say which region.
    const west = aws.use(sesv2Port, { region: 'eu-west-1' });
    expect(west).not.toBe(ses);
    await expect(west.getAccount()).rejects.toMatchObject({
      name: 'StackguideError',
      message: expect.stringContaining('(SESv2 (eu-west-1) getAccount)'),
    });
    expect(created.map((config) => config.region)).toEqual(['us-east-1', 'eu-west-1']);
    // A plain object: awaiting it does not take it for a promise, spreading it keeps every method.
    expect(await Promise.resolve(ses)).toBe(ses);
    expect(Object.keys({ ...ses }).sort()).toEqual(['getAccount', 'requestProductionAccess']);
  });

  it('serves every token declared beside a port interface with its SDK adapter', async () => {
    const files = (await readdir('src/aws')).filter((name) => name.endsWith('-port.ts'));
    const tokens: Array<PortToken<never>> = [];
    for (const file of files) {
      const module = (await import(`../../src/aws/${file}`)) as Record<string, unknown>;
      for (const value of Object.values(module))
        if (
          value &&
          typeof value === 'object' &&
          typeof (value as { service?: unknown }).service === 'string'
        )
          tokens.push(value as PortToken<never>);
    }
    expect(tokens).toHaveLength(files.length);
    for (const token of tokens) {
      const adapter = await portRegistry.adapterFor(token);
      expect(typeof adapter.create, token.service).toBe('function');
    }
  });

  it('keeps adapters inside src/aws: everything else imports port modules only', async () => {
    const offenders: string[] = [];
    for (const root of ['src', 'tasks', 'screens']) {
      for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
        const path = `${entry.parentPath}/${entry.name}`;
        if (!entry.isFile() || !/\.tsx?$/.test(entry.name) || path.startsWith('src/aws/')) continue;
        if (/from '[^']*-adapter\.ts'|import\('[^']*-adapter\.ts'\)/.test(await readFile(path, 'utf8')))
          offenders.push(path);
      }
    }
    expect(offenders).toEqual([]);
  });
});
