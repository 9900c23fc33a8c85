import { resolve } from 'node:path';
import type { ListrTask } from 'listr2';
import { acmPort } from '../aws/acm-adapter.ts';
import { codeCommitPort } from '../aws/codecommit-adapter.ts';
import { ebsPort } from '../aws/ebs-adapter.ts';
import { ecrPort } from '../aws/ecr-adapter.ts';
import { route53Port } from '../aws/route53-adapter.ts';
import { s3Port } from '../aws/s3-adapter.ts';
import { taggingPort } from '../aws/tagging-adapter.ts';
import { emptyBucket, measureBucket } from '../decommission/bucket-contents.ts';
import { buildDestroyPlan, type DestroyPlan } from '../decommission/destroy-plan.ts';
import { checkExportOrder } from '../decommission/export-order.ts';
import {
  deleteStepResources,
  describeStepResource,
  stepResourcesOf,
} from '../decommission/step-resources.ts';
import {
  deleteTaggedVolumesAndSnapshots,
  describeRepositories,
  emptyRepositories,
  leftovers as findLeftovers,
  findTaggedVolumesAndSnapshots,
} from '../decommission/tagged-resources.ts';
import { ExitCode, StackguideError } from '../errors.ts';
import type { Prompter } from '../install/prompter.ts';
import { type DestroyRecord, Journal, readDeploymentState } from '../journal/journal.ts';
import { type DestroyPlanDetails, destroyPlanText } from '../output/destroy-plan-text.ts';
import { systemClock } from '../runtime/clock.ts';
import { awsSessionFor, existingDeployment, openOutput } from './command-context.ts';
import type { CommonOptions } from './common-options.ts';

export interface DestroyOptions extends CommonOptions {
  dryRun?: boolean;
  /** `--delete-codecommit`: also delete the blueprint's CodeCommit repositories (they hold code). */
  deleteCodecommit?: boolean;
  /** Unattended confirmation: must equal the deployment name. */
  confirm?: string;
}

/**
 * Composition root of `stackguide destroy`: plan, show, confirm by typing the deployment name, then
 * tear down in order, and finish with the leftovers report. Exit 0 when everything of the deployment
 * is gone (but what it keeps on purpose), 1 when something unexpected remains or a stack failed.
 */
