import { describe, expect, it } from 'vitest';
import { debugLine } from '../../src/aws/debug-line.ts';

describe('debugLine', () => {
  it('names the service, the action, the status, the time and the request id', () => {
    expect(
      debugLine({
        service: 'CloudFormation',
        action: 'DescribeStacks',
        status: 200,
        requestId: '5f0c',
        durationMs: 84,
      }),
    ).toBe('debug: CloudFormation DescribeStacks → 200 in 84 ms (request id 5f0c)');
  });

  it('names the failure when no response came, and leaves out a missing request id', () => {
    expect(
      debugLine({
        service: 'STS',
        action: 'GetCallerIdentity',
        status: undefined,
        requestId: undefined,
        durationMs: 10_001,
        failure: 'TimeoutError',
      }),
    ).toBe('debug: STS GetCallerIdentity → TimeoutError in 10001 ms');
  });
});
