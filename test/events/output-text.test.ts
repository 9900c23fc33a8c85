import { describe, expect, it } from 'vitest';
import type { Question } from '../../src/blueprint/blueprint-schema.ts';
import { StackguideError } from '../../src/errors.ts';
import type { DestroyPlan, StatusItem, StatusSection } from '../../src/events.ts';
import { changedAnswerIds } from '../../src/install/answers-file.ts';
import { commandLines } from '../../src/output/command-lines.ts';
import { destroyPlanText } from '../../src/output/destroy-plan-text.ts';
import { formatDuration, mask } from '../../src/output/format.ts';
import { errorEvent, renderErrorText } from '../../src/output/render-error.ts';
import { statusChangesText, statusText } from '../../src/output/status-text.ts';
import { supportBundleText } from '../../src/output/support-bundle-text.ts';
import { parameterChangeLines, upgradeChangeText } from '../../src/output/upgrade-text.ts';
import type { DeploymentStatus } from '../../src/status/deployment-status.ts';

/** The text printers of src/output/, rendered to strings: exactly what the operator reads. */

const arn = (name: string) => `arn:aws:cloudformation:us-east-1:123456789012:stack/${name}/1`;

function emptyPlan(): DestroyPlan {
  return {
    deployment: 'demo',
    region: 'us-east-1',
    stacks: [],
    retained: [],
    absent: [],
    buckets: [],
    repositories: [],
    keptByPolicy: [],
    terminationProtected: [],
    codeCommitRepositories: [],
    cautions: [],
    untaggedButDeclared: [],
    unreadableTemplates: [],
    platformTags: [],
  };
}

describe('destroyPlanText', () => {
  it('says there is nothing to delete when no stack of the deployment exists', () => {
    expect(destroyPlanText({ ...emptyPlan(), absent: ['demo-app', 'demo-data'] })).toBe(
      [
        'Destroy plan for deployment demo in us-east-1',
        '',
        'No stacks of this deployment exist: nothing to delete.',
        '',
        'Not found (never created or already deleted): demo-app, demo-data',
      ].join('\n'),
    );
  });

  it('lists every section the plan holds, in the order destroy acts, with sizes and images', () => {
    const plan: DestroyPlan = {
      ...emptyPlan(),
      stacks: [
        { name: 'demo-app', stackId: arn('demo-app'), status: 'UPDATE_COMPLETE' },
        { name: 'demo-data', stackId: arn('demo-data'), status: 'CREATE_COMPLETE' },
      ],
      retained: [{ name: 'demo-dns', status: 'CREATE_COMPLETE' }],
      terminationProtected: ['demo-data'],
      untaggedButDeclared: ['demo-app'],
      buckets: [{ stack: 'demo-data', logicalId: 'Bucket', bucket: 'demo-data-bucket' }],
      repositories: [{ stack: 'demo-app', logicalId: 'Repo', repository: 'demo/app' }],
      keptByPolicy: [
        {
          stack: 'demo-data',
          logicalId: 'Database',
          type: 'AWS::RDS::DBInstance',
          physicalId: 'demo-db',
          policy: 'Snapshot',
        },
      ],
      codeCommitRepositories: ['demo-code'],
      cautions: ['Users lose their notebooks.'],
    };
    expect(
      destroyPlanText(plan, {
        bucketSizes: { 'demo-data-bucket': '3 objects, 5 versions, 12 KiB' },
        repositoryImages: { 'demo/app': 4 },
        extraSections: [['Tagged volumes and snapshots to delete:', '  - vol-1 (8 GiB)']],
        deleteCodeCommit: true,
        resumedFrom: '2026-11-22T10:00:00.000Z',
      }),
    ).toBe(
      [
        'Destroy plan for deployment demo in us-east-1',
        '',
        'Stacks to delete, in this order:',
        '  1. demo-app (UPDATE_COMPLETE) [named by the blueprint; no deployment tag]',
        '  2. demo-data (CREATE_COMPLETE) [termination protection on]',
        '',
        'Kept, never touched:',
        '  = demo-dns (CREATE_COMPLETE)',
        '',
        'Buckets to empty (every version; CloudFormation then deletes the bucket):',
        '  - demo-data-bucket in demo-data: 3 objects, 5 versions, 12 KiB',
        '',
        'ECR repositories to empty first (CloudFormation deletes them with their stacks; it refuses one holding images):',
        '  - demo/app in demo-app: 4 image(s)',
        '',
        'Will remain after the stacks are gone (DeletionPolicy):',
        '  ! Database (AWS::RDS::DBInstance) in demo-data: Snapshot demo-db',
        '',
        'Tagged volumes and snapshots to delete:',
        '  - vol-1 (8 GiB)',
        '',
        'CodeCommit repositories, deleted after the stacks (you opted in): demo-code',
        '',
        'Resuming the destroy started at 2026-11-22T10:00:00.000Z: only what its saved plan listed is acted on.',
        '',
        '⚠ Users lose their notebooks.',
      ].join('\n'),
    );
  });

  it('says when ECR repositories and CodeCommit repositories are left alone', () => {
    const text = destroyPlanText({
      ...emptyPlan(),
      stacks: [{ name: 'demo-app', stackId: arn('demo-app'), status: 'CREATE_COMPLETE' }],
      repositories: [{ stack: 'demo-app', logicalId: 'Repo', repository: 'demo/app' }],
      codeCommitRepositories: ['demo-code'],
    });
    expect(text.split('\n').slice(4)).toEqual([
      '',
      'ECR repositories, not emptied (decommission.emptyRepositories is off; CloudFormation refuses one holding images):',
      '  - demo/app in demo-app',
      '',
      'CodeCommit repositories, kept (they hold code; --delete-codecommit deletes them once you have a copy): demo-code',
    ]);
  });
});

