import { describe, expect, it } from 'vitest';
import { hostedZoneConfig } from '../../src/steps/hosted-zone/hosted-zone-config.ts';
import { parentResult, shadowResult, zoneResult } from '../../src/steps/hosted-zone/hosted-zone-wording.ts';
import type { StepContext } from '../../src/steps/step.ts';

// The wording needs only who runs the step: no Route53 or DNS is asked.
const context = { stepId: 'zone', deployment: 'alpha' } as StepContext;
const config = (raw: Record<string, unknown> = {}) =>
  hostedZoneConfig.configSchema.parse({ subdomain: 'lab', parentDomain: 'example.com', ...raw });
const zone = {
  id: 'Z1',
  name: 'lab.example.com',
  nameServers: ['ns-1.awsdns-01.org', 'ns-2.awsdns-02.net'],
  privateZone: false,
  recordCount: 2,
  callerReference: 'ref',
  comment: null,
};

describe('hosted zone wording, apart from Route53 and DNS', () => {
  it('words the zone: a missing pick fails, none yet warns, the own zone passes', () => {
    expect(
      zoneResult(context, 'lab.example.com', { zoneId: 'Z9' }, { zone: undefined, own: false }),
    ).toMatchObject({
      status: 'fail',
      summary: 'the zone Z9 picked for lab.example.com does not exist',
      fix: expect.stringContaining('remove steps.zone.zoneId'),
    });
    expect(zoneResult(context, 'lab.example.com', {}, { zone: undefined, own: false })).toMatchObject({
      status: 'warn',
      summary: 'does not exist yet: stackguide install creates it',
      plannedByInstall: true,
    });
    expect(zoneResult(context, 'lab.example.com', {}, { zone, own: true })).toMatchObject({
      status: 'pass',
      summary: 'Z1, created by stackguide for alpha, name servers ns-1.awsdns-01.org, ns-2.awsdns-02.net',
    });
  });

  it('words the parent: a registrar parent passes unless the blueprint needs Route53', () => {
    const elsewhere = { kind: 'elsewhere' } as const;
    expect(parentResult(context, config(), 'lab.example.com', 'example.com', elsewhere, null)).toMatchObject({
      status: 'pass',
      summary:
        'not a Route53 zone in this account: the NS records for lab.example.com are added at the registrar or DNS provider',
    });
    expect(
      parentResult(
        context,
        config({ delegation: 'route53' }),
        'lab.example.com',
        'example.com',
        elsewhere,
        null,
      ),
    ).toMatchObject({ status: 'fail', required: true, fix: expect.stringContaining('delegation: manual') });
  });

  it('says what a new zone would shadow in public DNS, or that nothing could be asked', () => {
    const record = { name: 'lab.example.com', type: 'A', ttl: 300, data: '192.0.2.10' };
    expect(
      shadowResult(context, 'lab.example.com', { records: [record as never], problems: [], answered: true }),
    ).toMatchObject({
      status: 'warn',
      summary: expect.stringContaining('lab.example.com. 300 IN A 192.0.2.10'),
    });
    expect(
      shadowResult(context, 'lab.example.com', { records: [], problems: ['A: timed out'], answered: false }),
    ).toMatchObject({
      status: 'warn',
      summary: 'could not ask public DNS about lab.example.com: A: timed out',
    });
  });
});
