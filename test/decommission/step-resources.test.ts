import { describe, expect, it } from 'vitest';
import type { AcmPort } from '../../src/aws/acm-port.ts';
import { findTaggedCertificates } from '../../src/decommission/step-resources.ts';

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
