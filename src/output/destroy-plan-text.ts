import type { DestroyPlan } from '../decommission/destroy-plan.ts';
import { wrapToWidth } from './terminal-text.ts';
import { hangingWrap, rowsOf } from './wrap.ts';

/** The destroy plan as the operator reads it before confirming (plain text; the same for Ink and CI). */
export function destroyPlanText(plan: DestroyPlan, details: DestroyPlanDetails = {}): string {
  return planLines(plan, details, 0).join('\n');
}

/**
 * The plan in a terminal of `width` x `height`, wrapped, compacted as little as it takes to leave the
 * questions after it on the same screen (trial finding 68: opensarlab's was 44 lines at 80x24 and the
 * question's "listed above" was scrolled off), as the review and status fold to the window: first the
 * cautions lose their blank lines; then each section's items go on one line ("a, b, c (all empty)"),
 * headings lose their explanations, a bucket's stack is left out and a preparation step's resource is
 * named by its kind and short id (`ACM certificate 7c33…`, never an ARN the terminal folds mid-token);
 * last the blank lines go. Nothing deleted or emptied is ever left unnamed (a
 * destructive question follows), and a non-empty bucket or repository keeps its counts. A compacted
 * plan says so, and how to read it all: `--dry-run > plan.txt` (a pipe or a file gets the full plan).
 */
export function fittedDestroyPlanText(
  plan: DestroyPlan,
  details: DestroyPlanDetails,
  window: {
    width: number;
    height: number;
    questions?: readonly string[];
    /** A dry run's last words (`Dry run: nothing was deleted. To delete: <command>`), under the plan. */
    ending?: string;
  },
): string {
  // Under the plan: a blank line, then each question as the prompter draws it (wrapped by words under
  // its `? `, with room on its last line for `(y/N)` or the typed name: screens/inquirer-prompter.ts
  // keeps 16 columns for an answer), and a row to spare for its answer. Counted as it wraps: the typed
  // name's question is 3 rows at 80 columns where a plain wrap of it made 2, and the plan's top row
  // scrolled off (seen in the guided opensarlab tmux test). The blank line above may scroll off.
  // A dry run's ending is printed as it wraps (its command cut with `\`), then the run's last line
  // (`[     0s] succeeded`) and the shell's prompt.
  const room = '\uE000'.repeat(ANSWER_ROOM);
  const after = (window.questions ?? []).reduce(
    (rows, question) => rows + hangingWrap('? ', `${question}${room}`, '  ', window.width - 1).length + 1,
    1 +
      (window.ending === undefined ? 0 : rowsOf(wrapToWidth(window.ending, window.width), window.width) + 2),
  );
  let text = '';
  for (const level of [0, 1, 2, 3] as const) {
    text = wrapToWidth(planLines(plan, details, level).join('\n'), window.width);
    if (rowsOf(text, window.width) + after <= window.height) return text;
  }
  return text;
}

/** Columns a question keeps on its last line for what follows it (the prompter's 16 and a space). */
const ANSWER_ROOM = 17;

/** 0 full; 1 cautions without blank lines between; 2 each section packed; 3 no blank line left. */
type Compaction = 0 | 1 | 2 | 3;

