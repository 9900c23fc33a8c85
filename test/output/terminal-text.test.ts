import { describe, expect, it } from 'vitest';
import { StackguideError } from '../../src/errors.ts';
import { plainLine } from '../../src/output/plain-printer.ts';
import { renderErrorText } from '../../src/output/render-error.ts';
import { terminalColumns, wrapToWidth } from '../../src/output/terminal-text.ts';

/** Plain text as a terminal of 80 columns shows it (trial finding 15: lines were cut mid-word there). */

const words = (text: string): string[] => text.split(/\s+/).filter((word) => word !== '');

describe('plain text wrapped to the terminal', () => {
  it('wraps an error by words at 80 columns, each continuation under the text it continues', () => {
    const error = new StackguideError('The region us-west-2 cannot run this blueprint', {
      code: 'region.unusable',
      kind: 'user',
      details: [
        {
          path: 'answers.instanceType',
          message:
            'm5.large is offered in 2 of 4 usable zones: us-west-2a, us-west-2b; not in us-west-2c, us-west-2d',
          fix: 'Pick a region where the type is offered in at least 2 zones, or another instance type with --set instanceType=...',
        },
      ],
      nextSteps: [
        'Run stackguide preflight again once the answers file names a region that offers the type.',
      ],
    });
    const text = renderErrorText(error);
    const lines = wrapToWidth(text, 80).split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(words(lines.join(' '))).toEqual(words(text));
    expect(lines).toEqual([
      '✖ The region us-west-2 cannot run this blueprint',
      '  • answers.instanceType: m5.large is offered in 2 of 4 usable zones:',
      '    us-west-2a, us-west-2b; not in us-west-2c, us-west-2d',
      '      fix: Pick a region where the type is offered in at least 2 zones, or',
      '           another instance type with --set instanceType=...',
      '',
      'Next:',
      '  → Run stackguide preflight again once the answers file names a region that',
      '    offers the type.',
    ]);
  });

  it("wraps a preflight line under its check's title, after the elapsed time and the mark", () => {
    const line = plainLine(
      {
        type: 'check.result',
        result: {
          id: 'region.type.m5.large',
          step: 'region',
          title: 'EC2 instance type m5.large',
          status: 'pass',
          summary:
            'offered in 5 of 6 usable zones: us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1f; not in us-east-1e',
          required: true,
        },
      },
      12_000,
    );
    expect(wrapToWidth(line ?? '', 80).split('\n')).toEqual([
      '[    12s] ✔ EC2 instance type m5.large: offered in 5 of 6 usable zones:',
      '            us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1f; not in',
      '            us-east-1e',
    ]);
  });

  it('leaves text whole for a pipe, and a word longer than a line whole on a line of its own', () => {
    const long = `✖ Cannot read ${'/very/long/path'.repeat(8)}/template.yaml: no such file`;
    expect(wrapToWidth(long, undefined)).toBe(long);
    expect(wrapToWidth(long, 80).split('\n')).toEqual([
      '✖ Cannot read',
      `  ${'/very/long/path'.repeat(8)}/template.yaml:`,
      '  no such file',
    ]);
  });

  it('moves a value too long for its indent (an ARN) left until it fits, so the terminal never cuts it', () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:dockerhub/creds-LurlxD';
    const line = `[     2s] ✔ Docker Hub credentials in the secret dockerhub/creds: exists (${arn})`;
    const lines = wrapToWidth(line, 80).split('\n');
    expect(lines).toEqual([
      '[     2s] ✔ Docker Hub credentials in the secret dockerhub/creds: exists',
      `${' '.repeat(80 - arn.length - 2)}(${arn})`,
    ]);
  });

  it('takes an ARN too long for the indent out of its sentence, which reads on under its item (trial finding 70)', () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:dockerhub/creds-ZjXSeh';
    const line = `[     0s] ✔ Docker Hub credentials in the secret dockerhub/creds: exists (${arn}); kept as it is`;
    // It was '  (arn:…);' at column 2, then 'kept as it is' back at column 12.
    expect(wrapToWidth(line, 80).split('\n')).toEqual([
      '[     0s] ✔ Docker Hub credentials in the secret dockerhub/creds: exists; kept',
      '            as it is',
      // As far in as it fits whole.
      `${' '.repeat(80 - arn.length)}${arn}`,
    ]);
    // Where it fits under the text, or into a pipe, the sentence keeps it.
    expect(wrapToWidth(line, 120).split('\n')[1]).toBe(`            (${arn}); kept as it is`);
    expect(wrapToWidth(line, undefined)).toBe(line);
  });

  it('puts a command a line ends with on lines of its own, cut before options with a trailing \\ (trial finding 52)', () => {
    const command =
      'stackguide install --blueprint /work/wt/trial/blueprints/opensarlab --config answers.yaml --force-unlock 23c2111c-eb49-4e5a-9e7b-fc7280527a56';
    const line = `  → If that run is gone for good (killed, its machine lost), break the lock: ${command}`;
    const lines = wrapToWidth(line, 80).split('\n');
    for (const each of lines) expect(each.length, each).toBeLessThanOrEqual(80);
    expect(lines.slice(0, 2)).toEqual([
      '  → If that run is gone for good (killed, its machine lost), break the lock:',
      '    stackguide install --blueprint /work/wt/trial/blueprints/opensarlab \\',
    ]);
    // Pasted into bash, the continued lines run as the one command.
    const pasted = lines
      .slice(1)
      .map((each) => each.trim())
      .join(' ')
      .replaceAll(' \\ ', ' ');
    expect(pasted).toBe(command);
    // A sentence that names a command is prose, and wraps by words.
    const sentence =
      '  → Run stackguide preflight again once the answers file names a region that offers the type.';
    expect(wrapToWidth(sentence, 80).split('\n')[1]).toBe('    offers the type.');
  });

  it('wraps only on a terminal: its columns, 80 when it does not say, none for a pipe', () => {
    expect(terminalColumns({ isTTY: true, columns: 120 })).toBe(120);
    expect(terminalColumns({ isTTY: true })).toBe(80);
    expect(terminalColumns({ isTTY: false, columns: 120 })).toBeUndefined();
    expect(terminalColumns({})).toBeUndefined();
  });
});

