import { describe, expect, it } from 'vitest';
import { destroyPlanDetails } from '../../src/decommission/destroy-survey.ts';
import type { DestroyPlan } from '../../src/events.ts';
import { destroyPlanCount, destroyPlanText } from '../../src/output/destroy-plan-text.ts';
import { wrapToWidth } from '../../src/output/terminal-text.ts';

/**
 * The destroy plan as a terminal of 80 columns shows it (trial finding 55: opensarlab's plan had words
 * cut at the window's edge): wrapped by words, a list item's continuation under its text, a heading's
 * two in, and an empty bucket or repository said in one word.
 */

const plan: DestroyPlan = {
  deployment: 'geo-class',
  region: 'us-east-1',
  stacks: [
    {
      name: 'geo-class-cluster-pipeline',
      stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/geo-class-cluster-pipeline/1',
      status: 'CREATE_COMPLETE',
    },
  ],
  retained: [],
  absent: ['geo-class-jupyterhub', 'geo-class-cluster', 'geo-class-cognito'],
  buckets: [
    {
      stack: 'geo-class-container',
      logicalId: 'Bucket',
      bucket: 'codepipeline-us-east-1-geo-class-container',
    },
    { stack: 'geo-class', logicalId: 'Lambda', bucket: 'us-east-1-geo-class-lambda' },
  ],
  repositories: [{ stack: 'geo-class', logicalId: 'Hub', repository: 'geo-class/hub' }],
  keptByPolicy: [],
  terminationProtected: [],
  codeCommitRepositories: ['geo-class-container', 'geo-class-cluster'],
  cautions: [
    'Do NOT take down the cognito stack or the CloudWatch logs; they are used for statistical analysis later.',
  ],
  untaggedButDeclared: [],
  unreadableTemplates: [],
  platformTags: [],
};

const survey = {
  buckets: [
    {
      bucket: 'codepipeline-us-east-1-geo-class-container',
      exists: true,
      objects: 2,
      versions: 3,
      deleteMarkers: 1,
      bytes: 12,
    },
    {
      bucket: 'us-east-1-geo-class-lambda',
      exists: true,
      objects: 0,
      versions: 0,
      deleteMarkers: 0,
      bytes: 0,
    },
  ],
  repositories: [{ name: 'geo-class/hub', images: 0 }],
  tagged: [],
  stepResources: [],
} as unknown as Parameters<typeof destroyPlanDetails>[0];

describe('the destroy plan at 80 columns (trial finding 55)', () => {
  const text = destroyPlanText(plan, destroyPlanDetails(survey, { deleteCodeCommit: false }));

  it('wraps by words, never past the width, each continuation under the text it continues', () => {
    const lines = wrapToWidth(text, 80).split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(lines).toEqual([
      'Destroy plan for deployment geo-class in us-east-1',
      '',
      'Stacks to delete, in this order:',
      '  1. geo-class-cluster-pipeline (CREATE_COMPLETE)',
      '',
      'Buckets to empty (every version; CloudFormation then deletes the bucket):',
      '  - codepipeline-us-east-1-geo-class-container in geo-class-container: 2',
      '    objects, 3 versions, 1 delete markers, 12 B',
      '  - us-east-1-geo-class-lambda in geo-class: empty',
      '',
      'ECR repositories to empty first (CloudFormation deletes them with their stacks;',
      '  it refuses one holding images):',
      '  - geo-class/hub in geo-class: empty',
      '',
      'CodeCommit repositories, kept (they hold code; --delete-codecommit deletes them',
      '  once you have a copy): geo-class-container, geo-class-cluster',
      '',
      'Not found (never created or already deleted): geo-class-jupyterhub,',
      '  geo-class-cluster, geo-class-cognito',
      '',
      '⚠ Do NOT take down the cognito stack or the CloudWatch logs; they are used for',
      '  statistical analysis later.',
    ]);
  });

  it('a numbered item continues under its text', () => {
    const long = {
      ...plan,
      stacks: [
        { ...(plan.stacks[0] as DestroyPlan['stacks'][number]), name: 'geo-class-a-rather-long-stack-name' },
      ],
      terminationProtected: ['geo-class-a-rather-long-stack-name'],
      untaggedButDeclared: ['geo-class-a-rather-long-stack-name'],
    };
    const lines = wrapToWidth(destroyPlanText(long), 80).split('\n');
    expect(lines.slice(3, 5)).toEqual([
      '  1. geo-class-a-rather-long-stack-name (CREATE_COMPLETE) [termination',
      '     protection on] [named by the blueprint; no deployment tag]',
    ]);
  });
});

describe('the typed confirmation says what it deletes, counted (the plan above may have scrolled off)', () => {
  it('counts each kind the plan deletes, and only those', () => {
    const none = { stepResources: 0, tagged: 0, deleteCodeCommit: false };
    expect(destroyPlanCount(plan, none)).toBe('1 stack, 2 buckets and 1 ECR repository');
    expect(destroyPlanCount(plan, { stepResources: 1, tagged: 2, deleteCodeCommit: true })).toBe(
      '1 stack, 2 buckets, 1 ECR repository, 1 resource of the preparation steps, 2 tagged EBS volumes or snapshots and 2 CodeCommit repositories',
    );
    const stacksOnly = { ...plan, buckets: [], repositories: [] };
    expect(destroyPlanCount(stacksOnly, none)).toBe('1 stack');
    expect(destroyPlanCount({ ...stacksOnly, stacks: [] }, none)).toBe('everything');
  });
});