function planLines(plan: DestroyPlan, details: DestroyPlanDetails, level: Compaction): string[] {
  const packed = level >= 2;
  const gap = level >= 3 ? [] : [''];
  const lines = [`Destroy plan for deployment ${plan.deployment} in ${plan.region}`, ...gap];
  const section = (heading: string, items: string[]): void => {
    if (packed) lines.push(...gap, `${heading} ${items.join(', ')}`);
    else lines.push(...gap, heading, ...items.map((item) => `  ${item}`));
  };
  if (plan.stacks.length === 0)
    lines.push(
      details.extraSections?.length
        ? 'No stacks of this deployment exist.'
        : 'No stacks of this deployment exist: nothing to delete.',
    );
  else {
    const noted = (name: string): string =>
      `${plan.terminationProtected.includes(name) ? ' [termination protection on]' : ''}${
        plan.untaggedButDeclared.includes(name) ? ' [named by the blueprint; no deployment tag]' : ''
      }`;
    const statuses = new Set(plan.stacks.map((stack) => stack.status));
    if (packed && statuses.size === 1)
      lines.push(
        `Stacks to delete, in order: ${plan.stacks.map((stack) => `${stack.name}${noted(stack.name)}`).join(', ')} (${plan.stacks.length === 1 ? '' : 'all '}${[...statuses][0]})`,
      );
    else if (packed)
      lines.push(
        `Stacks to delete, in order: ${plan.stacks.map((stack) => `${stack.name} (${stack.status})${noted(stack.name)}`).join(', ')}`,
      );
    else {
      lines.push('Stacks to delete, in this order:');
      plan.stacks.forEach((stack, index) => {
        lines.push(`  ${index + 1}. ${stack.name} (${stack.status})${noted(stack.name)}`);
      });
    }
  }
  if (plan.retained.length > 0)
    section(
      'Kept, never touched:',
      plan.retained.map((kept) => `${packed ? '' : '= '}${kept.name} (${kept.status})`),
    );
  if (plan.buckets.length > 0) {
    const size = (bucket: string): string | undefined => details.bucketSizes?.[bucket];
    if (packed)
      lines.push(...gap, `Buckets to empty: ${grouped(plan.buckets.map((b) => [b.bucket, size(b.bucket)]))}`);
    else
      section(
        'Buckets to empty (every version; CloudFormation then deletes the bucket):',
        plan.buckets.map((b) => `- ${b.bucket} in ${b.stack}${size(b.bucket) ? `: ${size(b.bucket)}` : ''}`),
      );
  }
  if (plan.repositories.length > 0) {
    const images = (repository: string): string | undefined => {
      const count = details.repositoryImages?.[repository];
      return count === undefined ? undefined : count === 0 ? 'empty' : `${count} image(s)`;
    };
    const heading = details.repositoryImages
      ? packed
        ? 'ECR repositories to empty first:'
        : 'ECR repositories to empty first (CloudFormation deletes them with their stacks; it refuses one holding images):'
      : packed
        ? 'ECR repositories, not emptied (decommission.emptyRepositories is off):'
        : 'ECR repositories, not emptied (decommission.emptyRepositories is off; CloudFormation refuses one holding images):';
    if (packed)
      lines.push(
        ...gap,
        `${heading} ${grouped(plan.repositories.map((r) => [r.repository, images(r.repository)]))}`,
      );
    else
      section(
        heading,
        plan.repositories.map((r) => {
          const note = images(r.repository);
          return `- ${r.repository} in ${r.stack}${note ? `: ${note}` : ''}`;
        }),
      );
  }
  if (plan.keptByPolicy.length > 0) {
    lines.push(...gap, 'Will remain after the stacks are gone (DeletionPolicy):');
    for (const kept of plan.keptByPolicy)
      lines.push(
        `  ! ${kept.logicalId} (${kept.type}) in ${kept.stack}: ${kept.policy}${kept.physicalId ? ` ${kept.physicalId}` : ''}`,
      );
  }
  if (plan.unreadableTemplates.length > 0) {
    lines.push(
      ...gap,
      '⚠ Templates not read (destroy.template-unreadable): this plan may miss what they keep:',
    );
    for (const unread of plan.unreadableTemplates)
      lines.push(`  ! ${unread.stack}: ${unread.message}`, `    fix: ${unread.fix}`);
  }
  for (const extra of (packed ? details.packedSections : undefined) ?? details.extraSections ?? [])
    lines.push(...gap, ...extra);
  if (plan.codeCommitRepositories.length > 0) {
    const names = plan.codeCommitRepositories.join(', ');
    lines.push(
      ...gap,
      details.deleteCodeCommit
        ? `CodeCommit repositories, deleted after the stacks${packed ? '' : ' (you opted in)'}: ${names}`
        : details.askCodeCommit
          ? // Packed, short enough for opensarlab's two names on one row at 80 columns.
            `CodeCommit repositories (${packed ? 'asked below' : 'you are asked below whether to delete them; they hold code'}): ${names}`
          : packed
            ? `CodeCommit repositories, kept: ${names}`
            : `CodeCommit repositories, kept (they hold code; --delete-codecommit deletes them once you have a copy): ${names}`,
    );
  }
  if (details.resumedFrom)
    lines.push(
      ...gap,
      `Resuming the destroy started at ${details.resumedFrom}: only what its saved plan listed is acted on.`,
    );
  if (plan.absent.length > 0)
    lines.push(
      ...gap,
      `Not found${packed ? '' : ' (never created or already deleted)'}: ${plan.absent.join(', ')}`,
    );
  plan.cautions.forEach((caution, index) => {
    lines.push(...(level === 0 || index === 0 ? gap : []), `⚠ ${caution}`);
  });
  // A file, not `| less`: Node.js restores the terminal's settings as it exits (nodejs/node#41143), which
  // can leave a pager it pipes into ignoring keys until Enter. A dry run is already one (trial finding 98).
  if (packed)
    lines.push(
      ...gap,
      `Compacted to fit the window (${details.dryRun ? 'the same command' : '--dry-run'} > plan.txt writes the full plan)`,
    );
  return lines;
}

/**
 * Names with what each holds, packed: those holding the same go together, said once after them
 * ("a, b, c (all empty)"; "big (2 objects, 3 versions, …); a, b (all empty)"); names with nothing
 * measured stand alone.
 */
function grouped(items: Array<[string, string | undefined]>): string {
  const groups = new Map<string | undefined, string[]>();
  for (const [name, note] of items) groups.set(note, [...(groups.get(note) ?? []), name]);
  return [...groups]
    .map(([note, names]) =>
      note === undefined
        ? names.join(', ')
        : `${names.join(', ')} (${names.length === 1 ? '' : 'all '}${note})`,
    )
    .join('; ');
}

export interface DestroyPlanDetails {
  /** "1,234 objects, 2,345 versions, 12 MiB" by bucket name. */
  bucketSizes?: Record<string, string>;
  repositoryImages?: Record<string, number>;
  /** Further sections (tagged volumes and snapshots), each a list of lines. */
  extraSections?: string[][];
  /** The same sections compacted, each on one line, each thing still named (see fittedDestroyPlanText). */
  packedSections?: string[][];
  /** The operator opted in to deleting the blueprint's CodeCommit repositories. */
  deleteCodeCommit?: boolean;
  /**
   * Whether to delete them is asked right after the plan: it must not say "kept" above a question
   * that may delete them (trial finding 96); "kept" only when the answer is already known.
   */
  askCodeCommit?: boolean;
  /** When this run resumes an interrupted destroy: when that one started. */
  resumedFrom?: string;
  /** `--dry-run`: the plan is the result, and the hint to see it whole says so. */
  dryRun?: boolean;
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
