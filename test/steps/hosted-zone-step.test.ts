import {
  CreateHostedZoneCommand,
  ListHostedZonesByNameCommand,
  ListResourceRecordSetsCommand,
  ListTagsForResourceCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { route53Port } from '../../src/aws/route53-port.ts';
import { StackguideError } from '../../src/errors.ts';
import type { Prompter } from '../../src/install/prompter.ts';
import { hostedZoneStep } from '../../src/steps/hosted-zone/hosted-zone-step.ts';
import type { CheckResult } from '../../src/steps/step.ts';
import { type KnotServer, startKnotServer } from '../support/knot-server.ts';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { progressOf, type StepContextOptions, stepContext } from '../support/step-context.ts';

/**
 * The hostedZone step against moto (Route53) and real knotd servers:
 *   parent  127.0.0.1, 127.0.0.8   example.test, the "registrar" zone each test rewrites; also the
 *                                  resolver the step asks what public DNS answers
 *   child   127.0.0.2              codeocean.example.test with moto's four name servers, so those
 *                                  names (pinned to it) answer with authority, as Route53's would
 */
const domain = 'codeocean.example.test';
/** moto gives every hosted zone this delegation set. */
const motoNameServers = [
  'ns-2048.awsdns-64.com',
  'ns-2049.awsdns-65.net',
  'ns-2050.awsdns-66.org',
  'ns-2051.awsdns-67.co.uk',
];
const nsLines = motoNameServers.map((name) => `${domain}. 300 IN NS ${name}.`);
const parentApex = '@ NS ns1\nns1 A 127.0.0.1';

let moto: MotoServer;
let parent: KnotServer;
let child: KnotServer;
let route53: Route53Client;

function env(): Record<string, string> {
  return {
    STACKGUIDE_DNS_SERVERS: `127.0.0.1:${parent.port},127.0.0.8:${parent.port}`,
    STACKGUIDE_DNS_RESOLVERS: `resolver=127.0.0.1:${parent.port}`,
    STACKGUIDE_DNS_NS_ADDRESSES: motoNameServers.map((name) => `${name}=127.0.0.2:${child.port}`).join(','),
  };
}

function context(options: Partial<StepContextOptions> = {}) {
  return stepContext({ endpoint: moto.endpoint, stepId: 'zone', env: env(), ...options });
}

type Config = Parameters<typeof hostedZoneStep.check>[1];

function config(raw: Record<string, unknown> = {}): Config {
  return hostedZoneStep.configSchema.parse({
    subdomain: 'codeocean',
    parentDomain: 'example.test',
    ...raw,
  }) as Config;
}

async function zonesNamed(name: string) {
  const response = await route53.send(new ListHostedZonesByNameCommand({ DNSName: name }));
  return (response.HostedZones ?? []).filter((zone) => zone.Name === `${name}.`);
}

async function createZone(name: string, reference: string): Promise<string> {
  const response = await route53.send(
    new CreateHostedZoneCommand({ Name: name, CallerReference: reference }),
  );
  return (response.HostedZone?.Id ?? '').replace('/hostedzone/', '');
}

function byId(results: CheckResult[]): Map<string, CheckResult> {
  return new Map(results.map((result) => [result.id, result]));
}

beforeAll(async () => {
  [moto, parent, child] = await Promise.all([
    startMotoServer(),
    startKnotServer({
      zones: [{ origin: 'example.test', records: parentApex }],
      addresses: ['127.0.0.1', '127.0.0.8'],
    }),
    startKnotServer({
      zones: [{ origin: domain, records: motoNameServers.map((name) => `@ NS ${name}.`).join('\n') }],
      addresses: ['127.0.0.2'],
    }),
  ]);
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  route53 = new Route53Client({ endpoint: moto.endpoint, region: 'us-east-1', maxAttempts: 1 });
});

afterAll(async () => {
  route53?.destroy();
  await Promise.all([moto?.stop(), parent?.stop(), child?.stop()]);
});

beforeEach(async () => {
  await moto.reset();
  await parent.setZone('example.test', parentApex);
});

describe('hostedZone step: the zone', () => {
  it('creates one public zone, tagged for the deployment, and reuses it on the next run', async () => {
    const ctx = context();
    const cfg = config({ waitForDelegation: 0 });
    const inputs = await hostedZoneStep.ask?.(ctx, cfg, undefined);
    expect(inputs).toEqual({});
    const outputs = await hostedZoneStep.apply?.(ctx, cfg, inputs ?? {});

    const zones = await zonesNamed(domain);
    expect(zones).toHaveLength(1);
    const zoneId = (zones[0]?.Id ?? '').replace('/hostedzone/', '');
    expect(zones[0]?.Config?.PrivateZone).toBe(false);
    expect(zones[0]?.CallerReference).toBe(`stackguide/test/${domain}`);
    const tags = await route53.send(
      new ListTagsForResourceCommand({ ResourceType: 'hostedzone', ResourceId: zoneId }),
    );
    expect(tags.ResourceTagSet?.Tags).toEqual([{ Key: 'stackguide:deployment', Value: 'test' }]);
    expect(outputs).toEqual({
      hostedZoneId: zoneId,
      domain,
      parentDomain: 'example.test',
      nameServers: motoNameServers.join(','),
    });

    // Said by a typed event, as soon as the zone exists: a stop during the delegation wait names it.
    expect(ctx.events.filter((event) => event.type === 'step.resource-created')).toEqual([
      {
        type: 'step.resource-created',
        step: 'zone',
        resource: { kind: 'hostedZone', id: zoneId, name: domain },
      },
    ]);

    const rerun = context();
    const again = await hostedZoneStep.apply?.(rerun, cfg, {});
    expect(again?.hostedZoneId).toBe(zoneId);
    expect(rerun.events.some((event) => event.type === 'step.resource-created')).toBe(false);
    expect(await zonesNamed(domain)).toHaveLength(1);
  });

  it('warns before creating a zone that would shadow records public DNS answers today', async () => {
    await parent.setZone('example.test', `${parentApex}\ncodeocean A 192.0.2.10`);
    const ctx = context();
    const cfg = config({ waitForDelegation: 0 });
    const shadow = byId(await hostedZoneStep.check(ctx, cfg, {})).get('zone.shadow');
    expect(shadow?.status).toBe('warn');
    expect(shadow?.summary).toContain(`${domain}. 300 IN A 192.0.2.10`);

    await hostedZoneStep.apply?.(ctx, cfg, {});
    const warning = ctx.events.findIndex(
      (event) => event.type === 'warning' && event.code === 'hosted-zone.shadows-records',
    );
    const creating = ctx.events.findIndex(
      (event) =>
        event.type === 'step.progress' && event.message.startsWith('Creating the public hosted zone'),
    );
    expect(warning).toBeGreaterThanOrEqual(0);
    expect(warning).toBeLessThan(creating);
  });

  it('says nothing would be shadowed when the name does not exist', async () => {
    const shadow = byId(await hostedZoneStep.check(context(), config(), {})).get('zone.shadow');
    expect(shadow?.status).toBe('pass');
    expect(byId(await hostedZoneStep.check(context(), config(), {})).get('zone.zone')?.status).toBe('warn');
  });

  it('does not count the delegating NS records as something the new zone would hide', async () => {
    // Asked of the zone that already answers for the name with its four NS records and nothing else,
    // as a resolver sees a name delegated ahead of the install.
    const resolver = { ...env(), STACKGUIDE_DNS_RESOLVERS: `resolver=127.0.0.2:${child.port}` };
    const shadow = byId(await hostedZoneStep.check(context({ env: resolver }), config(), {})).get(
      'zone.shadow',
    );
    expect(shadow).toMatchObject({
      status: 'pass',
      title: `${domain} is unused in public DNS`,
      summary: `public DNS has no records for ${domain}: the new zone hides nothing`,
    });
  });

  it('offers the zones of that name in the account and reuses the one picked, untouched', async () => {
    const foreign = await createZone(domain, 'made-by-hand');
    const asked: string[][] = [];
    const prompter = fakePrompter({
      select: (choices) => {
        asked.push(choices);
        return foreign;
      },
    });
    const ctx = context({ prompter });
    const cfg = config({ waitForDelegation: 0 });
    const inputs = (await hostedZoneStep.ask?.(ctx, cfg, undefined)) ?? {};
    expect(asked).toEqual([[foreign, 'own']]);
    expect(inputs).toEqual({ zoneId: foreign });
    expect(hostedZoneStep.saveable?.(inputs)).toEqual({ zoneId: foreign });

    const outputs = await hostedZoneStep.apply?.(ctx, cfg, inputs);
    expect(outputs?.hostedZoneId).toBe(foreign);
    expect(await zonesNamed(domain)).toHaveLength(1);
    const tags = await route53.send(
      new ListTagsForResourceCommand({ ResourceType: 'hostedzone', ResourceId: foreign }),
    );
    expect(tags.ResourceTagSet?.Tags ?? []).toEqual([]);
  });

  it('refuses a saved zone id that does not exist, in check and in apply', async () => {
    const ctx = context();
    const inputs = (await hostedZoneStep.ask?.(ctx, config(), { zoneId: 'ZNOTTHERE' })) ?? {};
    expect(inputs).toEqual({ zoneId: 'ZNOTTHERE' });
    const zone = byId(await hostedZoneStep.check(ctx, config(), inputs)).get('zone.zone');
    expect(zone).toMatchObject({ status: 'fail', required: true });
    await expect(hostedZoneStep.apply?.(ctx, config(), inputs)).rejects.toMatchObject({
      code: 'step.hosted-zone.not-found',
    });
    expect(await zonesNamed(domain)).toHaveLength(0);
  });
});

describe('hostedZone step: delegation from a Route53 parent', () => {
  it('shows the change, then UPSERTs the NS records into the parent zone', async () => {
    const parentId = await createZone('example.test', 'parent');
    const ctx = context();
    const outputs = await hostedZoneStep.apply?.(ctx, config(), {});

    const sets = await route53.send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: parentId,
        StartRecordName: domain,
        StartRecordType: 'NS',
      }),
    );
    const delegation = (sets.ResourceRecordSets ?? []).filter(
      (set) => set.Name === `${domain}.` && set.Type === 'NS',
    );
    expect(delegation).toHaveLength(1);
    expect(delegation[0]?.TTL).toBe(300);
    expect(delegation[0]?.ResourceRecords?.map((record) => record.Value)).toEqual(
      motoNameServers.map((name) => `${name}.`),
    );
    expect(outputs?.nameServers).toBe(motoNameServers.join(','));

    const progress = progressOf(ctx.events);
    const shown = progress.findIndex((event) => event.facts.action === 'UPSERT');
    const done = progress.findIndex((event) => event.message.startsWith('Delegated'));
    expect(shown).toBeGreaterThanOrEqual(0);
    expect(shown).toBeLessThan(done);
    expect(progress[shown]?.message).toContain(
      `Adding the NS records for ${domain} in the Route53 zone example.test`,
    );
    expect(progress[shown]?.facts.parentZoneId).toBe(parentId);
    // Shown before it is made: the event comes before the call that writes the records.
    const shownAt = ctx.timeline.findIndex((entry) =>
      entry.startsWith('event:step.progress Adding the NS records'),
    );
    const writtenAt = ctx.timeline.indexOf('call:Route53.upsertRecordSets');
    expect(shownAt).toBeGreaterThanOrEqual(0);
    expect(writtenAt).toBeGreaterThan(shownAt);

    // Idempotent: the next run sees the records in place and writes nothing.
    const rerun = context();
    await hostedZoneStep.apply?.(rerun, config(), {});
    expect(progressOf(rerun.events).some((event) => event.facts.action === 'UPSERT')).toBe(false);
    const parentCheck = byId(await hostedZoneStep.check(rerun, config(), {})).get('zone.parent');
    expect(parentCheck?.facts?.listsHostedZone).toBe(true);
  });

  it('plans the zone and the delegation it will write, and nothing once both are in place', async () => {
    const parentId = await createZone('example.test', 'parent');
    expect(await hostedZoneStep.plan?.(context(), config(), {})).toEqual([
      {
        step: 'zone',
        action: 'create',
        resource: `hosted zone ${domain}`,
        detail: 'public, tagged stackguide:deployment=test',
      },
      {
        step: 'zone',
        action: 'update',
        resource: `NS records for ${domain} in the Route53 zone example.test (${parentId})`,
        detail: "UPSERT the new zone's four name servers",
      },
    ]);
    await hostedZoneStep.apply?.(context(), config(), {});
    expect(await hostedZoneStep.plan?.(context(), config(), {})).toEqual([]);
  });

  it('replaces an old NS set in the parent zone', async () => {
    const parentId = await createZone('example.test', 'parent');
    await context()
      .aws.use(route53Port)
      .upsertRecordSets(
        parentId,
        [{ name: domain, type: 'NS', ttl: 60, values: ['ns-old.example.net.'] }],
        'old',
      );
    const ctx = context();
    await hostedZoneStep.apply?.(ctx, config(), {});
    const upsert = progressOf(ctx.events).find((event) => event.facts.action === 'UPSERT');
    expect(upsert?.message).toContain('Replacing the NS records');
    expect(upsert?.facts.previous).toEqual(['ns-old.example.net']);
    const held = await context().aws.use(route53Port).listRecordSets(parentId, domain, 'NS');
    expect(held).toEqual([
      { name: domain, type: 'NS', ttl: 300, values: motoNameServers.map((name) => `${name}.`) },
    ]);
  });

  it('refuses delegation: route53 when the parent is not in the account, before creating anything', async () => {
    await expect(
      hostedZoneStep.apply?.(context(), config({ delegation: 'route53' }), {}),
    ).rejects.toMatchObject({
      code: 'step.hosted-zone.no-parent-zone',
    });
    const check = byId(await hostedZoneStep.check(context(), config({ delegation: 'route53' }), {}));
    expect(check.get('zone.parent')).toMatchObject({ status: 'fail', required: true });
  });
});