describe('the leftovers line names what destroy kept on purpose (trial finding 56)', () => {
  const secret = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:dockerhub/creds-rsKChc';
  const why = 'made by the dockerhub step (registrySecret); kept, delete it yourself when nothing uses it';

  it('names each kept resource with why, and counts many kept for one reason', () => {
    const cognito = 'part of geo-class-cognito, kept by the blueprint';
    const line = plainLine(
      {
        type: 'destroy.leftovers',
        unexpected: [],
        expected: [
          { arn: secret, reason: why },
          { arn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_a', reason: cognito },
          { arn: 'arn:aws:logs:us-east-1:123456789012:log-group:geo-class', reason: cognito },
        ],
        unchecked: [],
      },
      18_000,
    );
    expect(line).toBe(
      [
        '[    18s] leftovers: none unexpected',
        '           kept on purpose:',
        `           ${why}: ${secret}`,
        `           ${cognito}: 2 resources`,
      ].join('\n'),
    );
    // At 80 columns each continues under its own text, the ARN whole.
    expect(
      wrapToWidth(line ?? '', 80)
        .split('\n')
        .slice(2),
    ).toEqual([
      '           made by the dockerhub step (registrySecret); kept, delete it yourself',
      '           when nothing uses it:',
      `     ${secret}`,
      '           part of geo-class-cognito, kept by the blueprint: 2 resources',
    ]);
  });

  it('says nothing of keeping when nothing was kept, and lists the unexpected first', () => {
    const empty = { type: 'destroy.leftovers' as const, unexpected: [], expected: [], unchecked: [] };
    expect(plainLine(empty, 1000)).toBe('[     1s] leftovers: none unexpected');
    expect(
      plainLine(
        {
          ...empty,
          unexpected: [{ arn: 'arn:aws:s3:::left', reason: 'still tagged' }],
          expected: [{ arn: secret, reason: why }],
        },
        1000,
      ),
    ).toBe(
      [
        '[     1s] leftovers: 1 unexpected',
        '           arn:aws:s3:::left: still tagged',
        '           kept on purpose:',
        `           ${why}: ${secret}`,
      ].join('\n'),
    );
  });
});
