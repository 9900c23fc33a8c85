import { describe, expect, it } from 'vitest';
import type { StackEventRecord } from '../../src/events.ts';
import { findRootCause } from '../../src/stacks/root-cause.ts';

let sequence = 0;
const event = (
  stackName: string,
  logicalResourceId: string,
  status: string,
  reason?: string,
  resourceType = 'AWS::S3::Bucket',
): StackEventRecord => ({
  eventId: `e${++sequence}`,
  stackName,
  stackId: `arn:${stackName}`,
  rootStackId: 'arn:root',
  logicalResourceId,
  resourceType,
  status,
  timestamp: new Date(Date.UTC(2026, 10, 22, 10, 0, sequence)).toISOString(),
  ...(reason ? { reason } : {}),
});

describe('findRootCause', () => {
  it('skips cancellations and the nested-stack cascade to name the real failure', () => {
    const events = [
      event('root', 'Network', 'CREATE_IN_PROGRESS', undefined, 'AWS::CloudFormation::Stack'),
      event('root-Data', 'Cache', 'CREATE_FAILED', 'Resource creation cancelled'),
      event(
        'root-Data',
        'Db',
        'CREATE_FAILED',
        'DB storage type gp3 is not supported for db.t3.micro',
        'AWS::RDS::DBInstance',
      ),
      event(
        'root',
        'Data',
        'CREATE_FAILED',
        'Embedded stack arn:aws:cloudformation:x was not successfully created: The following resource(s) failed to create: [Db].',
        'AWS::CloudFormation::Stack',
      ),
      event(
        'root',
        'root',
        'ROLLBACK_IN_PROGRESS',
        'The following resource(s) failed to create: [Data].',
        'AWS::CloudFormation::Stack',
      ),
    ];
    // The cancellation is older than the real failure, as CloudFormation often writes it first.
    expect(findRootCause(events)).toEqual({
      stackName: 'root-Data',
      logicalResourceId: 'Db',
      resourceType: 'AWS::RDS::DBInstance',
      status: 'CREATE_FAILED',
      reason: 'DB storage type gp3 is not supported for db.t3.micro',
    });
  });

  it('falls back to the oldest failure when every failure is a cascade, and says nothing without one', () => {
    expect(
      findRootCause([event('a', 'X', 'CREATE_FAILED', 'Resource creation cancelled')])?.logicalResourceId,
    ).toBe('X');
    expect(findRootCause([event('a', 'X', 'CREATE_COMPLETE')])).toBeUndefined();
  });
});
