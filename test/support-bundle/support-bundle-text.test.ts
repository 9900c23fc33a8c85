import { describe, expect, it } from 'vitest';
import { supportBundleText } from '../../src/output/support-bundle-text.ts';

// The report support-bundle prints: where, whether AWS was reached, what was redacted by kind and count.

const event = {
  type: 'support.bundle' as const,
  path: 'out.tar.gz',
  bytes: 3072,
  files: ['answers.yaml', 'manifest.json'],
  aws: { reached: true },
  redactions: [
    { kind: 'secret answer', count: 2 },
    { kind: 'access key id', count: 1 },
  ],
  notes: [],
};

describe('supportBundleText', () => {
  it('says the size in KiB, AWS reached, and each kind with its count', () => {
    expect(supportBundleText(event, 'lab', 'us-east-1')).toBe(
      [
        'Support bundle of lab (us-east-1) written to out.tar.gz (3.0 KiB, mode 0600)',
        'AWS: reached; the stacks and their recent events are in',
        'Redacted before writing (3): secret answer ×2, access key id ×1',
        'Files: answers.yaml, manifest.json',
        '',
      ].join('\n'),
    );
  });

  it('says when nothing was redacted, AWS was not reached, and every note', () => {
    const text = supportBundleText(
      { ...event, bytes: 900, aws: { reached: false }, redactions: [], notes: ['No journal at x.'] },
      'lab',
      undefined,
    );
    expect(text).toContain('Support bundle of lab written to out.tar.gz (900 B, mode 0600)');
    expect(text).toContain('AWS: not reached (no reason given); the local parts are in');
    expect(text).toContain('Redacted: nothing matched a secret');
    expect(text).toContain('Note: No journal at x.');
  });

  it('at 80 columns: wrapped by words, a line continuing two in, a file name never cut (trial finding 70)', () => {
    const files = [
      'answers.yaml',
      'journal.json',
      'events.ndjson',
      'aws/stacks.json',
      'aws/stack-events.json',
      'aws/identity.json',
      'environment.json',
      'manifest.json',
    ];
    const text = supportBundleText(
      { ...event, path: 'geo-support.tar.gz', bytes: 8499, files },
      'geo',
      'us-east-1',
      80,
    );
    const lines = text.trimEnd().split('\n');
    expect(lines.filter((line) => line.length > 80)).toEqual([]);
    expect(lines.slice(0, 2)).toEqual([
      'Support bundle of geo (us-east-1) written to geo-support.tar.gz (8.3 KiB, mode',
      '  0600)',
    ]);
    expect(lines.slice(-2)).toEqual([
      'Files: answers.yaml, journal.json, events.ndjson, aws/stacks.json,',
      '  aws/stack-events.json, aws/identity.json, environment.json, manifest.json',
    ]);
    // Into a pipe, whole lines.
    expect(supportBundleText({ ...event, files }, 'geo', 'us-east-1')).toContain(
      `Files: ${files.join(', ')}\n`,
    );
  });
});
