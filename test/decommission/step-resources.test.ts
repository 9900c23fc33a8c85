import { describe, expect, it } from 'vitest';
import type { AcmPort } from '../../src/aws/acm-port.ts';
import type { Route53Port } from '../../src/aws/route53-port.ts';
import { type DestroySurvey, destroyPlanDetails } from '../../src/decommission/destroy-survey.ts';
import {
  deleteStepResources,
  findTaggedCertificates,
  findTaggedHostedZones,
} from '../../src/decommission/step-resources.ts';
import { deletePreparationResources } from '../../src/decommission/teardown.ts';
import type { StackguideEvent } from '../../src/events.ts';

/** ACM in memory: certificates by ARN with their tags. */
function acmWith(tags: Record<string, Record<string, string>>): AcmPort {
  return {
    listCertificates: async () =>
      Object.keys(tags).map((arn) => ({
        arn,
        domainName: 'lab.example.test',
        status: 'ISSUED',
        type: 'IMPORTED',
      })),
    listTagsForCertificate: async (arn: string) => tags[arn] ?? {},
  } as unknown as AcmPort;
}

describe('findTaggedCertificates', () => {
  it("finds the deployment's certificates the journal does not name, and nothing else", async () => {
    const acm = acmWith({
      'arn:journaled': { 'stackguide:deployment': 'lab', 'stackguide:step': 'cert' },
      'arn:killed-mid-import': { 'stackguide:deployment': 'lab', 'stackguide:step': 'cert' },
      'arn:no-step-tag': { 'stackguide:deployment': 'lab' },
      'arn:other-deployment': { 'stackguide:deployment': 'lab2', 'stackguide:step': 'cert' },
      'arn:untagged': {},
    });
    const found = await findTaggedCertificates(acm, 'lab', [
      { kind: 'certificate', step: 'cert', arn: 'arn:journaled' },
      { kind: 'hostedZone', step: 'zone', zoneId: 'Z1', domain: 'lab.example.test' },
    ]);
    expect(found).toEqual([
      { kind: 'certificate', step: 'cert', arn: 'arn:killed-mid-import' },
      { kind: 'certificate', step: 'certificate', arn: 'arn:no-step-tag' },
    ]);
  });
});

describe('findTaggedHostedZones', () => {
  it("finds the deployment's public zones the journal does not name, under the step whose parent they are in", async () => {
    const tags: Record<string, Record<string, string>> = {
      Z1: { 'stackguide:deployment': 'lab' },
      Z2: { 'stackguide:deployment': 'lab' },
      Z3: { 'stackguide:deployment': 'lab' },
      Z4: { 'stackguide:deployment': 'lab2' },
      Z5: {},
      Z6: {},
    };
    const route53 = {
      listHostedZones: async () => [
        { id: 'Z1', name: 'lab.example.test', privateZone: false },
        { id: 'Z2', name: 'web.other.test', privateZone: false },
        { id: 'Z3', name: 'journaled.example.test', privateZone: false },
        { id: 'Z4', name: 'lab2.example.test', privateZone: false },
        { id: 'Z5', name: 'untagged.example.test', privateZone: false, callerReference: 'by-hand' },
        // Created by lab's step, which was killed before it tagged the zone.
        {
          id: 'Z6',
          name: 'killed.example.test',
          privateZone: false,
          callerReference: 'stackguide/lab/killed.example.test',
        },
      ],
      listTagsForHostedZone: async (id: string) => tags[id] ?? {},
    } as unknown as Route53Port;
    const found = await findTaggedHostedZones(
      route53,
      'lab',
      [{ kind: 'hostedZone', step: 'zone', zoneId: 'Z3', domain: 'journaled.example.test' }],
      [{ step: 'zone', parentDomain: 'example.test' }, { step: 'web' }],
    );
    expect(found).toEqual([
      {
        kind: 'hostedZone',
        step: 'zone',
        zoneId: 'Z1',
        domain: 'lab.example.test',
        parentDomain: 'example.test',
      },
      {
        kind: 'hostedZone',
        step: 'zone',
        zoneId: 'Z2',
        domain: 'web.other.test',
        parentDomain: 'other.test',
      },
      {
        kind: 'hostedZone',
        step: 'zone',
        zoneId: 'Z6',
        domain: 'killed.example.test',
        parentDomain: 'example.test',
      },
    ]);
    expect(await findTaggedHostedZones(route53, 'lab2', [], [])).toEqual([
      {
        kind: 'hostedZone',
        step: 'hostedZone',
        zoneId: 'Z4',
        domain: 'lab2.example.test',
        parentDomain: 'example.test',
      },
    ]);
  });
});