describe('hostedZone step: delegation at a registrar', () => {
  it('shows the exact NS records, then notices them once they are added to the parent zone', async () => {
    const ctx = context();
    let added = false;
    ctx.clock.onSleep = async () => {
      if (added) return;
      added = true;
      // The operator adds the records the step showed.
      await parent.setZone(
        'example.test',
        [parentApex, ...motoNameServers.map((name) => `codeocean 300 NS ${name}.`)].join('\n'),
      );
    };
    const outputs = await hostedZoneStep.apply?.(ctx, config({ waitForDelegation: 600 }), {});
    expect(outputs?.domain).toBe(domain);
    expect(added).toBe(true);

    const progress = progressOf(ctx.events);
    const shown = progress.find((event) => Array.isArray(event.facts.records));
    expect(shown?.facts.records).toEqual(nsLines);
    expect(shown?.message).toContain(nsLines.join('\n'));
    expect(shown?.facts.delegation).toMatchObject({ status: 'missing' });
    const last = progress.at(-1);
    expect(last?.message).toMatch(/^Delegated: /);
    expect(last?.facts.delegation).toMatchObject({ status: 'delegated' });
  });

  it('plans a manual change at the registrar', async () => {
    await hostedZoneStep.apply?.(context(), config({ waitForDelegation: 0 }), {});
    expect(await hostedZoneStep.plan?.(context(), config(), {})).toEqual([
      {
        step: 'zone',
        action: 'manual',
        resource: `NS records for ${domain} at the registrar or DNS provider of example.test`,
        detail: `add ${motoNameServers.join(', ')}; install shows the exact records and waits for them`,
      },
    ]);
  });

  it('gives up after the configured wait with the records to add as next steps', async () => {
    const ctx = context();
    const start = ctx.clock.now();
    const error = await hostedZoneStep
      .apply?.(ctx, config({ waitForDelegation: 60 }), {})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StackguideError);
    expect(error).toMatchObject({ code: 'step.hosted-zone.not-delegated', kind: 'user' });
    expect((error as StackguideError).nextSteps).toEqual(expect.arrayContaining(nsLines));
    expect(ctx.clock.now() - start).toBeGreaterThanOrEqual(60_000);
  });

  it('checks the delegation per parent server and per resolver, and names the missing records', async () => {
    await hostedZoneStep.apply?.(context(), config({ waitForDelegation: 0 }), {});
    await parent.setZone(
      'example.test',
      [parentApex, ...motoNameServers.slice(0, 2).map((name) => `codeocean 300 NS ${name}.`)].join('\n'),
    );
    const partial = byId(await hostedZoneStep.check(context(), config(), {}));
    expect(partial.get('zone.delegation')).toMatchObject({ status: 'warn', required: false });
    expect(partial.get('zone.delegation')?.facts?.status).toBe('partial');
    expect(partial.get('zone.delegation')?.fix).toContain(`add: ${nsLines[2]}`);
    expect(partial.get('zone.delegation')?.fix).toContain(`add: ${nsLines[3]}`);
    // Both parent servers say the same: one result for the two, said once with the count.
    const group = partial.get(`zone.delegation.parent.127.0.0.1:${parent.port}`);
    expect(group?.status).toBe('warn');
    expect(group?.title).toBe('Delegation at 2 servers of example.test');
    expect(group?.summary).toMatch(
      /^127.0.0.1:\d+, 127.0.0.8:\d+: each delegates codeocean.example.test to only 2 of/,
    );
    expect(partial.has(`zone.delegation.parent.127.0.0.8:${parent.port}`)).toBe(false);
    expect(partial.has('zone.delegation.resolver.resolver')).toBe(true);

    await parent.setZone(
      'example.test',
      [parentApex, ...motoNameServers.map((name) => `codeocean 300 NS ${name}.`)].join('\n'),
    );
    const full = byId(await hostedZoneStep.check(context(), config(), {}));
    expect(full.get('zone.zone')?.status).toBe('pass');
    expect(full.get('zone.delegation')?.status).toBe('pass');
    expect(full.get(`zone.delegation.parent.127.0.0.1:${parent.port}`)?.status).toBe('pass');
  });
});

