import type { DestroyPlan } from '../decommission/destroy-plan.ts';

/** The destroy plan as the operator reads it before confirming (plain text; the same for Ink and CI). */
export function destroyPlanText(plan: DestroyPlan, details: DestroyPlanDetails = {}): string {
  const lines = [`Destroy plan for deployment ${plan.deployment} in ${plan.region}`, ''];
  if (plan.stacks.length === 0)
    lines.push(
      details.extraSections?.length
        ? 'No stacks of this deployment exist.'
        : 'No stacks of this deployment exist: nothing to delete.',
    );
  else {
    lines.push('Stacks to delete, in this order:');
    plan.stacks.forEach((stack, index) => {
      const protectedNote = plan.terminationProtected.includes(stack.name)
        ? ' [termination protection on]'
        : '';
      const untagged = plan.untaggedButDeclared.includes(stack.name)
        ? ' [named by the blueprint; no deployment tag]'
        : '';
      lines.push(`  ${index + 1}. ${stack.name} (${stack.status})${protectedNote}${untagged}`);
    });
  }
  if (plan.retained.length > 0) {
    lines.push('', 'Kept, never touched:');
    for (const kept of plan.retained) lines.push(`  = ${kept.name} (${kept.status})`);
  }
  if (plan.buckets.length > 0) {
    lines.push('', 'Buckets to empty (every version; CloudFormation then deletes the bucket):');
    for (const bucket of plan.buckets) {
      const size = details.bucketSizes?.[bucket.bucket];
      lines.push(`  - ${bucket.bucket} in ${bucket.stack}${size ? `: ${size}` : ''}`);
    }
  }
  if (plan.repositories.length > 0) {
    lines.push(
      '',
      details.repositoryImages
        ? 'ECR repositories to empty first (CloudFormation deletes them with their stacks; it refuses one holding images):'
        : 'ECR repositories, not emptied (decommission.emptyRepositories is off; CloudFormation refuses one holding images):',
    );
    for (const repository of plan.repositories) {
      const images = details.repositoryImages?.[repository.repository];
      lines.push(
        `  - ${repository.repository} in ${repository.stack}${images === undefined ? '' : images === 0 ? ': empty' : `: ${images} image(s)`}`,
      );
    }
  }
  if (plan.keptByPolicy.length > 0) {
    lines.push('', 'Will remain after the stacks are gone (DeletionPolicy):');
    for (const kept of plan.keptByPolicy)
      lines.push(
        `  ! ${kept.logicalId} (${kept.type}) in ${kept.stack}: ${kept.policy}${kept.physicalId ? ` ${kept.physicalId}` : ''}`,
      );
  }
  if (plan.unreadableTemplates.length > 0) {
    lines.push('', '⚠ Templates not read (destroy.template-unreadable): this plan may miss what they keep:');
    for (const unread of plan.unreadableTemplates)
      lines.push(`  ! ${unread.stack}: ${unread.message}`, `    fix: ${unread.fix}`);
  }
  for (const line of details.extraSections ?? []) lines.push('', ...line);
  if (plan.codeCommitRepositories.length > 0) {
    lines.push(
      '',
      details.deleteCodeCommit
        ? `CodeCommit repositories, deleted after the stacks (you opted in): ${plan.codeCommitRepositories.join(', ')}`
        : `CodeCommit repositories, kept (they hold code; --delete-codecommit deletes them once you have a copy): ${plan.codeCommitRepositories.join(', ')}`,
    );
  }
  if (details.resumedFrom)
    lines.push(
      '',
      `Resuming the destroy started at ${details.resumedFrom}: only what its saved plan listed is acted on.`,
    );
  if (plan.absent.length > 0)
    lines.push('', `Not found (never created or already deleted): ${plan.absent.join(', ')}`);
  for (const caution of plan.cautions) lines.push('', `⚠ ${caution}`);
  return lines.join('\n');
}

export interface DestroyPlanDetails {
  /** "1,234 objects, 2,345 versions, 12 MiB" by bucket name. */
  bucketSizes?: Record<string, string>;
  repositoryImages?: Record<string, number>;
  /** Further sections (tagged volumes and snapshots), each a list of lines. */
  extraSections?: string[][];
  /** The operator opted in to deleting the blueprint's CodeCommit repositories. */
  deleteCodeCommit?: boolean;
  /** When this run resumes an interrupted destroy: when that one started. */
  resumedFrom?: string;
}

/**
 * What the plan deletes, counted, for the typed confirmation under it: at 80x24 the top of a long plan
 * (opensarlab's is 40 lines) has scrolled off when the name is asked, so the question says it again in
 * one phrase ("3 stacks, 3 buckets, 3 ECR repositories and 1 resource of the preparation steps").
 */
export function destroyPlanCount(
  plan: DestroyPlan,
  more: { stepResources: number; tagged: number; deleteCodeCommit: boolean },
): string {
  const counted = [
    counting(plan.stacks.length, 'stack', 'stacks'),
    counting(plan.buckets.length, 'bucket', 'buckets'),
    counting(plan.repositories.length, 'ECR repository', 'ECR repositories'),
    counting(more.stepResources, 'resource of the preparation steps', 'resources of the preparation steps'),
    counting(more.tagged, 'tagged EBS volume or snapshot', 'tagged EBS volumes or snapshots'),
    counting(
      more.deleteCodeCommit ? plan.codeCommitRepositories.length : 0,
      'CodeCommit repository',
      'CodeCommit repositories',
    ),
  ].filter((each) => each !== '');
  if (counted.length === 0) return 'everything';
  return counted.length === 1
    ? (counted[0] ?? '')
    : `${counted.slice(0, -1).join(', ')} and ${counted.at(-1) ?? ''}`;
}

function counting(count: number, one: string, many: string): string {
  return count === 0 ? '' : `${count} ${count === 1 ? one : many}`;
}