export async function destroyCommand(options: DestroyOptions): Promise<number> {
  const signal = options.signal ?? new AbortController().signal;
  const { mode, events, close } = openOutput(options, { plainAlways: true });
  const prompter: Prompter | undefined = mode.interactive
    ? (await import('../../screens/inquirer-prompter.ts')).createInquirerPrompter(signal)
    : undefined;

  try {
    const { blueprint, saved, deployment, region } = await existingDeployment(options, 'destroy');
    const aws = awsSessionFor(options).forRegion(region);
    events.emit({
      type: 'run.started',
      command: 'destroy',
      blueprint: blueprint.product.id,
      deployment,
      region,
    });
    const identity = await aws.identity.whoAmI();
    events.emit({ type: 'identity.resolved', account: identity.account, arn: identity.arn, region });
    if (saved?.account && saved.account !== identity.account) {
      throw new StackguideError(
        `These credentials are for account ${identity.account}, but the answers file pins ${saved.account}`,
        {
          code: 'identity.wrong-account',
          kind: 'user',
        },
      );
    }

    const plan = await buildDestroyPlan({
      blueprint,
      deployment,
      region,
      answers: saved?.answers ?? {},
      cloudFormation: aws.cloudFormation,
    });
    // An interrupted destroy resumes from the plan it showed: nothing outside that plan is acted on.
    const stateDir = resolve(options.stateDir ?? '.stackguide');
    const journaled = await readDeploymentState(stateDir, deployment);
    const interrupted = journaled?.destroy;
    const resuming = interrupted?.status === 'in-progress' ? interrupted : undefined;
    if (resuming) keepOnlyWhatWasPlanned(plan, resuming.plan);
    const order = await checkExportOrder(plan, aws.cloudFormation);
    const s3 = aws.use(s3Port);
    const rules = blueprint.decommission;
    const contents = rules.emptyBuckets
      ? await Promise.all(plan.buckets.map((b) => measureBucket(s3, b.bucket)))
      : [];
    const ecr = aws.use(ecrPort);
    const ebs = aws.use(ebsPort);
    const repositories = rules.emptyRepositories
      ? await describeRepositories(
          ecr,
          plan.repositories.map((r) => r.repository),
        )
      : [];
    // Volumes and snapshots are found now, shown in the plan, and re-checked one by one before deletion.
    const tagged = rules.deleteTaggedVolumesAndSnapshots
      ? await findTaggedVolumesAndSnapshots(ebs, deployment)
      : [];
    let deleteCodeCommit = options.deleteCodecommit === true && plan.codeCommitRepositories.length > 0;
    const stepResources = stepResourcesOf(journaled);
    const details: DestroyPlanDetails = {
      deleteCodeCommit,
      ...(resuming ? { resumedFrom: resuming.startedAt } : {}),
      repositoryImages: Object.fromEntries(repositories.map((r) => [r.name, r.images])),
      extraSections: [
        ...(tagged.length > 0
          ? [
              [
                'EBS volumes and snapshots tagged with this deployment, deleted after the stacks:',
                ...tagged.map((t) => `  - ${t.kind} ${t.id} (${t.sizeGiB} GiB, ${t.state})`),
              ],
            ]
          : []),
        ...(stepResources.length > 0
          ? [
              [
                'Made by the preparation steps, deleted after the stacks (each only if still tagged for this deployment):',
                ...stepResources.map((resource) => `  - ${describeStepResource(resource)}`),
              ],
            ]
          : []),
      ],
      bucketSizes: Object.fromEntries(
        contents.map((c) => [
          c.bucket,
          c.exists
            ? `${c.objects} objects, ${c.versions} versions, ${c.deleteMarkers} delete markers, ${formatBytes(c.bytes)}`
            : 'already gone',
        ]),
      ),
    };
    events.emit({ type: 'destroy.plan', plan });
    process.stderr.write(`\n${destroyPlanText(plan, details)}\n\n`);
    if (order.source !== 'ListImports')
      events.emit({
        type: 'warning',
        code: 'destroy.order-partly-checked',
        message:
          order.source === 'templates'
            ? "The order was checked against the deployment's own templates (ListImports is not offered here): a stack outside the deployment importing an export would not be seen."
            : 'The order could not be checked against exports and imports (ListExports is not offered here).',
      });
    if (order.problems.length > 0) {
      throw new StackguideError('Nothing was deleted: the order would fail on exports still in use', {
        code: 'destroy.order',
        kind: 'user',
        details: order.problems.map((problem) => ({
          path: `${problem.exporter} → ${problem.importer}`,
          message: problem.message,
          fix: problem.fix,
        })),
      });
    }
    if (options.dryRun) return ExitCode.ok;
    if (!deleteCodeCommit && prompter && plan.codeCommitRepositories.length > 0) {
      deleteCodeCommit = await prompter.confirm({
        message: `Also delete the CodeCommit repositories ${plan.codeCommitRepositories.join(', ')}? They hold code: only if you have a copy`,
        default: false,
      });
    }
    if (plan.stacks.length === 0) {
      events.emit({ type: 'run.completed', outcome: 'succeeded', exitCode: ExitCode.ok });
      return ExitCode.ok;
    }

    await confirmDestruction(plan, options, prompter);
    await liftTerminationProtection(plan, options, prompter, aws.cloudFormation);

    const journal = await Journal.open(stateDir, {
      blueprint: { id: blueprint.product.id, version: blueprint.product.version },
      deployment,
      region,
      account: identity.account,
    });
    // Journaled before the first deletion, so a destroy interrupted from here on resumes from this plan.
    const destroyRecord: Omit<DestroyRecord, 'updatedAt'> = resuming ?? {
      status: 'in-progress',
      startedAt: new Date().toISOString(),
      plan: {
        stackIds: plan.stacks.map((stack) => stack.stackId),
        buckets: plan.buckets.map((bucket) => bucket.bucket),
        repositories: plan.repositories.map((repository) => repository.repository),
        codeCommitRepositories: deleteCodeCommit ? plan.codeCommitRepositories : [],
      },
    };
    await journal.recordDestroy(destroyRecord);
    const unsubscribe = events.subscribe((event) => void journal.appendEvent(event));
    try {
      const emptyAll = async (): Promise<void> => {
        await Promise.all(
          plan.buckets.map(async ({ bucket }) => {
            const deleted = await emptyBucket(s3, bucket, { clock: systemClock, signal });
            events.emit({
              type: 'step.progress',
              step: 'empty-buckets',
              message: `${bucket}: ${deleted} versions and markers deleted; CloudFormation deletes the bucket`,
            });
          }),
        );
      };
      const emptyRepositoriesTask = async (): Promise<void> => {
        for (const result of await emptyRepositories(
          ecr,
          repositories.filter((r) => r.exists).map((r) => r.name),
        )) {
          events.emit({
            type: 'step.progress',
            step: 'ecr-repositories',
            message: `${result.name}: ${result.status === 'emptied' ? `${result.images} images deleted; CloudFormation deletes the repository` : result.status}${result.reason ? ` (${result.reason})` : ''}`,
          });
        }
      };
      const before: ListrTask[] = [
        ...(rules.emptyBuckets && plan.buckets.length > 0
          ? [{ title: 'Empty the buckets', task: emptyAll }]
          : []),
        ...(repositories.some((r) => r.exists)
          ? [{ title: 'Empty the ECR repositories', task: emptyRepositoriesTask }]
          : []),
      ];
      const codeCommit = aws.use(codeCommitPort);
      const after: ListrTask[] = [
        ...(stepResources.length > 0
          ? [
              {
                title: 'Delete what the preparation steps made',
                task: async () => {
                  const outcomes = await deleteStepResources(stepResources, deployment, {
                    route53: aws.use(route53Port),
                    acm: aws.use(acmPort),
                  });
                  for (const outcome of outcomes)
                    events.emit({
                      type: 'step.progress',
                      step: 'preparation',
                      message: `${outcome.resource}: ${outcome.status}${outcome.reason ? ` (${outcome.reason})` : ''}`,
                    });
                },
              },
            ]
          : []),
        ...(deleteCodeCommit
          ? [
              {
                title: 'Delete the CodeCommit repositories',
                task: async () => {
                  for (const name of plan.codeCommitRepositories) {
                    const deleted = await codeCommit.deleteRepository(name);
                    events.emit({
                      type: 'step.progress',
                      step: 'codecommit',
                      message: `${name}: ${deleted ? 'deleted' : 'already gone'}`,
                    });
                  }
                },
              },
            ]
          : []),
        ...(tagged.length > 0
          ? [
              {
                title: 'Delete the tagged volumes and snapshots',
                task: async () => {
                  const results = await deleteTaggedVolumesAndSnapshots(ebs, deployment, tagged, {
                    signal,
                    onProgress: (progress) => {
                      if (progress.status !== 'deleting')
                        void journal.appendEvent({
                          type: 'step.progress',
                          step: 'ebs',
                          message: `${progress.kind} ${progress.id}: ${progress.status}`,
                        });
                    },
                  });
                  for (const result of results) {
                    events.emit({
                      type: 'step.progress',
                      step: 'ebs',
                      message: `${result.kind} ${result.id}: ${result.status}${result.reason ? ` (${result.reason})` : ''}`,
                    });
                  }
                },
              },
            ]
          : []),
      ];
      const { runDestroyTasks } = await import('../../tasks/destroy-tasks.ts');
      await runDestroyTasks(
        {
          plan,
          journal,
          cloudFormation: aws.cloudFormation,
          clock: systemClock,
          emit: (event) => events.emit(event),
          signal,
          before,
          after,
          // A DELETE_FAILED on a bucket is most often new objects written since it was emptied.
          beforeRetry: async () => (rules.emptyBuckets ? emptyAll() : undefined),
          ...(prompter
            ? {
                onDeleteFailed: (stack, failures) =>
                  prompter.select({
                    message: `${stack} could not be deleted (${failures.map((f) => `${f.logicalResourceId}: ${f.reason}`).join('; ')}). What now?`,
                    choices: [
                      { value: 'retry' as const, name: 'Empty what can be emptied and retry' },
                      {
                        value: 'retain' as const,
                        name: `Retry, keeping ${failures.map((f) => f.logicalResourceId).join(', ')} (they stay in the account)`,
                      },
                      { value: 'stop' as const, name: 'Stop here' },
                    ],
                  }),
              }
            : {}),
        },
        'silent',
      );
      await journal.recordDestroy({ ...destroyRecord, status: 'complete' });
    } finally {
      unsubscribe();
      await journal.flush();
    }

    // The leftovers report: what still carries the deployment tag, minus what is kept on purpose.
    const expected = [
      ...plan.keptByPolicy.flatMap((k) =>
        k.physicalId
          ? [{ id: k.physicalId, reason: `${k.logicalId} in ${k.stack}: DeletionPolicy ${k.policy}` }]
          : [],
      ),
      ...(deleteCodeCommit ? [] : plan.codeCommitRepositories).map((name) => ({
        id: name,
        reason: 'CodeCommit repository: holds code, kept',
      })),
    ];
    // What the preparation steps made (a shared registry secret, an imported certificate, the hosted
    // zone) is not the stacks' to delete: it is kept, and expected in the report, with who made it.
    for (const [stepId, record] of Object.entries(journaled?.steps ?? {})) {
      // The zone and the certificate were deleted above; what else a step made (a shared secret) stays.
      if (record.kind === 'hostedZone' || record.kind === 'certificate') continue;
      for (const [key, value] of Object.entries(record.outputs ?? {})) {
        if (value.startsWith('arn:') || key === 'hostedZoneId')
          expected.push({
            id: value,
            reason: `made by the ${stepId} step (${record.kind}); kept, delete it yourself when nothing uses it`,
          });
      }
    }
    for (const retained of plan.retained) {
      const stack = await aws.cloudFormation.describeStack(retained.name);
      if (stack) expected.push({ id: stack.stackId, reason: `${retained.name}, kept by the blueprint` });
      for (const resource of await aws.cloudFormation.listStackResources(retained.name)) {
        if (resource.physicalResourceId)
          expected.push({
            id: resource.physicalResourceId,
            reason: `part of ${retained.name}, kept by the blueprint`,
          });
      }
    }
    const leftovers = await findLeftovers(aws.use(taggingPort), deployment, {
      expected,
      untaggable: {
        names: [...rules.untaggable, ...(deleteCodeCommit ? [] : plan.codeCommitRepositories)],
        codeCommit: aws.use(codeCommitPort),
      },
    });
    events.emit({ type: 'destroy.leftovers', ...leftovers });
    const exitCode = leftovers.unexpected.length > 0 ? ExitCode.failed : ExitCode.ok;
    events.emit({
      type: 'run.completed',
      outcome: exitCode === ExitCode.ok ? 'succeeded' : 'failed',
      exitCode,
    });
    return exitCode;
  } finally {
    close();
  }
}

