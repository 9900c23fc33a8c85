import { describe, expect, it } from 'vitest';
import { destroyPlanDetails } from '../../src/decommission/destroy-survey.ts';
import type { DestroyPlan } from '../../src/events.ts';
import { destroyPlanText, fittedDestroyPlanText } from '../../src/output/destroy-plan-text.ts';
import { wrapToWidth } from '../../src/output/terminal-text.ts';
import { hangingWrap, rowsOf } from '../../src/output/wrap.ts';

/**
 * The destroy plan in a terminal leaves its questions on the same screen (trial finding 68: opensarlab's
 * plan was 44 lines at 80x24, its top scrolled off when "everything listed above" was asked): compacted
 * as little as it takes, every stack, bucket, repository and step resource still named. The plan is
 * opensarlab's, installed in its lab, as destroy showed it.
 */

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/7c33a9f3-6228-46f7-a3b2-1db4ca6f5100';
const stack = (name: string) => ({
  name,
  stackId: `arn:aws:cloudformation:us-east-1:123456789012:stack/${name}/1`,
  status: 'CREATE_COMPLETE',
});

const plan: DestroyPlan = {
  deployment: 'geo-class',
  region: 'us-east-1',
  stacks: [stack('geo-class-cluster-pipeline'), stack('geo-class'), stack('geo-class-container')],
  retained: [],
  absent: ['geo-class-jupyterhub', 'geo-class-cluster', 'geo-class-cognito'],
  buckets: [
    { stack: 'geo-class-cluster-pipeline', logicalId: 'Lambda', bucket: 'us-east-1-geo-class-lambda' },
    { stack: 'geo-class', logicalId: 'Pipeline', bucket: 'codepipeline-us-east-1-geo-class' },
    {
      stack: 'geo-class-container',
      logicalId: 'Pipeline',
      bucket: 'codepipeline-us-east-1-geo-class-container',
    },
  ],
  repositories: [
    { stack: 'geo-class', logicalId: 'Hub', repository: 'geo-class/hub' },
    { stack: 'geo-class', logicalId: 'Notifications', repository: 'geo-class/notifications' },
    { stack: 'geo-class-container', logicalId: 'Sar', repository: 'geo-class/sar' },
  ],
  keptByPolicy: [],
  terminationProtected: [],
  codeCommitRepositories: ['geo-class-container', 'geo-class-cluster'],
  cautions: [
    'Do NOT take down the cognito stack or the CloudWatch logs; they are used for statistical analysis later.',
    'Never delete an emptied S3 bucket by hand; CloudFormation must delete it with its stack.',
    'The CodeCommit repositories hold your code; download a zip (or copy them to S3) before opting in to deleting them.',
  ],
  untaggedButDeclared: [],
  unreadableTemplates: [],
  platformTags: [],
};

const emptyBucket = (bucket: string) => ({
  bucket,
  exists: true,
  objects: 0,
  versions: 0,
  deleteMarkers: 0,
  bytes: 0,
});

function survey(buckets = plan.buckets.map((b) => emptyBucket(b.bucket))) {
  return {
    buckets,
    repositories: plan.repositories.map((r) => ({ name: r.repository, images: 0, exists: true })),
    tagged: [],
    stepResources: [{ kind: 'certificate', step: 'certificate', arn: CERTIFICATE }],
  } as unknown as Parameters<typeof destroyPlanDetails>[0];
}

const details = destroyPlanDetails(survey(), { deleteCodeCommit: false });

/** What destroy asks under the plan in a terminal. */
const QUESTIONS = [
  'Also delete the CodeCommit repositories geo-class-container, geo-class-cluster? They hold code: only if you have a copy',
  'Type the deployment name (geo-class) to delete 3 stacks, 3 buckets, 3 ECR repositories, 1 resource of the preparation steps and 2 CodeCommit repositories listed above',
];

