import type {
  ChangeSetDescription,
  CloudFormationPort,
  CreateChangeSetInput,
  ResourceChange,
} from '../aws/cloudformation-port.ts';
import { StackguideError } from '../errors.ts';
import type { ParameterChange } from '../events.ts';
import type { Clock } from '../runtime/clock.ts';

/**
 * Change sets: every create and update goes through one, so the operator sees what will change before
 * it does. This module creates one, waits until CloudFormation has computed it, and turns it into a
 * reviewable summary (nested change sets as a tree). It never prints.
 */
export interface ChangeSetSummary {
  stackName: string;
  stackId: string;
  changeSetId: string;
  type: 'CREATE' | 'UPDATE';
  changes: ReviewedChange[];
  /**
   * The stack's parameters this change set changes, deployed → new, as the run planned them: a
   * parameter-only update has no resource rows (or rows that do not name parameters), and still changes.
   */
  parameterChanges?: ParameterChange[];
  /** CloudFormation found nothing to do: the change set FAILED with "didn't contain changes". */
  empty: boolean;
  /** IAM resources added or modified: the capabilities acknowledgement lists them. */
  iamResources: string[];
  capabilities: string[];
  /** Stateful resources that will be replaced (data loss): these need a typed confirmation. */
  statefulReplacements: string[];
}

export interface ReviewedChange extends ResourceChange {
  /** Changes of a nested stack's own change set. */
  nested?: ReviewedChange[];
  stateful: boolean;
}

/** Resource types whose replacement destroys data: databases, buckets, file systems, volumes, user pools. */
const STATEFUL_TYPES = [
  /^AWS::RDS::DB(Instance|Cluster)$/,
  /^AWS::DynamoDB::(Global)?Table$/,
  /^AWS::S3::Bucket$/,
  /^AWS::EFS::FileSystem$/,
  /^AWS::FSx::FileSystem$/,
  /^AWS::EC2::Volume$/,
  /^AWS::Cognito::UserPool$/,
  /^AWS::ElastiCache::(CacheCluster|ReplicationGroup)$/,
  /^AWS::OpenSearchService::Domain$/,
  /^AWS::Elasticsearch::Domain$/,
  /^AWS::DocDB::DBCluster$/,
  /^AWS::Neptune::DBCluster$/,
  /^AWS::Kinesis::Stream$/,
];

function isStateful(resourceType: string): boolean {
  return STATEFUL_TYPES.some((pattern) => pattern.test(resourceType));
}

/**
 * An update with nothing to do: CloudFormation still creates the change set, then marks it FAILED
 * (ExecutionStatus UNAVAILABLE) with this StatusReason, "The submitted information didn't contain
 * changes. Submit different information to create a change set." (DescribeChangeSet's StatusReason).
 */
const EMPTY_REASON = /^The submitted information didn't contain changes/;

export interface ChangeSetDeps {
  cloudFormation: CloudFormationPort;
  clock: Clock;
  signal?: AbortSignal;
}

export async function createChangeSet(
  input: CreateChangeSetInput,
  deps: ChangeSetDeps,
): Promise<ChangeSetSummary> {
  const { changeSetId, stackId } = await deps.cloudFormation.createChangeSet(input);
  const description = await waitForChangeSet(changeSetId, deps);
  const empty = description.status === 'FAILED' && EMPTY_REASON.test(description.statusReason ?? '');
  if (description.status === 'FAILED' && !empty) {
    throw new StackguideError(
      `CloudFormation could not prepare the changes to ${input.stackName}: ${description.statusReason ?? 'no reason given'}`,
      {
        code: 'changeset.failed',
        kind: 'aws',
        nextSteps: ['Fix the template or parameters named in the reason, then run the command again.'],
      },
    );
  }
  const changes = await reviewChanges(description.changes, deps);
  const flat = flatten(changes);
  return {
    stackName: input.stackName,
    stackId: description.stackId || stackId,
    changeSetId,
    type: input.changeSetType,
    changes,
    empty,
    capabilities: input.capabilities,
    iamResources: flat
      .filter((c) => c.resourceType.startsWith('AWS::IAM::') && c.action !== 'Remove')
      .map((c) => `${c.logicalResourceId} (${c.resourceType})`),
    statefulReplacements: flat
      .filter(
        (c) =>
          c.stateful &&
          (c.replacement === 'True' || c.replacement === 'Conditional' || c.action === 'Remove'),
      )
      .map(
        (c) =>
          `${c.logicalResourceId} (${c.resourceType}${c.action === 'Remove' ? ', removed' : `, replacement ${c.replacement}`})`,
      ),
  };
}

/** Polls until CloudFormation has finished computing the change set (seconds, usually). */
async function waitForChangeSet(changeSetId: string, deps: ChangeSetDeps): Promise<ChangeSetDescription> {
  let interval = 500;
  for (let attempt = 0; attempt < 240; attempt++) {
    const description = await deps.cloudFormation.describeChangeSet(changeSetId);
    if (!['CREATE_PENDING', 'CREATE_IN_PROGRESS'].includes(description.status)) return description;
    await deps.clock.sleep(interval, deps.signal);
    interval = Math.min(5_000, interval * 1.5);
  }
  throw new StackguideError('CloudFormation took more than 20 minutes to prepare the change set', {
    code: 'changeset.timeout',
    kind: 'aws',
    nextSteps: [`Look at the change set in the console (${changeSetId}), then run the command again.`],
  });
}

async function reviewChanges(
  changes: readonly ResourceChange[],
  deps: ChangeSetDeps,
): Promise<ReviewedChange[]> {
  return Promise.all(
    changes.map(async (change) => {
      const nested =
        change.resourceType === 'AWS::CloudFormation::Stack' && change.changeSetId
          ? await reviewChanges(
              (await deps.cloudFormation.describeChangeSet(change.changeSetId)).changes,
              deps,
            )
          : undefined;
      return { ...change, stateful: isStateful(change.resourceType), ...(nested ? { nested } : {}) };
    }),
  );
}

function flatten(changes: readonly ReviewedChange[]): ReviewedChange[] {
  return changes.flatMap((change) => [change, ...flatten(change.nested ?? [])]);
}

/** Removes a change set the operator declined; for a create, also the empty REVIEW_IN_PROGRESS stack. */
export async function discardChangeSet(
  summary: ChangeSetSummary,
  cloudFormation: CloudFormationPort,
  token: string,
): Promise<void> {
  await cloudFormation.deleteChangeSet(summary.changeSetId);
  if (summary.type === 'CREATE') await cloudFormation.deleteStack(summary.stackId, token);
}

/**
 * Executes the change set this run made. When CloudFormation acted on the call but its answer was lost
 * (a connection reset), the SDK retries it and CloudFormation refuses the retry: the change set is
 * executing already. This run holds the deployment lock and made that change set, so the execution is
 * its own: it goes on and follows it rather than failing a deploy that is under way.
 */
export async function executeOwnChangeSet(
  cloudFormation: CloudFormationPort,
  changeSetId: string,
  token: string,
  disableRollback: boolean,
): Promise<void> {
  try {
    await cloudFormation.executeChangeSet(changeSetId, token, disableRollback ? { disableRollback } : {});
  } catch (error) {
    const cause = error instanceof StackguideError && error.cause !== undefined ? error.cause : error;
    const name = (cause as { name?: string } | undefined)?.name ?? '';
    if (!/^InvalidChangeSetStatus/.test(name)) throw error;
    const { executionStatus } = await cloudFormation.describeChangeSet(changeSetId);
    if (!executionStatus?.startsWith('EXECUTE_')) throw error;
  }
}