/** Narrows a fresh plan to what the interrupted destroy's plan listed (a stack recreated since is not ours to delete). */
function keepOnlyWhatWasPlanned(plan: DestroyPlan, saved: DestroyRecord['plan']): void {
  const stacks = new Set(saved.stackIds);
  for (const stack of plan.stacks.filter((candidate) => !stacks.has(candidate.stackId)))
    plan.absent.push(`${stack.name} (not in the saved plan: left alone)`);
  plan.stacks = plan.stacks.filter((stack) => stacks.has(stack.stackId));
  plan.buckets = plan.buckets.filter((bucket) => saved.buckets.includes(bucket.bucket));
  plan.repositories = plan.repositories.filter((repository) =>
    saved.repositories.includes(repository.repository),
  );
  plan.terminationProtected = plan.terminationProtected.filter((name) =>
    plan.stacks.some((stack) => stack.name === name),
  );
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

async function confirmDestruction(
  plan: DestroyPlan,
  options: DestroyOptions,
  prompter: Prompter | undefined,
): Promise<void> {
  if (options.confirm !== undefined) {
    if (options.confirm === plan.deployment) return;
    throw new StackguideError(
      `--confirm ${options.confirm} does not match the deployment ${plan.deployment}: nothing was deleted`,
      {
        code: 'confirmation.mismatch',
        kind: 'user',
        details: [
          { path: '--confirm', message: `"${options.confirm}"`, fix: `Pass --confirm ${plan.deployment}.` },
        ],
      },
    );
  }
  if (!prompter) {
    throw new StackguideError(
      'Nothing was deleted: an unattended destroy needs --confirm <deployment name>',
      {
        code: 'confirmation.required',
        kind: 'user',
        nextSteps: [`Read the plan above, then run again with --confirm ${plan.deployment}.`],
      },
    );
  }
  const typed = await prompter.input({
    message: `Type the deployment name (${plan.deployment}) to delete everything listed above`,
    validate: () => true,
  });
  if (typed !== plan.deployment) {
    throw new StackguideError('Nothing was deleted: the name typed does not match', {
      code: 'cancelled',
      kind: 'cancelled',
    });
  }
}

async function liftTerminationProtection(
  plan: DestroyPlan,
  options: DestroyOptions,
  prompter: Prompter | undefined,
  cloudFormation: { setTerminationProtection(stackId: string, enabled: boolean): Promise<void> },
): Promise<void> {
  if (plan.terminationProtected.length === 0) return;
  const names = plan.terminationProtected.join(', ');
  const lift = prompter
    ? await prompter.confirm({
        message: `Termination protection is on for ${names}. Lift it so they can be deleted?`,
        default: false,
      })
    : options.yes === true;
  if (!lift) {
    throw new StackguideError(`Nothing was deleted: termination protection is on for ${names}`, {
      code: 'destroy.termination-protection',
      kind: 'user',
      nextSteps: ['Run destroy in a terminal and agree to lift it, or add --yes to lift it unattended.'],
    });
  }
  for (const stack of plan.stacks.filter((s) => plan.terminationProtected.includes(s.name))) {
    await cloudFormation.setTerminationProtection(stack.stackId, false);
  }
}
