import { describe, expect, it } from 'vitest';
import { foldsStatus } from '../../src/commands/status-command.ts';
import type { StatusItem, StatusSection } from '../../src/events.ts';
import { statusText } from '../../src/output/status-text.ts';
import { statusWatchPrinter } from '../../src/output/status-watch.ts';
import type { DeploymentStatus } from '../../src/status/deployment-status.ts';
import { worst } from '../../src/status/status-sections.ts';

/**
 * `status` in a terminal is one screen (trial finding 29: opensarlab's healthy status was 50 lines at
 * 80x24): passing checks counted on their section's line, what needs action in full and first.
 * The items are opensarlab's, as its lab showed them.
 */

const now = new Date(2026, 11, 3, 18, 40);
const changed = new Date(2026, 11, 3, 18, 35).toISOString();
const pass = (id: string, title: string, summary: string): StatusItem => ({
  id,
  title,
  state: 'healthy',
  summary,
});
/** A manual step the operator confirmed: healthy on their word, nothing checked it (trial finding 100). */
const confirmed = (id: string, title: string, summary: string): StatusItem => ({
  ...pass(id, title, summary),
  confirmedByOperator: true,
});
const note = (id: string, title: string, summary: string, nextAction: string): StatusItem => ({
  id,
  title,
  state: 'healthy',
  advisory: true,
  summary,
  nextAction,
});
/** A check AWS refused to answer: could not be checked. */
const unknown: StatusItem = {
  id: 'cert.expiry',
  title: 'Certificate expiry',
  state: 'could-not-check',
  summary: 'ACM refused DescribeCertificate',
  nextAction: 'Allow acm:DescribeCertificate.',
};
const stack = (name: string, outputs: Record<string, string> = {}): StatusItem => ({
  id: `stack.${name}`,
  title: name,
  state: 'healthy',
  summary: `CREATE_COMPLETE, last changed ${changed}`,
  facts: { drift: 'NOT_CHECKED', outputs },
});

function opensarlab(
  overrides: Partial<Record<StatusSection['section'], StatusItem[]>> = {},
): DeploymentStatus {
  const items: Array<[StatusSection['section'], string, StatusItem[]]> = [
    [
      'stacks',
      'Stacks',
      overrides.stacks ?? [
        stack('geo-class-container'),
        stack('geo-class', {
          HubRepository: 'geo-class/hub',
          PipelineArtifactsBucket: 'codepipeline-us-east-1-geo-class',
        }),
        stack('geo-class-cluster-pipeline'),
      ],
    ],
    [
      'certificates',
      'Certificates',
      overrides.certificates ?? [
        pass(
          'cert.files',
          'Certificate files to import (certs/opensarlab.pem)',
          'the key matches, valid until 3 Mar 2027, for opensarlab.example.edu',
        ),
        pass(
          'cert.certificate',
          'Certificate for opensarlab.example.edu',
          'ISSUED (imported): arn:aws:acm:us-east-1:123456789012:certificate/8e474ba1-5a11-43e1-beb6-5f00ebd5a1ad',
        ),
        pass('cert.covers', 'Certificate covers opensarlab.example.edu', 'it is for opensarlab.example.edu'),
        pass('cert.expiry', 'Certificate expiry', 'valid until 3 Mar 2027 (89 days)'),
        note(
          'cert.renewal',
          'Certificate renewal',
          'imported: ACM never renews it',
          'Import a renewed certificate before it expires (stackguide install with the new files keeps the ARN).',
        ),
        pass('cert.users', 'What uses the certificate', 'not in use yet'),
      ],
    ],
    [
      'ses',
      'Email (SES)',
      [
        note(
          'ses.access',
          'SES production access in us-east-1',
          'sandbox (200 emails per 24 h, 1 per second, 0 sent in the last 24 h, verified recipients only); production access requested, AWS is reviewing it (case 17000000001)',
          "Wait for AWS's decision, usually 24-48 hours; it is emailed to the account's contacts. Nothing needs submitting again: run stackguide status or preflight to see the outcome.",
        ),
      ],
    ],
    [
      'secrets',
      'Secrets',
      [
        pass(
          'dockerhub.secret',
          'Docker Hub credentials in the secret dockerhub/creds',
          `exists (arn:aws:secretsmanager:us-east-1:123456789012:secret:dockerhub/creds-rsKChc); last changed ${changed}`,
        ),
      ],
    ],
    [
      'manual',
      'Manual steps',
      [
        confirmed(
          'calendar.done',
          'Set up an iCal calendar for notifications',
          'confirmed by you: https://calendar.example.edu/geo-class.ics',
        ),
        confirmed('repos.done', 'Prepare the CodeCommit repositories', 'confirmed by you'),
      ],
    ],
    [
      'account',
      'Account preparation',
      [
        pass(
          'tag.who',
          'Who can activate the cost allocation tag osl-deployment',
          'this account (123456789012) is in no organization and pays its own bill: stackguide activates the tag here',
        ),
        note(
          'tag.active',
          'Cost allocation tag osl-deployment active in Billing',
          'not listed by Billing yet',
          'Billing lists the tag key osl-deployment only after it has been used on a resource, about 24 hours after the first stack is created (stackguide tags every stack with it). Run stackguide install again after that: it activates the key then.',
        ),
      ],
    ],
  ];
  const sections: StatusSection[] = items.map(([section, title, list]) => ({
    section,
    title,
    state: worst(list.map((item) => item.state)),
    items: list,
  }));
  return {
    deployment: 'geo-class',
    region: 'us-east-1',
    stacks: [],
    steps: [],
    healthy: sections.every((section) => section.state === 'healthy'),
    sections,
    state: worst(sections.map((section) => section.state)),
  };
}