describe("opensarlab's destroy plan in a terminal (trial finding 68)", () => {
  it('at 80x24 is compacted to leave its questions on the screen, naming everything it deletes', () => {
    const full = wrapToWidth(destroyPlanText(plan, details), 80);
    expect(rowsOf(full, 80)).toBeGreaterThan(30);
    const text = fittedDestroyPlanText(plan, details, { width: 80, height: 24, questions: QUESTIONS });
    const lines = text.split('\n');
    // The most compact form (its questions, 7 rows, would want 17): the plan, a blank line, then the
    // CodeCommit question and the typed name, 2 rows each at 80 columns (inquirer's own wrap may take 3).
    expect(lines.length).toBeLessThanOrEqual(18);
    expect(rowsOf(text, 80)).toBe(lines.length);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(lines[0]).toBe('Destroy plan for deployment geo-class in us-east-1');
    const words = text.replace(/\s+/g, ' ');
    for (const name of [
      ...plan.stacks.map((s) => s.name),
      ...plan.buckets.map((b) => b.bucket),
      ...plan.repositories.map((r) => r.repository),
      'ACM certificate 7c33a9f3-6228-46f7-a3b2-1db4ca6f5100',
      ...plan.cautions,
    ])
      expect(words).toContain(name);
    expect(text).not.toContain('arn:aws:acm');
    expect(words).toContain(
      'Stacks to delete, in order: geo-class-cluster-pipeline, geo-class, geo-class-container (all CREATE_COMPLETE)',
    );
    expect(words).toContain('codepipeline-us-east-1-geo-class-container (all empty)');
    expect(words).toContain('geo-class/sar (all empty)');
    expect(lines.at(-1)).toBe('Compacted to fit the window (--dry-run > plan.txt writes the full plan)');
  });

  it('counts its questions as the prompter wraps them, and keeps the header on the screen with both asked (guided opensarlab at 80x24)', () => {
    const asking = destroyPlanDetails(survey(), { deleteCodeCommit: false, askCodeCommit: true });
    const text = fittedDestroyPlanText(plan, asking, { width: 80, height: 24, questions: QUESTIONS });
    const lines = text.split('\n');
    expect(lines).toContain('CodeCommit repositories (asked below): geo-class-container, geo-class-cluster');
    // As screens/inquirer-prompter.ts draws them: by words under `? `, room kept for the answer.
    const asked = QUESTIONS.map(
      (question) => hangingWrap('? ', `${question}${'x'.repeat(17)}`, '  ', 79).length,
    );
    expect(asked).toEqual([2, 3]);
    // The plan, the blank line under it and the questions: the header stays on row 1.
    expect(rowsOf(text, 80) + 1 + asked.reduce((sum, rows) => sum + rows, 0)).toBeLessThanOrEqual(24);
    expect(lines[0]).toBe('Destroy plan for deployment geo-class in us-east-1');
  });

  it('in a dry run says the same command into a file writes it whole, not to add --dry-run (trial finding 98)', () => {
    const dryRun = destroyPlanDetails(survey(), { deleteCodeCommit: false, dryRun: true });
    const ending =
      'Dry run: nothing was deleted. To delete: stackguide destroy --blueprint /work/blueprints/opensarlab --config answers.yaml';
    const text = fittedDestroyPlanText(plan, dryRun, { width: 80, height: 24, ending });
    const lines = text.split('\n');
    expect(lines.at(-1)).toBe(
      'Compacted to fit the window (the same command > plan.txt writes the full plan)',
    );
    expect(text).not.toContain('--dry-run');
    // Under it (seen in the lab at 80x24): a blank line, the ending as it wraps (its command cut with
    // `\`, 3 rows), the run's `[     0s] succeeded` and the prompt: the header stays on row 1.
    expect(wrapToWidth(ending, 80).split('\n')).toHaveLength(3);
    expect(rowsOf(text, 80) + 1 + 3 + 2).toBeLessThanOrEqual(24);
    expect(lines[0]).toBe('Destroy plan for deployment geo-class in us-east-1');
    // A window two rows shorter cannot hold it all: it is still the most compact form, never less.
    expect(fittedDestroyPlanText(plan, dryRun, { width: 80, height: 22, ending })).toBe(text);
  });

  it('at 200x50, where it fits, is the full plan unchanged', () => {
    const text = fittedDestroyPlanText(plan, details, { width: 200, height: 50, questions: QUESTIONS });
    expect(text).toBe(destroyPlanText(plan, details));
    expect(text).toContain(`  - certificate ${CERTIFICATE}`);
    expect(text).toContain('\n\n⚠ Never delete an emptied S3 bucket by hand');
  });

  it('a little short of room first loses only the blank lines between the cautions', () => {
    const full = destroyPlanText(plan, details);
    const text = fittedDestroyPlanText(plan, details, { width: 200, height: rowsOf(full, 200) });
    expect(text).toBe(
      full.replace('\n\n⚠ Never', '\n⚠ Never').replace('\n\n⚠ The CodeCommit', '\n⚠ The CodeCommit'),
    );
  });

  it('keeps the counts of buckets that are not empty, each thing still named', () => {
    const held = destroyPlanDetails(
      survey([
        {
          ...emptyBucket('us-east-1-geo-class-lambda'),
          objects: 2,
          versions: 3,
          deleteMarkers: 1,
          bytes: 12,
        },
        emptyBucket('codepipeline-us-east-1-geo-class'),
        emptyBucket('codepipeline-us-east-1-geo-class-container'),
      ]),
      { deleteCodeCommit: true },
    );
    const words = fittedDestroyPlanText(plan, held, { width: 80, height: 24 }).replace(/\s+/g, ' ');
    expect(words).toContain(
      'Buckets to empty: us-east-1-geo-class-lambda (2 objects, 3 versions, 1 delete markers, 12 B); codepipeline-us-east-1-geo-class, codepipeline-us-east-1-geo-class-container (all empty)',
    );
    expect(words).toContain(
      'CodeCommit repositories, deleted after the stacks: geo-class-container, geo-class-cluster',
    );
  });
});

