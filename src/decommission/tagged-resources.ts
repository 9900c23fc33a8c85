import type { CodeCommitPort } from '../aws/codecommit-port.ts';
import type { EbsPort, EbsSnapshot, EbsVolume } from '../aws/ebs-port.ts';
import type { EcrPort } from '../aws/ecr-port.ts';
import type { TaggingPort } from '../aws/tagging-port.ts';
import { DEPLOYMENT_TAG } from '../deployment-tags.ts';
import { StackguideError, toStackguideError } from '../errors.ts';

/**
 * What a deployment leaves outside its stacks, and the checks that keep destroy from touching anything
 * else: EBS volumes and snapshots (found by the deployment tag and re-checked right before each delete),
 * ECR repositories (only the names the caller took from the deployment's stacks), and the leftovers
 * report (the tagging API by the deployment tag, plus what the blueprint says it cannot see).
 *
 * The safety rule of issue 6: never act on a resource that is neither in one of the deployment's stacks
 * nor tagged with its deployment tag.
 */

/**
 * A tag whose value marks a resource as the deployment's: stackguide's own deployment tag (every stack
 * carries it, install-plan.ts, and CloudFormation propagates it), or one the platform puts on what it
 * creates outside CloudFormation, named by the blueprint's decommission.platformTags (OpenSARlab's
 * `osl-stackname` on the volumes and snapshots of its EKS cluster).
 */
export interface OwnershipTag {
  key: string;
  value: string;
}

/** The deployment tag first, then the platform's, without repeats. */
function ownershipTags(deployment: string, platformTags: readonly OwnershipTag[]): OwnershipTag[] {
  const all = [{ key: DEPLOYMENT_TAG, value: deployment }, ...platformTags];
  return all.filter(
    (tag, index) => all.findIndex((t) => t.key === tag.key && t.value === tag.value) === index,
  );
}

const describeTag = (tag: OwnershipTag): string => `${tag.key}=${tag.value}`;

/** Deletes in flight at once: EC2 and ECR throttle mutating calls per account. */
const DEFAULT_CONCURRENCY = 4;

// ---------------------------------------------------------------------------------------------------
// EBS volumes and snapshots

export interface TaggedEbsResource {
  kind: 'volume' | 'snapshot';
  id: string;
  sizeGiB: number;
  /** Volumes: creating, available, in-use, ...; snapshots: pending, completed, ... */
  state: string;
  tags: Record<string, string>;
  /** Volumes: the instances it is attached to. */
  attachedTo?: string[];
  /** Snapshots: the volume it was taken from. */
  volumeId?: string;
  /** The ownership tag it was found by, and must still carry right before it is deleted. */
  ownedBy: OwnershipTag;
}

/**
 * Volumes, then snapshots (this account's own), that carry `stackguide:deployment=<deployment>` or one
 * of the platform's ownership tags. Each is listed once, with the first tag it was found by.
 */