describe('renderErrorText and errorEvent', () => {
  it('renders the message, each problem by path with its fix, and the next steps', () => {
    const error = new StackguideError('The answers file has 2 problems', {
      code: 'answers.invalid',
      kind: 'user',
      details: [
        { path: 'answers.domain', message: 'is required', fix: 'set answers.domain: example.com' },
        { path: 'answers.size', message: '"huge" is not one of small, large' },
      ],
      nextSteps: ['Fix the file, then run the command again.'],
    });
    expect(renderErrorText(error)).toBe(
      [
        '✖ The answers file has 2 problems',
        '  • answers.domain: is required',
        '      fix: set answers.domain: example.com',
        '  • answers.size: "huge" is not one of small, large',
        '',
        'Next:',
        '  → Fix the file, then run the command again.',
      ].join('\n'),
    );
    expect(errorEvent(error)).toEqual({
      type: 'error',
      code: 'answers.invalid',
      kind: 'user',
      message: 'The answers file has 2 problems',
      details: error.details,
      nextSteps: ['Fix the file, then run the command again.'],
    });
  });

  it("adds the cause's stack for a bug, and only for a bug", () => {
    const cause = new Error('undefined is not a function');
    const bug = new StackguideError('Unexpected failure', { code: 'bug', kind: 'bug', cause });
    expect(renderErrorText(bug)).toBe(`✖ Unexpected failure\n\n${cause.stack}`);
    const aws = new StackguideError('AWS refused', { code: 'aws.denied', kind: 'aws', cause });
    expect(renderErrorText(aws)).toBe('✖ AWS refused');
  });
});