describe('route53 adapter', () => {
  it('reads zones by exact name, with their delegation set, and record sets by name and type', async () => {
    const port = context().aws.use(route53Port);
    await createZone('example.test', 'a');
    const made = await port.createHostedZone({ name: domain, callerReference: 'x', comment: 'by the test' });
    expect(made.nameServers).toEqual(motoNameServers);
    expect((await port.listHostedZonesByName(domain)).map((zone) => zone.id)).toEqual([made.id]);
    expect(await port.getHostedZone('ZDOESNOTEXIST')).toBeUndefined();
    await port.upsertRecordSets(
      made.id,
      [
        { name: `www.${domain}`, type: 'A', ttl: 60, values: ['192.0.2.1'] },
        { name: `www.${domain}`, type: 'TXT', ttl: 60, values: ['"hello"'] },
        { name: `*.${domain}`, type: 'A', ttl: 60, values: ['192.0.2.2'] },
      ],
      'test',
    );
    expect(await port.listRecordSets(made.id, `www.${domain}`, 'A')).toEqual([
      { name: `www.${domain}`, type: 'A', ttl: 60, values: ['192.0.2.1'] },
    ]);
    expect((await port.listRecordSets(made.id, `www.${domain}`)).map((set) => set.type)).toEqual([
      'A',
      'TXT',
    ]);
    expect((await port.listRecordSets(made.id, `*.${domain}`, 'A')).map((set) => set.values)).toEqual([
      ['192.0.2.2'],
    ]);
    await port.addTagsToHostedZone(made.id, { a: 'b' });
    expect(await port.listTagsForHostedZone(made.id)).toEqual({ a: 'b' });
  });
});

function fakePrompter(answers: { select: (choices: string[]) => string }): Prompter {
  return {
    confirm: async () => true,
    select: async <T extends string>(question: { choices: ReadonlyArray<{ value: T }> }) =>
      answers.select(question.choices.map((choice) => choice.value)) as T,
    input: async () => '',
    section: () => {},
    password: async () => '',
  };
}
