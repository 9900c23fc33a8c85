import { describe, expect, it } from 'vitest';
import type { ChangeSetDescription, CloudFormationPort } from '../../src/aws/cloudformation-port.ts';
import { StackguideError } from '../../src/errors.ts';
import { createChangeSet, executeOwnChangeSet } from '../../src/stacks/change-set.ts';
import { FakeClock } from '../support/fake-clock.ts';

/** Just the two calls a change set needs, answering from a table of descriptions by change set id. */
function portWith(
  descriptions: Record<string, ChangeSetDescription[]>,
  create?: () => Promise<{ changeSetId: string; stackId: string }>,
) {
  const port: Pick<CloudFormationPort, 'createChangeSet' | 'describeChangeSet'> = {
    createChangeSet: create ?? (async () => ({ changeSetId: 'cs-root', stackId: 'arn:stack/web' })),
    describeChangeSet: async (id) => {
      const queue = descriptions[id] ?? [];
      const next = queue.length > 1 ? queue.shift() : queue[0];
      if (!next) throw new Error(`no description for ${id}`);
      return next;
    },
  };
  return port as CloudFormationPort;
}

const input = {
  stackName: 'web',
  changeSetName: 'stackguide-1',
  changeSetType: 'UPDATE' as const,
  parameters: {},
  capabilities: ['CAPABILITY_IAM'],
  tags: {},
  clientRequestToken: 't',
};

describe('createChangeSet', () => {
  it('waits for CloudFormation, builds the nested tree, lists IAM resources and stateful replacements', async () => {
    const cloudFormation = portWith({
      'cs-root': [
        { changeSetId: 'cs-root', stackId: 'arn:stack/web', status: 'CREATE_IN_PROGRESS', changes: [] },
        {
          changeSetId: 'cs-root',
          stackId: 'arn:stack/web',
          status: 'CREATE_COMPLETE',
          changes: [
            {
              action: 'Modify',
              logicalResourceId: 'Role',
              resourceType: 'AWS::IAM::Role',
              replacement: 'False',
            },
            {
              action: 'Modify',
              logicalResourceId: 'Data',
              resourceType: 'AWS::CloudFormation::Stack',
              changeSetId: 'cs-data',
            },
          ],
        },
      ],
      'cs-data': [
        {
          changeSetId: 'cs-data',
          stackId: 'arn:stack/web-Data',
          status: 'CREATE_COMPLETE',
          changes: [
            {
              action: 'Modify',
              logicalResourceId: 'Db',
              resourceType: 'AWS::RDS::DBInstance',
              replacement: 'True',
            },
            {
              action: 'Modify',
              logicalResourceId: 'Cache',
              resourceType: 'AWS::ElastiCache::CacheCluster',
              replacement: 'Conditional',
            },
            {
              action: 'Modify',
              logicalResourceId: 'Fn',
              resourceType: 'AWS::Lambda::Function',
              replacement: 'True',
            },
          ],
        },
      ],
    });
    const clock = new FakeClock();
    const summary = await createChangeSet(input, { cloudFormation, clock });

    expect(clock.sleeps.length).toBe(1); // polled once while CloudFormation was computing
    expect(summary.empty).toBe(false);
    expect(summary.changes[1]?.nested?.map((change) => change.logicalResourceId)).toEqual([
      'Db',
      'Cache',
      'Fn',
    ]);
    expect(summary.iamResources).toEqual(['Role (AWS::IAM::Role)']);
    expect(summary.statefulReplacements).toEqual([
      'Db (AWS::RDS::DBInstance, replacement True)',
      'Cache (AWS::ElastiCache::CacheCluster, replacement Conditional)',
    ]);
  });

  it('reads a FAILED change set that "didn\'t contain changes" as empty, and a refused CreateChangeSet as the error it is', async () => {
    const failed = portWith({
      'cs-root': [
        {
          changeSetId: 'cs-root',
          stackId: 'arn:stack/web',
          status: 'FAILED',
          statusReason:
            "The submitted information didn't contain changes. Submit different information to create a change set.",
          changes: [],
        },
      ],
    });
    expect((await createChangeSet(input, { cloudFormation: failed, clock: new FakeClock() })).empty).toBe(
      true,
    );

    // CloudFormation reports an empty change set through its status, never by refusing the call: a
    // refusal, whatever its message, is an error and reaches the operator.
    const refused = portWith({}, async () => {
      throw new Error('No updates are to be performed.');
    });
    await expect(createChangeSet(input, { cloudFormation: refused, clock: new FakeClock() })).rejects.toThrow(
      'No updates are to be performed.',
    );
  });

  it('explains a change set CloudFormation could not create', async () => {
    const broken = portWith({
      'cs-root': [
        {
          changeSetId: 'cs-root',
          stackId: 'arn:stack/web',
          status: 'FAILED',
          statusReason: 'Template format error: Unresolved resource dependencies [Vpc]',
          changes: [],
        },
      ],
    });
    await expect(
      createChangeSet(input, { cloudFormation: broken, clock: new FakeClock() }),
    ).rejects.toMatchObject({
      code: 'changeset.failed',
      message: expect.stringContaining('Unresolved resource dependencies [Vpc]'),
    });
  });
});

describe('executeOwnChangeSet', () => {
  const refused = new StackguideError('CloudFormation ExecuteChangeSet failed', {
    code: 'aws.call',
    kind: 'aws',
    cause: Object.assign(new Error('cannot be executed in its current execution status'), {
      name: 'InvalidChangeSetStatusException',
    }),
  });
  const port = (execute: () => Promise<void>, executionStatus: string) =>
    ({
      executeChangeSet: execute,
      describeChangeSet: async () => ({
        changeSetId: 'cs',
        stackId: 's',
        status: 'CREATE_COMPLETE',
        executionStatus,
        changes: [],
      }),
    }) as unknown as CloudFormationPort;

  it('goes on when the retry of an execution whose answer was lost is refused: it is executing', async () => {
    await expect(
      executeOwnChangeSet(
        port(async () => Promise.reject(refused), 'EXECUTE_IN_PROGRESS'),
        'cs',
        't',
        false,
      ),
    ).resolves.toBeUndefined();
    await expect(
      executeOwnChangeSet(
        port(async () => undefined, 'AVAILABLE'),
        'cs',
        't',
        true,
      ),
    ).resolves.toBeUndefined();
  });

  it('fails when the change set was never executed, and on any other error', async () => {
    await expect(
      executeOwnChangeSet(
        port(async () => Promise.reject(refused), 'AVAILABLE'),
        'cs',
        't',
        false,
      ),
    ).rejects.toBe(refused);
    const denied = new Error('denied');
    await expect(
      executeOwnChangeSet(
        port(async () => Promise.reject(denied), 'EXECUTE_IN_PROGRESS'),
        'cs',
        't',
        false,
      ),
    ).rejects.toBe(denied);
  });
});