describe('statusText and statusChangesText', () => {
  const healthyStack: StatusItem = {
    id: 'stack.demo-app',
    title: 'demo-app',
    state: 'healthy',
    summary: 'CREATE_COMPLETE',
    facts: { outputs: { Url: 'https://app.example.test' } },
  };
  const pendingCertificate: StatusItem = {
    id: 'certificate.cert',
    title: 'Certificate app.example.test',
    state: 'needs-action',
    summary: 'PENDING_VALIDATION',
    nextAction: 'Add the CNAME at your DNS provider:\n_abc.app.example.test CNAME _def.acm-validations.aws.',
  };
  const parentDetail: StatusItem = {
    id: 'dns.parent.a',
    title: 'a.parent.test',
    state: 'could-not-check',
    summary: 'did not answer',
    detail: true,
  };
  const advisory: StatusItem = {
    id: 'account.types',
    title: 'Instance types',
    state: 'healthy',
    summary: 'g4dn.xlarge cannot be verified here',
    advisory: true,
    nextAction: 'Check the type in the console.',
  };
  const status: DeploymentStatus = {
    deployment: 'demo',
    region: 'us-east-1',
    stacks: [],
    steps: [],
    healthy: false,
    state: 'needs-action',
    sections: [
      { section: 'stacks', title: 'Stacks', state: 'healthy', items: [healthyStack] },
      { section: 'certificates', title: 'Certificates', state: 'needs-action', items: [pendingCertificate] },
      { section: 'dns', title: 'DNS', state: 'could-not-check', items: [parentDetail] },
      { section: 'account', title: 'Account preparation', state: 'healthy', items: [advisory] },
    ],
  };

  it('prints the verdict, each section, outputs, and the next action of what is not healthy', () => {
    expect(statusText('stackguide status', status)).toBe(
      [
        'stackguide status · deployment demo · us-east-1 · needs action',
        '',
        'Stacks: healthy',
        '✔ demo-app: CREATE_COMPLETE',
        '    Url: https://app.example.test',
        '',
        'Certificates: needs action',
        '✖ Certificate app.example.test: PENDING_VALIDATION',
        '    next: Add the CNAME at your DNS provider:',
        '          _abc.app.example.test CNAME _def.acm-validations.aws.',
        '',
        'DNS: could not be checked',
        '    ? a.parent.test: did not answer',
        '',
        'Account preparation: healthy',
        '⚠ Instance types: g4dn.xlarge cannot be verified here',
        '    next: Check the type in the console.',
      ].join('\n'),
    );
  });

  it('after a refresh prints only what changed, or one quiet line', () => {
    const at = new Date('2026-11-22T10:05:00Z');
    expect(statusChangesText(at, [], status)).toBe('2026-11-22T10:05:00.000Z no change · needs action');
    expect(statusChangesText(at, [pendingCertificate], status)).toBe(
      [
        '2026-11-22T10:05:00.000Z 1 changed · needs action',
        '✖ Certificate app.example.test: PENDING_VALIDATION',
        '    next: Add the CNAME at your DNS provider:',
        '          _abc.app.example.test CNAME _def.acm-validations.aws.',
      ].join('\n'),
    );
  });
});

describe('status text wrapped to the terminal', () => {
  const url = 'https://lab.codeocean.example.test/a/very/long/path/that/is/one/word/only/and/stays/whole';
  const long: StatusItem = {
    id: 'dns.delegation',
    title: 'Delegation of codeocean.example.test',
    state: 'needs-action',
    summary:
      'the parent zone example.test answers with two name servers that are not those of the hosted zone, so resolvers see the old zone',
    nextAction:
      'Replace the NS records of codeocean in the zone example.test at your registrar or DNS provider with these four records, then run status again:\ncodeocean.example.test. 172800 IN NS ns-2048.awsdns-64.com.',
    facts: {
      outputs: { Url: url },
    },
  };
  const status: DeploymentStatus = {
    deployment: 'lab',
    region: 'us-east-1',
    stacks: [],
    steps: [],
    healthy: false,
    state: 'needs-action',
    sections: [{ section: 'dns', title: 'DNS', state: 'needs-action', items: [long] }],
  };
  const words = (text: string): string[] => text.split(/\s+/).filter((word) => word !== '');

  it('at 80 columns wraps by words, never past the width, continuation lines indented', () => {
    const text = statusText('stackguide status', status, 80);
    const lines = text.split('\n');
    // The one word longer than a line (the URL) is kept whole, on its own line, to be copied.
    for (const line of lines) if (!line.includes(url)) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(lines).toContain(`      ${url}`);
    // No word is cut: every word of the summary and the action is on screen whole.
    for (const word of words(`${long.summary} ${long.nextAction}`)) expect(words(text)).toContain(word);
    expect(lines).toEqual([
      'stackguide status · deployment lab · us-east-1 · needs action',
      '',
      'DNS: needs action',
      '✖ Delegation of codeocean.example.test: the parent zone example.test answers',
      '    with two name servers that are not those of the hosted zone, so resolvers',
      '    see the old zone',
      '    Url:',
      `      ${url}`,
      '    next: Replace the NS records of codeocean in the zone example.test at your',
      '            registrar or DNS provider with these four records, then run status',
      '            again:',
      '          codeocean.example.test. 172800 IN NS ns-2048.awsdns-64.com.',
    ]);
  });

  it('at 200 columns keeps each line whole', () => {
    const lines = statusText('stackguide status', status, 200).split('\n');
    expect(lines).toContain(`✖ Delegation of codeocean.example.test: ${long.summary}`);
    expect(lines).toContain(`    next: ${long.nextAction?.split('\n')[0]}`);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(200);
  });

  it('wraps what --watch prints after a refresh the same way', () => {
    const text = statusChangesText(new Date('2026-11-22T10:05:00Z'), [long], status, 80);
    const lines = text.split('\n');
    expect(lines[1]).toBe('✖ Delegation of codeocean.example.test: the parent zone example.test answers');
    expect(lines[2]).toBe('    with two name servers that are not those of the hosted zone, so resolvers');
  });
});