describe('status folded to one screen in a terminal (trial finding 29)', () => {
  it('a healthy opensarlab fits 24 rows at 80 columns: passing checks counted, stacks and notes kept', () => {
    const lines = statusText('OpenSARlab', opensarlab(), 80, now, true).split('\n');
    expect(lines).toEqual([
      'OpenSARlab · deployment geo-class · us-east-1 · healthy',
      '',
      'Stacks: healthy · drift not checked (--drift checks it)',
      '  ✔ geo-class-container: CREATE_COMPLETE, last changed 18:35 today',
      '  ✔ geo-class: CREATE_COMPLETE, last changed 18:35 today',
      '      HubRepository: geo-class/hub',
      '      PipelineArtifactsBucket: codepipeline-us-east-1-geo-class',
      '  ✔ geo-class-cluster-pipeline: CREATE_COMPLETE, last changed 18:35 today',
      'Certificates: healthy · 5 passed',
      '  ⚠ Certificate renewal: imported: ACM never renews it',
      'Email (SES): healthy',
      '  ⚠ SES production access in us-east-1: sandbox (200 emails per 24 h, 1 per',
      '      second, 0 sent in the last 24 h, verified recipients only); production',
      '      access requested, AWS is reviewing it (case 17000000001)',
      'Secrets: healthy · 1 passed',
      'Manual steps: healthy · 2 confirmed by you',
      'Account preparation: healthy · 1 passed',
      '  ⚠ Cost allocation tag osl-deployment active in Billing: not listed by Billing',
      '      yet',
      '',
      "Folded: 7 passed checks, 2 steps confirmed by you, 3 notes' next steps (--all",
      '  shows everything)',
    ]);
    // The command typed and the prompt after it still fit a 24-row window.
    expect(lines.length).toBeLessThanOrEqual(22);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('unfolded (a pipe, --all) it keeps every check, as before', () => {
    const text = statusText('OpenSARlab', opensarlab(), 80, now);
    expect(text.split('\n').length).toBe(49);
    expect(text).toContain('✔ Certificate expiry: valid until 3 Mar 2027 (89 days)');
    expect(text).toContain('    next: Import a renewed certificate before it expires');
    expect(text).not.toContain('Folded');
    // A manual step the operator confirmed has its own mark, never a check's ✔ (trial finding 100).
    expect(text).toContain('☑ Prepare the CodeCommit repositories: confirmed by you');
  });

  it('an ARN longer than the width starts at column 0, so the terminal folds as little of it as it can (trial finding 86)', () => {
    const arn = 'arn:aws:acm:us-east-1:123456789012:certificate/8e474ba1-5a11-43e1-beb6-5f00ebd5a1ad';
    expect(arn.length).toBe(83);
    const lines = statusText('OpenSARlab', opensarlab(), 80, now).split('\n');
    // It was at indent 4, its last 7 characters folded to column 0 of the next row.
    expect(lines).toContain(arn);
    expect(lines.filter((line) => line.length > 80)).toEqual([arn]);
  });

  it('an unhealthy one shows what needs action first, in full with its next action', () => {
    const pending: StatusItem = {
      id: 'cert.certificate',
      title: 'Certificate for opensarlab.example.edu',
      state: 'needs-action',
      summary: 'not imported yet: stackguide install imports it',
      nextAction: 'Run stackguide install.',
    };
    const lines = statusText(
      'OpenSARlab',
      opensarlab({ certificates: [pass('cert.covers', 'Covers', 'it does'), pending, unknown] }),
      80,
      now,
      true,
    ).split('\n');
    expect(lines.slice(0, 8)).toEqual([
      'OpenSARlab · deployment geo-class · us-east-1 · needs action',
      '',
      'Certificates: needs action · 1 passed',
      '  ✖ Certificate for opensarlab.example.edu: not imported yet: stackguide install',
      '      imports it',
      '      next: Run stackguide install.',
      '  ? Certificate expiry: ACM refused DescribeCertificate',
      '      next: Allow acm:DescribeCertificate.',
    ]);
    expect(lines[8]).toBe('Stacks: healthy · drift not checked (--drift checks it)');
    expect(lines.slice(-2)).toEqual([
      "Folded: 3 passed checks, 2 steps confirmed by you, 2 notes' next steps (--all",
      '  shows everything)',
    ]);
  });

  it('says a next action shared by items in a row once, after the last of them', () => {
    const missing = (name: string): StatusItem => ({
      id: `stack.${name}`,
      title: name,
      state: 'needs-action',
      summary: 'does not exist',
      nextAction: 'Run stackguide install to create it.',
    });
    const status = opensarlab({
      stacks: [missing('geo-class-container'), missing('geo-class'), missing('geo-class-cluster-pipeline')],
    });
    expect(statusText('OpenSARlab', status, 80, now, true).split('\n').slice(2, 7)).toEqual([
      'Stacks: needs action',
      '  ✖ geo-class-container: does not exist',
      '  ✖ geo-class: does not exist',
      '  ✖ geo-class-cluster-pipeline: does not exist',
      '      next (these 3): Run stackguide install to create it.',
    ]);
    // Unfolded (a pipe, --all), each says it.
    expect(statusText('OpenSARlab', status, 80, now).match(/next: Run stackguide install/g)).toHaveLength(3);
  });

  it('says nothing was folded when nothing was', () => {
    const status = opensarlab();
    const stacksOnly = { ...status, sections: status.sections.slice(0, 1) };
    const lines = statusText('OpenSARlab', stacksOnly, 80, now, true).split('\n');
    expect(lines.at(-1)).toBe('  ✔ geo-class-cluster-pipeline: CREATE_COMPLETE, last changed 18:35 today');
    const one = { ...status, sections: [status.sections[3] as StatusSection] };
    expect(statusText('T', one, 80, now, true).split('\n').at(-1)).toBe(
      'Folded: 1 passed check (--all shows everything)',
    );
  });

  it('folds only for a person at a terminal who did not ask for --all', () => {
    const tty = { isTTY: true };
    expect(foldsStatus({}, tty, {})).toBe(true);
    expect(foldsStatus({ all: true }, tty, {})).toBe(false);
    expect(foldsStatus({}, {}, {})).toBe(false);
    expect(foldsStatus({}, tty, { CI: 'true' })).toBe(false);
    expect(foldsStatus({}, tty, { CI: 'false' })).toBe(true);
    expect(foldsStatus({}, tty, { TERM: 'dumb' })).toBe(false);
  });

  it('status --watch in a terminal folds its first screen, a pipe gets it whole', () => {
    const written: string[] = [];
    const refresh = { title: 'OpenSARlab', status: opensarlab(), at: now, changed: undefined };
    const screen = { write: (text: string) => written.push(text), columns: () => 80, everySeconds: 5 };
    statusWatchPrinter({ ...screen, inPlace: true, fold: true }).show(refresh);
    expect(written.join('')).toContain('Secrets: healthy · 1 passed');
    written.length = 0;
    statusWatchPrinter({ ...screen, inPlace: false, fold: true }).show(refresh);
    expect(written.join('')).toContain('✔ Certificate expiry: valid until 3 Mar 2027 (89 days)');
  });
  it('a destroyed deployment: its stacks first, its preparation counted on one line (trial finding 99)', () => {
    const destroyedAt = new Date(2026, 11, 3, 18, 30).toISOString();
    const destroyed = (name: string): StatusItem => ({
      id: `stack.${name}`,
      title: name,
      state: 'needs-action',
      summary: `destroyed at ${destroyedAt}`,
      nextAction: 'It was destroyed on purpose: stackguide install creates it again.',
      facts: { status: 'DESTROYED', destroyedAt },
    });
    const status = {
      ...opensarlab({
        stacks: ['geo-class-container', 'geo-class', 'geo-class-cluster-pipeline'].map(destroyed),
        certificates: [pass('cert.covers', 'Covers', 'it does'), unknown],
      }),
      destroyedAt,
      answers: { path: 'geo-class.answers.yaml', from: 'beside' as const },
    };
    const lines = statusText('OpenSARlab', status, 80, now, true).split('\n');
    expect(lines).toEqual([
      'OpenSARlab · deployment geo-class · us-east-1 · needs action',
      'Answers from geo-class.answers.yaml (no --config given)',
      '',
      'Stacks: needs action',
      '  ✖ geo-class-container: destroyed at 18:30 today',
      '  ✖ geo-class: destroyed at 18:30 today',
      '  ✖ geo-class-cluster-pipeline: destroyed at 18:30 today',
      '      next (these 3): It was destroyed on purpose: stackguide install creates it',
      '                        again.',
      '',
      'Preparation a re-install goes through: 1 not checkable, 3 passed, 2 confirmed by',
      '  you, 2 notes (--all lists them)',
    ]);
    // Unfolded (a pipe, --all) every check is still there, with its next action.
    const whole = statusText('OpenSARlab', status, 80, now);
    expect(whole).toContain('? Certificate expiry: ACM refused DescribeCertificate');
    expect(whole).toContain('Answers from geo-class.answers.yaml (no --config given)');

    // One note and nothing else: said in the singular; no preparation at all: no line for it.
    const oneNote = { ...status, sections: [status.sections[0], status.sections[2]] as StatusSection[] };
    expect(statusText('OpenSARlab', oneNote, 80, now, true).split('\n').at(-1)).toBe(
      'Preparation a re-install goes through: 1 note (--all lists them)',
    );
    const stacksOnly = { ...status, sections: status.sections.slice(0, 1) };
    expect(statusText('OpenSARlab', stacksOnly, 80, now, true).split('\n').at(-1)).toBe(
      '                        again.',
    );
  });
});
