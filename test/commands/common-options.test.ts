import { describe, expect, it } from 'vitest';
import { connectionFlags, deploymentTarget, parseSets, setPaths } from '../../src/commands/common-options.ts';

describe('deploymentTarget', () => {
  it('takes the blueprint, answers file, name and regions from the flags, an empty one as not given', () => {
    expect(
      deploymentTarget({
        blueprint: 'blueprints/demo',
        config: 'demo.answers.yaml',
        name: 'lab',
        region: 'eu-west-1',
        awsRegion: { value: 'us-east-2', source: 'AWS_REGION' },
      }),
    ).toEqual({
      blueprintPath: 'blueprints/demo',
      configPath: 'demo.answers.yaml',
      deployment: 'lab',
      region: 'eu-west-1',
      defaultRegion: { value: 'us-east-2', source: 'AWS_REGION' },
    });
    expect(deploymentTarget({ config: '', name: '', region: '' })).toEqual({ blueprintPath: '.' });
  });
});

describe('connectionFlags', () => {
  it('repeats what reconnects to the same account, state and waits, leaving defaults out', () => {
    expect(
      connectionFlags({
        region: 'eu-west-1',
        profile: 'ops',
        endpointUrl: 'http://127.0.0.1:5000',
        dnsServer: ['127.0.0.1:5353'],
        output: 'json',
        stateDir: 'state',
        timeout: '600',
      }),
    ).toEqual([
      '--region eu-west-1',
      '--profile ops',
      '--endpoint-url http://127.0.0.1:5000',
      '--dns-server 127.0.0.1:5353',
      '--output json',
      '--state-dir state',
      '--timeout 600',
    ]);
    expect(connectionFlags({ stateDir: '.stackguide', output: 'text' })).toEqual([]);
  });
});

describe('parseSets', () => {
  it('splits at the first =, and refuses a pair without one (exit 2)', () => {
    expect(parseSets(['url=https://x.test/?a=b', 'empty='])).toEqual({
      url: 'https://x.test/?a=b',
      empty: '',
    });
    expect(() => parseSets(['=value'])).toThrow(expect.objectContaining({ code: 'usage.set', exitCode: 2 }));
  });
});

describe('setPaths', () => {
  it('names an answer given as an argument as one, never with its value; a --set of the same id wins', () => {
    expect(
      setPaths({
        answerArguments: ['environment=qa', 'adminEmail=ops@example.org'],
        set: ['environment=qa', 'adminEmail=ops@example.org', 'adminEmail=desk@example.org'],
      }),
    ).toEqual({ environment: 'argument environment=…' });
    expect(setPaths({ set: ['environment=qa'] })).toEqual({});
  });
});