export async function findTaggedVolumesAndSnapshots(
  ebs: EbsPort,
  deployment: string,
  platformTags: readonly OwnershipTag[] = [],
): Promise<TaggedEbsResource[]> {
  requireDeployment(deployment);
  const found = await Promise.all(
    ownershipTags(deployment, platformTags).map(async (tag) => {
      const [volumes, snapshots] = await Promise.all([
        ebs.volumesTagged(tag.key, tag.value),
        ebs.snapshotsTagged(tag.key, tag.value),
      ]);
      // The filter is AWS's; the tag is checked here again before anything is deleted, so a filter we
      // built wrongly can never widen what destroy removes.
      const ours = <T extends { tags: Record<string, string> }>(items: T[]) =>
        items.filter((item) => item.tags[tag.key] === tag.value);
      return [
        ...ours(volumes).map((volume) => fromVolume(volume, tag)),
        ...ours(snapshots).map((snapshot) => fromSnapshot(snapshot, tag)),
      ];
    }),
  );
  const byId = new Map<string, TaggedEbsResource>();
  for (const item of found.flat()) if (!byId.has(item.id)) byId.set(item.id, item);
  const sorted = [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  return [
    ...sorted.filter((item) => item.kind === 'volume'),
    ...sorted.filter((item) => item.kind === 'snapshot'),
  ];
}

/**
 * `deleted`: AWS accepted the delete. `skipped`: its deployment tag no longer names this deployment (or
 * is gone), so it is not ours to delete. `in-use`: attached to an instance, or an AMI is registered from
 * it; reported, never forced. `gone`: already deleted. `failed`: AWS refused for another reason.
 */
export type EbsDeletionStatus = 'deleted' | 'skipped' | 'in-use' | 'gone' | 'failed';

export interface EbsDeletion {
  kind: 'volume' | 'snapshot';
  id: string;
  status: EbsDeletionStatus;
  /** Why it was not deleted, in words the operator can act on. */
  reason?: string;
  /** The StackguideError code of a failure. */
  code?: string;
}

/** `deleting` right before the call (so the journal has it even if the run dies mid-call), then the outcome. */
export type EbsDeletionProgress =
  | { kind: 'volume' | 'snapshot'; id: string; status: 'deleting' }
  | EbsDeletion;

export interface DeletionOptions<P> {
  onProgress?: (progress: P) => void;
  /** Stops starting new deletes; those in flight finish, then it throws a cancelled StackguideError. */
  signal?: AbortSignal;
  concurrency?: number;
}

/**
 * Deletes the planned volumes, then the planned snapshots. Each is read again right before its delete,
 * and deleted only if it still carries the ownership tag it was planned by: the plan may be minutes
 * (or, on resume, days) old. Volumes go first so that an interrupted run leaves the backups, not the disks.
 * Outcomes come back in the order of `items`.
 */
export async function deleteTaggedVolumesAndSnapshots(
  ebs: EbsPort,
  deployment: string,
  items: readonly TaggedEbsResource[],
  options: DeletionOptions<EbsDeletionProgress> = {},
): Promise<EbsDeletion[]> {
  requireDeployment(deployment);
  const outcomes = new Map<TaggedEbsResource, EbsDeletion>();
  const deleteOne = async (item: TaggedEbsResource): Promise<void> => {
    const outcome = await deleteEbsResource(ebs, item, options.onProgress);
    outcomes.set(item, outcome);
    options.onProgress?.(outcome);
  };
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  await forEachLimited(
    items.filter((item) => item.kind === 'volume'),
    concurrency,
    deleteOne,
    options.signal,
  );
  await forEachLimited(
    items.filter((item) => item.kind === 'snapshot'),
    concurrency,
    deleteOne,
    options.signal,
  );
  return items.flatMap((item) => {
    const outcome = outcomes.get(item);
    return outcome ? [outcome] : [];
  });
}

async function deleteEbsResource(
  ebs: EbsPort,
  item: TaggedEbsResource,
  onProgress: ((progress: EbsDeletionProgress) => void) | undefined,
): Promise<EbsDeletion> {
  const { kind, id } = item;
  return settle(`${kind} ${id}`, { kind, id }, async (): Promise<EbsDeletion> => {
    const current = kind === 'volume' ? await ebs.describeVolume(id) : await ebs.describeSnapshot(id);
    if (!current) return { kind, id, status: 'gone' };
    // Only the tag it was planned by counts: a plan made from the deployment tag is not widened by a
    // platform tag that happens to be there too, and the reverse.
    const owner = item.ownedBy;
    const tag = current.tags[owner.key];
    if (tag !== owner.value) {
      return {
        kind,
        id,
        status: 'skipped',
        reason:
          tag === undefined
            ? `no longer carries the ${owner.key} tag, so it is not provably this deployment's`
            : `its ${owner.key} tag is now "${tag}", not "${owner.value}"`,
      };
    }
    if (kind === 'volume' && current.state === 'in-use') {
      const attachedTo = 'attachedTo' in current ? current.attachedTo : [];
      return {
        kind,
        id,
        status: 'in-use',
        reason: `attached to ${attachedTo.join(', ') || 'an instance'}: detach it (or terminate the instance), then run destroy again`,
      };
    }
    if (current.state === 'deleting' || current.state === 'deleted') return { kind, id, status: 'gone' };
    onProgress?.({ kind, id, status: 'deleting' });
    const result = kind === 'volume' ? await ebs.deleteVolume(id) : await ebs.deleteSnapshot(id);
    switch (result.outcome) {
      case 'deleted':
        return { kind, id, status: 'deleted' };
      case 'not-found':
        return { kind, id, status: 'gone' };
      case 'in-use':
        return {
          kind,
          id,
          status: 'in-use',
          reason:
            kind === 'snapshot'
              ? `${result.message}: deregister that AMI first if it is no longer needed, then run destroy again`
              : result.message,
        };
    }
  });
}

function fromVolume(volume: EbsVolume, ownedBy: OwnershipTag): TaggedEbsResource {
  return {
    kind: 'volume',
    id: volume.id,
    sizeGiB: volume.sizeGiB,
    state: volume.state,
    tags: volume.tags,
    attachedTo: volume.attachedTo,
    ownedBy,
  };
}

function fromSnapshot(snapshot: EbsSnapshot, ownedBy: OwnershipTag): TaggedEbsResource {
  return {
    kind: 'snapshot',
    id: snapshot.id,
    sizeGiB: snapshot.sizeGiB,
    state: snapshot.state,
    tags: snapshot.tags,
    ...(snapshot.volumeId ? { volumeId: snapshot.volumeId } : {}),
    ownedBy,
  };
}

// ---------------------------------------------------------------------------------------------------
// ECR repositories

export interface RepositoryContents {
  name: string;
  exists: boolean;
  arn?: string;
  /** Distinct images (digests); 0 when the repository does not exist. */
  images: number;
}

/** The named repositories with their image counts, in the order given; missing ones say `exists: false`. */
export async function describeRepositories(
  ecr: EcrPort,
  names: readonly string[],
): Promise<RepositoryContents[]> {
  return Promise.all(
    unique(names).map(async (name): Promise<RepositoryContents> => {
      const repository = await ecr.describeRepository(name);
      if (!repository) return { name, exists: false, images: 0 };
      const images = await ecr.countImages(name);
      if (images === undefined) return { name, exists: false, images: 0 };
      return { name, exists: true, arn: repository.arn, images };
    }),
  );
}

export interface RepositoryEmptying {
  name: string;
  /** `emptied` with how many images were deleted; `gone` when the repository no longer exists. */
  status: 'emptied' | 'gone' | 'failed';
  images?: number;
  reason?: string;
  code?: string;
}

export type RepositoryEmptyingProgress = { name: string; status: 'emptying' } | RepositoryEmptying;

/**
 * Deletes every image of exactly the repositories named, and leaves the repositories to CloudFormation,
 * as with buckets: a stack's AWS::ECR::Repository holding images fails the stack's deletion
 * (RepositoryNotEmptyException), and an empty one is deleted with its stack. The caller takes the names
 * from the deployment's stacks' resources: a name is never guessed or matched by pattern.
 */
export async function emptyRepositories(
  ecr: EcrPort,
  names: readonly string[],
  options: DeletionOptions<RepositoryEmptyingProgress> = {},
): Promise<RepositoryEmptying[]> {
  const outcomes = new Map<string, RepositoryEmptying>();
  await forEachLimited(
    unique(names),
    options.concurrency ?? DEFAULT_CONCURRENCY,
    async (name) => {
      const outcome = await settle(`ECR repository ${name}`, { name }, async () => {
        options.onProgress?.({ name, status: 'emptying' });
        const images = await ecr.emptyRepository(name);
        return images === undefined
          ? ({ name, status: 'gone' } as const)
          : ({ name, status: 'emptied', images } as const);
      });
      outcomes.set(name, outcome);
      options.onProgress?.(outcome);
    },
    options.signal,
  );
  return unique(names).flatMap((name) => {
    const outcome = outcomes.get(name);
    return outcome ? [outcome] : [];
  });
}

// ---------------------------------------------------------------------------------------------------
// Leftovers report

export interface ExpectedResource {
  /**
   * An ARN, or a physical id as ListStackResources gives it (`vol-0abc`, a bucket name, a repository
   * name): a physical id matches an ARN whose resource part is that id, with or without its type.
   */
  id: string;
  /** Why it stays: "part of mydeploy-cognito, kept by the blueprint". */
  reason: string;
}

export interface LeftoversOptions {
  /** What the caller expects to remain: the retained stacks (their ids) and their resources. */
  expected: readonly ExpectedResource[];
  /**
   * What the tagging API cannot see, checked one by one: each entry a CodeCommit repository name or an
   * ARN. CodeCommit is the only kind checked today; other ARNs come back under `unchecked`.
   */
  untaggable?: { names: readonly string[]; codeCommit: CodeCommitPort };
  /** The platform's ownership tags (decommission.platformTags, resolved): what carries them is reported too. */
  platformTags?: readonly OwnershipTag[];
}

export interface Leftover {
  arn: string;
  reason: string;
}

/** Plain JSON: shown as text, written as the `destroy.leftovers` event, and decides the exit code. */
export interface LeftoversReport {
  /** Still there and not expected: each may cost money. Non-empty means destroy did not finish the job. */
  unexpected: Leftover[];
  /** Still there, as the caller expected. */
  expected: Leftover[];
  /** Listed as untaggable but of a kind stackguide cannot check: the operator has to look. */
  unchecked: Array<{ name: string; reason: string }>;
}

/**
 * Everything in the region that still carries `stackguide:deployment=<deployment>` (or a platform
 * ownership tag), plus the untaggable
 * things that still exist, split into what the caller expects to remain and what it does not.
 */
export async function leftovers(
  tagging: TaggingPort,
  deployment: string,
  options: LeftoversOptions,
): Promise<LeftoversReport> {
  requireDeployment(deployment);
  const expectedReason = (identifiers: readonly string[]): string | undefined =>
    options.expected.find((expected) => identifiers.includes(expected.id))?.reason;
  const report: LeftoversReport = { unexpected: [], expected: [], unchecked: [] };
  const seen = new Set<string>();
  const add = (arn: string, identifiers: readonly string[], unexpectedReason: string): void => {
    if (seen.has(arn)) return;
    seen.add(arn);
    const reason = expectedReason(identifiers);
    if (reason !== undefined) report.expected.push({ arn, reason });
    else report.unexpected.push({ arn, reason: unexpectedReason });
  };

  for (const tag of ownershipTags(deployment, options.platformTags ?? [])) {
    for (const resource of await tagging.resourcesTagged(tag.key, tag.value)) {
      // The tagging API's filter is exact, but a leftover report must not blame a stranger for a lax one.
      if (resource.tags[tag.key] !== tag.value) continue;
      add(resource.arn, arnIdentifiers(resource.arn), `still tagged ${describeTag(tag)}`);
    }
  }

  const untaggable = options.untaggable;
  if (untaggable) {
    const found = await Promise.all(
      unique(untaggable.names).map(async (entry) => {
        const name = codeCommitName(entry);
        if (name === undefined) return { entry, unchecked: true as const };
        return { entry, name, repository: await untaggable.codeCommit.getRepository(name) };
      }),
    );
    for (const result of found) {
      if ('unchecked' in result) {
        report.unchecked.push({
          name: result.entry,
          reason: 'stackguide checks CodeCommit repositories only: look for it in the console',
        });
      } else if (result.repository) {
        const { arn } = result.repository;
        add(
          arn,
          [...arnIdentifiers(arn), result.name, result.entry],
          'CodeCommit repository still exists (the tagging API does not list it)',
        );
      }
    }
  }

  const byArn = (a: Leftover, b: Leftover) => a.arn.localeCompare(b.arn);
  report.unexpected.sort(byArn);
  report.expected.sort(byArn);
  return report;
}

/**
 * The ARN itself, its resource part, and that part without its type: `arn:aws:ec2:r:a:volume/vol-1`
 * gives `volume/vol-1` and `vol-1`; `arn:aws:s3:::bucket` gives `bucket`; `...:repository/ns/hub`
 * gives `ns/hub`.
 */
function arnIdentifiers(arn: string): string[] {
  const parts = arn.split(':');
  if (parts[0] !== 'arn' || parts.length < 6) return [arn];
  const resource = parts.slice(5).join(':');
  const typed = /^[A-Za-z0-9-]+[/:](.+)$/.exec(resource)?.[1];
  return unique([arn, resource, ...(typed ? [typed] : [])]);
}

/** A bare name is a CodeCommit repository; an ARN is one when its service says so. */
function codeCommitName(entry: string): string | undefined {
  if (!entry.startsWith('arn:')) return entry;
  const parts = entry.split(':');
  return parts[2] === 'codecommit' && parts.length >= 6 ? parts.slice(5).join(':') : undefined;
}

// ---------------------------------------------------------------------------------------------------

function requireDeployment(deployment: string): void {
  // An empty value would turn "tagged with this deployment" into "tagged with an empty tag".
  if (deployment.trim() === '') {
    throw new StackguideError('No deployment name was given for a tag-scoped clean-up', {
      code: 'decommission.no-deployment',
      kind: 'bug',
      nextSteps: ['This is a bug in stackguide. Please report it with the event log of this run.'],
    });
  }
}

/**
 * Runs `body`; an AWS refusal becomes a `failed` outcome so the other deletions go on. Anything else
 * (credentials, an unreachable endpoint, a bug) stops the run: the next call would fail the same way.
 */
async function settle<T, K extends object>(
  what: string,
  key: K,
  body: () => Promise<T>,
): Promise<T | (K & { status: 'failed'; reason: string; code: string })> {
  try {
    return await body();
  } catch (error) {
    const failure = toStackguideError(error);
    if (failure.kind !== 'aws' || failure.code === 'aws.unreachable') throw failure;
    return { ...key, status: 'failed', reason: `${what}: ${failure.message}`, code: failure.code };
  }
}

async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  body: (item: T) => Promise<void>,
  signal: AbortSignal | undefined,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !signal?.aborted) {
      const item = items[next++] as T;
      await body(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (signal?.aborted) {
    throw new StackguideError('Stopped: some deletions did not start', {
      code: 'cancelled',
      kind: 'cancelled',
      cause: signal.reason,
      nextSteps: ['Run stackguide destroy again: it finds what is left and carries on.'],
    });
  }
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