const NAME_SERVERS = ['ns-2048.awsdns-64.com', 'ns-1.awsdns-01.org'];

/** Route53 in memory: the deployment's zone Z1, and optionally its parent P1 in this account delegating to it. */
function route53With(parentHere: boolean) {
  const deleted: string[] = [];
  const port = {
    getHostedZone: async (id: string) =>
      id === 'Z1' && !deleted.includes('Z1')
        ? { id, name: 'lab2.example.test', privateZone: false, nameServers: NAME_SERVERS }
        : undefined,
    listTagsForHostedZone: async () => ({ 'stackguide:deployment': 'lab' }),
    listAllRecordSets: async () => [],
    deleteRecordSets: async (zoneId: string, records: Array<{ name: string }>) => {
      for (const record of records) deleted.push(`${zoneId} ${record.name}`);
    },
    listHostedZonesByName: async () =>
      parentHere ? [{ id: 'P1', name: 'example.test', privateZone: false }] : [],
    listRecordSets: async () => [
      { name: 'lab2.example.test', type: 'NS', ttl: 300, values: NAME_SERVERS.map((ns) => `${ns}.`) },
    ],
    deleteHostedZone: async (id: string) => {
      deleted.push(id);
      return true;
    },
  } as unknown as Route53Port;
  return { port, deleted };
}

const zone = {
  kind: 'hostedZone' as const,
  step: 'zone',
  zoneId: 'Z1',
  domain: 'lab2.example.test',
  parentDomain: 'example.test',
};

describe('deleteStepResources and the delegation of a deleted zone', () => {
  it('removes the delegation from a parent zone of this account, and asks nothing more', async () => {
    const { port, deleted } = route53With(true);
    const [outcome] = await deleteStepResources([zone], 'lab', { route53: port, acm: {} as AcmPort });
    expect(outcome).toEqual({ resource: 'hosted zone lab2.example.test (Z1)', status: 'deleted' });
    expect(deleted).toEqual(['P1 lab2.example.test', 'Z1']);
  });

  it('names the NS records to remove by hand when the parent is not a Route53 zone of this account', async () => {
    const { port } = route53With(false);
    const events: StackguideEvent[] = [];
    await deletePreparationResources([zone], 'lab', { route53: port, acm: {} as AcmPort }, (event) =>
      events.push(event),
    );
    expect(events).toEqual([
      { type: 'step.progress', step: 'preparation', message: 'hosted zone lab2.example.test (Z1): deleted' },
      {
        type: 'warning',
        code: 'destroy.dangling-delegation',
        message:
          'Remove the NS records for lab2.example.test from example.test where you added them (your registrar or DNS provider): they point at name servers that no longer serve lab2.example.test, and whoever creates a zone for it on those servers would answer for it. The records: lab2.example.test. NS ns-2048.awsdns-64.com.; lab2.example.test. NS ns-1.awsdns-01.org.',
      },
    ]);
  });

  it('says so in the plan, before anything is deleted', () => {
    const details = destroyPlanDetails(
      { buckets: [], repositories: [], tagged: [], stepResources: [zone] } as unknown as DestroySurvey,
      { deleteCodeCommit: false },
    );
    expect(details.extraSections?.flat()).toEqual([
      'Made by the preparation steps, deleted after the stacks (each only if still tagged for this deployment):',
      '  - hosted zone lab2.example.test (Z1)',
      '    its delegation in example.test is removed too when example.test is a Route53 zone of this account; otherwise remove its NS records where you added them (destroy names them)',
    ]);
  });
});