describe('a compacted plan of every kind of section', () => {
  it('keeps each stack status that differs, the notes, the kept and retained things, and every name', () => {
    const varied: DestroyPlan = {
      ...plan,
      stacks: [
        stack('geo-class-cluster-pipeline'),
        { ...stack('geo-class'), status: 'UPDATE_ROLLBACK_COMPLETE' },
      ],
      retained: [{ name: 'geo-class-cognito', status: 'CREATE_COMPLETE' }],
      terminationProtected: ['geo-class'],
      untaggedButDeclared: ['geo-class'],
      keptByPolicy: [
        {
          stack: 'geo-class',
          logicalId: 'Logs',
          type: 'AWS::Logs::LogGroup',
          policy: 'Retain',
          physicalId: 'geo-logs',
        },
      ],
      unreadableTemplates: [
        { stack: 'geo-class', message: 'AccessDenied', fix: 'Grant cloudformation:GetTemplate' },
      ],
    } as DestroyPlan;
    const surveyed = {
      ...survey(),
      tagged: [
        {
          kind: 'volume',
          id: 'vol-0a1',
          sizeGiB: 8,
          state: 'available',
          tags: {},
          ownedBy: { key: 'osl-stackname', value: 'geo-class' },
        },
      ],
      stepResources: [
        {
          kind: 'hostedZone',
          step: 'zone',
          zoneId: 'Z0123',
          domain: 'geo.example.edu',
          parentDomain: 'example.edu',
        },
      ],
    } as unknown as Parameters<typeof destroyPlanDetails>[0];
    // Not measured: repositories not emptied (decommission.emptyRepositories off), buckets not sized.
    const { repositoryImages: _off, ...measured } = destroyPlanDetails(surveyed, {
      deleteCodeCommit: false,
      resumedFrom: '2026-12-03T19:00:00Z',
    });
    const unmeasured = { ...measured, bucketSizes: {} };
    const words = fittedDestroyPlanText(varied, unmeasured, { width: 80, height: 10 }).replace(/\s+/g, ' ');
    expect(words).toContain(
      'Stacks to delete, in order: geo-class-cluster-pipeline (CREATE_COMPLETE), geo-class (UPDATE_ROLLBACK_COMPLETE) [termination protection on] [named by the blueprint; no deployment tag]',
    );
    expect(words).toContain('Kept, never touched: geo-class-cognito (CREATE_COMPLETE)');
    expect(words).toContain(
      'Buckets to empty: us-east-1-geo-class-lambda, codepipeline-us-east-1-geo-class, codepipeline-us-east-1-geo-class-container ECR',
    );
    expect(words).toContain(
      'ECR repositories, not emptied (decommission.emptyRepositories is off): geo-class/hub, geo-class/notifications, geo-class/sar',
    );
    expect(words).toContain('! Logs (AWS::Logs::LogGroup) in geo-class: Retain geo-logs');
    expect(words).toContain('! geo-class: AccessDenied fix: Grant cloudformation:GetTemplate');
    expect(words).toContain(
      'EBS volumes and snapshots tagged with this deployment, deleted after the stacks: volume vol-0a1 (8 GiB)',
    );
    expect(words).toContain(
      'Made by the preparation steps, deleted after the stacks: hosted zone geo.example.edu (Z0123)',
    );
    expect(words).toContain('its delegation in example.edu is removed too');
    expect(words).toContain('Resuming the destroy started at 2026-12-03T19:00:00Z');
    expect(words).toContain('CodeCommit repositories, kept: geo-class-container, geo-class-cluster');
  });

  it('a single stack reads its status without "all"', () => {
    const one = { ...plan, stacks: [stack('geo-class')] };
    expect(fittedDestroyPlanText(one, details, { width: 80, height: 10 })).toContain(
      'Stacks to delete, in order: geo-class (CREATE_COMPLETE)',
    );
  });
});

describe('the room the questions under the plan take', () => {
  it('a plan that fits with no question (a dry run) is compacted when the questions would push its top off', () => {
    const full = wrapToWidth(destroyPlanText(plan, details), 200);
    const height = rowsOf(full, 200) + 1;
    expect(fittedDestroyPlanText(plan, details, { width: 200, height })).toBe(full);
    expect(fittedDestroyPlanText(plan, details, { width: 200, height, questions: QUESTIONS })).not.toBe(full);
  });
});