describe('status at 80 columns, read at a glance (trial finding 29)', () => {
  const now = new Date(2026, 11, 3, 16, 30);
  const iso = (...parts: [number, number, number, number, number]) => new Date(...parts).toISOString();
  const stack = (name: string, minute: number): StatusItem => ({
    id: `stack.${name}`,
    title: name,
    state: 'healthy',
    summary: `CREATE_COMPLETE, last changed ${iso(2026, 11, 3, 16, minute)}`,
    facts: { drift: 'NOT_CHECKED', outputs: {} },
  });
  const secretArn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:dockerhub/creds-LurlxD';
  const certificateArn =
    'arn:aws:acm:us-east-1:123456789012:certificate/bcce14ea-8388-4367-833d-de88db654339';
  const status: DeploymentStatus = {
    deployment: 'geo-class',
    region: 'us-east-1',
    stacks: [],
    steps: [],
    healthy: true,
    state: 'healthy',
    sections: [
      {
        section: 'stacks',
        title: 'Stacks',
        state: 'healthy',
        items: [stack('geo-class-container', 5), stack('geo-class-cluster-pipeline', 6)],
      },
      {
        section: 'certificates',
        title: 'Certificates',
        state: 'healthy',
        items: [
          {
            id: 'cert.certificate',
            title: 'Certificate for opensarlab.example.edu',
            state: 'healthy',
            summary: `ISSUED (imported): ${certificateArn}`,
          },
          {
            id: 'cert.expiry',
            title: 'Certificate expiry',
            state: 'healthy',
            summary: `valid until ${iso(2027, 2, 3, 16, 4)} (89 days)`,
          },
        ],
      },
      {
        section: 'secrets',
        title: 'Secrets',
        state: 'healthy',
        items: [
          {
            id: 'dockerhub.secret',
            title: 'Docker Hub credentials in the secret dockerhub/creds',
            state: 'healthy',
            summary: `exists (${secretArn}); last changed ${iso(2026, 11, 1, 9, 15)}`,
          },
        ],
      },
    ],
  };

  it('says times briefly, drift not checked once, and puts each ARN on a line of its own, never cut', () => {
    const lines = statusText('OpenSARlab', status, 80, now).split('\n');
    expect(lines).toEqual([
      'OpenSARlab · deployment geo-class · us-east-1 · healthy',
      '',
      'Stacks: healthy · drift not checked (--drift checks it)',
      '✔ geo-class-container: CREATE_COMPLETE, last changed 16:05 today',
      '✔ geo-class-cluster-pipeline: CREATE_COMPLETE, last changed 16:06 today',
      '',
      'Certificates: healthy',
      '✔ Certificate for opensarlab.example.edu: ISSUED (imported)',
      // Longer than the width (83 characters): at column 0, as 29d4aef puts it (trial finding 86).
      certificateArn,
      '✔ Certificate expiry: valid until 3 Mar 2027 (89 days)',
      '',
      'Secrets: healthy',
      '✔ Docker Hub credentials in the secret dockerhub/creds: exists; last changed 1',
      '    Dec 09:15',
      `    ${secretArn}`,
    ]);
    // Only a value longer than the whole width (an ACM ARN is 83 characters) passes 80 columns.
    for (const line of lines) if (!line.includes(certificateArn)) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('moves a value left of its indent when that lets it fit', () => {
    const arn = `arn:aws:secretsmanager:us-east-1:123456789012:secret:${'x'.repeat(24)}`;
    const item: StatusItem = { id: 's', title: 'Secret', state: 'healthy', summary: `exists (${arn})` };
    const text = statusText(
      'T',
      { ...status, sections: [{ ...status.sections[2], items: [item] } as StatusSection] },
      80,
      now,
    );
    expect(text.split('\n').at(-1)).toBe(`${' '.repeat(80 - arn.length)}${arn}`);
  });
});

describe('what an upgrade changes', () => {
  it('names the versions when they differ, and the answers it changes', () => {
    expect(upgradeChangeText({ from: '1.0.0', to: '1.1.0', answersChanged: [] })).toBe('1.0.0 → 1.1.0');
    expect(upgradeChangeText({ from: '1.0.0', to: '1.0.0', answersChanged: ['size', 'email'] })).toBe(
      '1.0.0, answers changed: size, email',
    );
    expect(upgradeChangeText({ from: '1.0.0', to: '2.0.0', answersChanged: ['size'] })).toBe(
      '1.0.0 → 2.0.0, answer changed: size',
    );
    expect(upgradeChangeText({ from: '1.0.0', to: '1.0.0', answersChanged: ['a', 'b', 'c', 'd', 'e'] })).toBe(
      '1.0.0, answers changed: a, b, c and 2 more',
    );
    expect(upgradeChangeText({ from: '1.0.0', to: '1.0.0', answersChanged: [], template: 'web' })).toBe(
      '1.0.0, new template for web',
    );
    expect(upgradeChangeText({ from: '1.0.0', to: '1.0.0', answersChanged: [] })).toBe(
      '1.0.0, no answer changed',
    );
  });

  it('names the parameters the stacks hold that change, even when the answers file held the change already (trial finding 53)', () => {
    const timeout = { stack: 'demo-app', name: 'JobTimeoutSeconds', deployed: '300', next: '450' };
    expect(
      upgradeChangeText({ from: '1.0.0', to: '1.0.0', answersChanged: [], parametersChanged: [timeout] }),
    ).toBe('1.0.0, parameter changed: JobTimeoutSeconds');
    // With the answers named already, the parameters are left to the lines that give their values.
    expect(
      upgradeChangeText({
        from: '1.0.0',
        to: '1.0.0',
        answersChanged: ['jobTimeoutSeconds'],
        parametersChanged: [timeout, { ...timeout, stack: 'demo-worker' }, { ...timeout, name: 'Retention' }],
      }),
    ).toBe('1.0.0, answer changed: jobTimeoutSeconds');
    expect(parameterChangeLines([timeout])).toEqual(['demo-app JobTimeoutSeconds: 300 → 450']);
  });

  it('counts what changes instead of naming it, for a header at 80 columns (trial finding 97)', () => {
    const branch = { stack: 'geo-container', name: 'CodeCommitSourceBranch', deployed: 'main', next: 'dev' };
    const counted = (change: Parameters<typeof upgradeChangeText>[0]) => upgradeChangeText(change, true);
    expect(counted({ from: '1.0.0', to: '1.0.0', answersChanged: ['containerBranch'] })).toBe(
      '1.0.0, 1 answer changed',
    );
    expect(counted({ from: '1.0.0', to: '1.1.0', answersChanged: ['a', 'b'] })).toBe(
      '1.0.0 → 1.1.0, 2 answers changed',
    );
    expect(counted({ from: '1.0.0', to: '1.0.0', answersChanged: [], parametersChanged: [branch] })).toBe(
      '1.0.0, 1 parameter changed',
    );
    expect(counted({ from: '1.0.0', to: '1.0.0', answersChanged: [], template: 'web' })).toBe(
      '1.0.0, new template',
    );
  });

  it('counts an answer as changed against the file, in the order of the questions, never a secret', () => {
    const questions = [
      { id: 'size', type: 'string', prompt: 'Size', required: true, default: 'small' },
      { id: 'email', type: 'string', prompt: 'Email', required: true },
      { id: 'token', type: 'secret', prompt: 'Token', required: true },
      { id: 'count', type: 'number', prompt: 'Count', required: true },
    ] as unknown as Question[];
    expect(
      changedAnswerIds(
        { email: 'a@example.test', count: '3' },
        { token: 'new', email: 'b@example.test', size: 'small', count: 3 },
        questions,
      ),
    ).toEqual(['email']);
    expect(
      changedAnswerIds(
        { email: 'a@example.test' },
        { count: 4, size: 'large', email: 'a@example.test' },
        questions,
      ),
    ).toEqual(['size', 'count']);
  });
});

describe('a command printed to be copied', () => {
  it('stays whole when it fits, else is cut before its options with a backslash at each line end', () => {
    expect(commandLines('stackguide status --blueprint demo', 80, '  ')).toEqual([
      '  stackguide status --blueprint demo',
    ]);
    const long =
      'stackguide upgrade --blueprint blueprints/demo --config demo.answers.yaml --set jobTimeoutSeconds=600';
    const lines = commandLines(long, 80, '  ');
    expect(lines).toEqual([
      '  stackguide upgrade --blueprint blueprints/demo --config demo.answers.yaml \\',
      '    --set jobTimeoutSeconds=600',
    ]);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    // Joined as the shell joins them, it is the same command.
    expect(
      lines
        .join('\n')
        .replaceAll(/ \\\n\s+/g, ' ')
        .trim(),
    ).toBe(long);
    // An option longer than a line is cut between its flag and its value; a value longer than a line
    // gets one of its own.
    const path = `/${'very-long-folder/'.repeat(6)}answers.yaml`;
    expect(commandLines(`stackguide install --blueprint demo --config ${path} --yes`, 60)).toEqual([
      'stackguide install --blueprint demo --config \\',
      `  ${path} \\`,
      '  --yes',
    ]);
  });
});

describe('formatDuration and mask', () => {
  it('reads seconds, minutes and hours as the live view shows them', () => {
    expect(
      [0, 1_499, 59_400, 60_000, 61_000, 3_599_000, 3_600_000, 7_530_000, -5].map(formatDuration),
    ).toEqual(['0s', '1s', '59s', '1m 00s', '1m 01s', '59m 59s', '1h 00m', '2h 05m', '0s']);
  });

  it('shows the same mask for every secret, whatever its length', () => {
    expect(mask('a')).toBe(mask('a much longer secret value'));
    expect(mask('hunter2')).not.toContain('hunter2');
  });
});

describe('supportBundleText', () => {
  it('says where the bundle is, whether AWS was reached, and what was redacted by kind and count', () => {
    const event = {
      type: 'support.bundle' as const,
      path: '/tmp/lab-support.tar.gz',
      bytes: 5_120,
      files: ['journal.json', 'events.ndjson', 'stacks.json'],
      aws: { reached: true },
      redactions: [
        { kind: 'secret answer', count: 2 },
        { kind: 'registry password', count: 1 },
      ],
      notes: [],
    };
    expect(supportBundleText(event, 'lab', 'us-east-1')).toBe(
      [
        'Support bundle of lab (us-east-1) written to /tmp/lab-support.tar.gz (5.0 KiB, mode 0600)',
        'AWS: reached; the stacks and their recent events are in',
        'Redacted before writing (3): secret answer ×2, registry password ×1',
        'Files: journal.json, events.ndjson, stacks.json',
        '',
      ].join('\n'),
    );
    expect(
      supportBundleText(
        {
          ...event,
          bytes: 900,
          files: ['journal.json'],
          aws: { reached: false, reason: 'no credentials' },
          redactions: [],
          notes: ['no event log: the deployment was never installed from here'],
        },
        'lab',
        undefined,
      ),
    ).toBe(
      [
        'Support bundle of lab written to /tmp/lab-support.tar.gz (900 B, mode 0600)',
        'AWS: not reached (no credentials); the local parts are in',
        'Redacted: nothing matched a secret',
        'Files: journal.json',
        'Note: no event log: the deployment was never installed from here',
        '',
      ].join('\n'),
    );
  });
});
