import type { ChangeSetListing, CloudFormationPort } from '../aws/cloudformation-port.ts';

/**
 * Every change set stackguide makes is named after the idempotency token it was created with, and the
 * token is journaled before the call. A run killed between creating a change set and executing it
 * leaves that change set (and, for a first create, a REVIEW_IN_PROGRESS stack) behind; the next run
 * finds it by name and deletes it. Change sets someone else made are never touched: the name must
 * carry our prefix and be one of the tokens the journal holds for that stack.
 */
export const CHANGE_SET_PREFIX = 'stackguide-';

/** Statuses of a change set that was never executed (EXECUTE_* and OBSOLETE were). */
const NEVER_EXECUTED = new Set(['AVAILABLE', 'UNAVAILABLE']);

function isOwnChangeSet(listing: ChangeSetListing, ownTokens: ReadonlySet<string>): boolean {
  return listing.changeSetName.startsWith(CHANGE_SET_PREFIX) && ownTokens.has(listing.changeSetName);
}

function isUnexecuted(listing: ChangeSetListing): boolean {
  return listing.executionStatus === undefined || NEVER_EXECUTED.has(listing.executionStatus);
}

/** Deletes the stack's unexecuted change sets made under one of `ownTokens`; returns those deleted. */
export async function deleteUnexecutedChangeSets(
  cloudFormation: CloudFormationPort,
  stackNameOrId: string,
  ownTokens: ReadonlySet<string>,
): Promise<ChangeSetListing[]> {
  if (ownTokens.size === 0) return [];
  const listings = await cloudFormation.listChangeSets(stackNameOrId);
  const stale = listings.filter((listing) => isOwnChangeSet(listing, ownTokens) && isUnexecuted(listing));
  for (const listing of stale) await cloudFormation.deleteChangeSet(listing.changeSetId);
  return stale;
}
