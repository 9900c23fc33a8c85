import { describe, expect, it } from 'vitest';
import type { ChangeSetListing, CloudFormationPort } from '../../src/aws/cloudformation-port.ts';
import { deleteUnexecutedChangeSets } from '../../src/stacks/stale-change-sets.ts';

function portListing(listings: ChangeSetListing[]) {
  const deleted: string[] = [];
  const port = {
    listChangeSets: async () => listings,
    deleteChangeSet: async (id: string) => {
      deleted.push(id);
    },
  } as Partial<CloudFormationPort> as CloudFormationPort;
  return { port, deleted };
}

const listing = (name: string, executionStatus?: string): ChangeSetListing => ({
  changeSetId: `arn:changeSet/${name}`,
  changeSetName: name,
  status: 'CREATE_COMPLETE',
  ...(executionStatus ? { executionStatus } : {}),
});

describe('deleteUnexecutedChangeSets', () => {
  it('deletes only never-executed change sets named after a token the journal holds', async () => {
    const { port, deleted } = portListing([
      listing('stackguide-ours', 'AVAILABLE'),
      listing('stackguide-ours-failed', 'UNAVAILABLE'),
      listing('stackguide-executed', 'EXECUTE_COMPLETE'),
      listing('stackguide-someone-elses', 'AVAILABLE'),
      listing('made-in-the-console', 'AVAILABLE'),
    ]);
    const own = new Set(['stackguide-ours', 'stackguide-ours-failed', 'stackguide-executed']);
    const result = await deleteUnexecutedChangeSets(port, 'stack', own);
    expect(result.map((r) => r.changeSetName)).toEqual(['stackguide-ours', 'stackguide-ours-failed']);
    expect(deleted).toEqual(['arn:changeSet/stackguide-ours', 'arn:changeSet/stackguide-ours-failed']);
  });

  it('never lists anything when no token is known (nothing can be ours)', async () => {
    const { port, deleted } = portListing([listing('stackguide-x', 'AVAILABLE')]);
    expect(await deleteUnexecutedChangeSets(port, 'stack', new Set())).toEqual([]);
    expect(deleted).toEqual([]);
  });
});
