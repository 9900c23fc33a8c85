import {
  CloudFormationClient,
  DescribeStackDriftDetectionStatusCommand,
  DetectStackDriftCommand,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { cloudFormationOver } from '../../src/aws/cloudformation-adapter.ts';
import type { StackDescription } from '../../src/aws/cloudformation-port.ts';
import { detectDrift } from '../../src/status/stack-drift.ts';
import { stackItem } from '../../src/status/status-sections.ts';
import { FakeClock } from '../support/fake-clock.ts';

/**
 * `status --drift` against CloudFormation's drift API. Neither moto nor the scenario server models drift
 * (test/scenario-server/SPEC.md, "Not modelled"), so the SDK client is mocked here and the real adapter
 * maps its answers.
 */
const cloudFormation = mockClient(CloudFormationClient);
afterEach(() => cloudFormation.reset());

const stack = (name: string): StackDescription => ({
  stackId: `arn:aws:cloudformation:us-east-1:123456789012:stack/${name}/1`,
  stackName: name,
  status: 'UPDATE_COMPLETE',
  outputs: {},
  parameters: {},
  tags: {},
  terminationProtection: false,
});

describe('detectDrift', () => {
  it('starts detection on every stack at once, waits for each, and a drifted stack needs action', async () => {
    cloudFormation
      .on(DetectStackDriftCommand, { StackName: stack('lab-web').stackId })
      .resolves({ StackDriftDetectionId: 'd-web' })
      .on(DetectStackDriftCommand, { StackName: stack('lab-db').stackId })
      .resolves({ StackDriftDetectionId: 'd-db' });
    cloudFormation
      .on(DescribeStackDriftDetectionStatusCommand, { StackDriftDetectionId: 'd-web' })
      .resolvesOnce({
        StackId: 'x',
        StackDriftDetectionId: 'd-web',
        DetectionStatus: 'DETECTION_IN_PROGRESS',
        Timestamp: new Date(),
      })
      .resolves({
        StackId: 'x',
        StackDriftDetectionId: 'd-web',
        DetectionStatus: 'DETECTION_COMPLETE',
        StackDriftStatus: 'DRIFTED',
        DriftedStackResourceCount: 1,
        Timestamp: new Date('2026-12-03T07:00:00Z'),
      })
      .on(DescribeStackDriftDetectionStatusCommand, { StackDriftDetectionId: 'd-db' })
      .resolves({
        StackId: 'x',
        StackDriftDetectionId: 'd-db',
        DetectionStatus: 'DETECTION_COMPLETE',
        StackDriftStatus: 'IN_SYNC',
        Timestamp: new Date('2026-12-03T07:00:01Z'),
      });
    const clock = new FakeClock();
    const port = cloudFormationOver(new CloudFormationClient({ region: 'us-east-1' }));
    const result = await detectDrift({ cloudFormation: port, clock, signal: new AbortController().signal }, [
      { name: 'lab-web', description: stack('lab-web') },
      { name: 'lab-db', description: stack('lab-db') },
      { name: 'lab-gone', description: undefined },
    ]);
    expect(result.map((entry) => [entry.name, entry.description?.drift])).toEqual([
      ['lab-web', { status: 'DRIFTED', checkedAt: '2026-12-03T07:00:00.000Z' }],
      ['lab-db', { status: 'IN_SYNC', checkedAt: '2026-12-03T07:00:01.000Z' }],
      ['lab-gone', undefined],
    ]);
    expect(cloudFormation.commandCalls(DetectStackDriftCommand)).toHaveLength(2);
    expect(clock.sleeps).toEqual([2_000]);
    const [web, db] = result.map(stackItem);
    expect(web).toMatchObject({ state: 'needs-action' });
    expect(web?.summary).toContain('drifted (checked 2026-12-03T07:00:00.000Z)');
    expect(db).toMatchObject({ state: 'healthy' });
  });

  it('says UNKNOWN when a detection fails or outlasts its time, instead of hanging status', async () => {
    cloudFormation.on(DetectStackDriftCommand).resolves({ StackDriftDetectionId: 'd' });
    cloudFormation.on(DescribeStackDriftDetectionStatusCommand).resolves({
      StackId: 'x',
      StackDriftDetectionId: 'd',
      DetectionStatus: 'DETECTION_IN_PROGRESS',
      Timestamp: new Date(),
    });
    const clock = new FakeClock();
    const port = cloudFormationOver(new CloudFormationClient({ region: 'us-east-1' }));
    const [slow] = await detectDrift(
      { cloudFormation: port, clock, signal: new AbortController().signal, timeoutMs: 10_000 },
      [{ name: 'lab-web', description: stack('lab-web') }],
    );
    expect(slow?.description?.drift).toEqual({ status: 'UNKNOWN' });

    cloudFormation.on(DescribeStackDriftDetectionStatusCommand).resolves({
      StackId: 'x',
      StackDriftDetectionId: 'd',
      DetectionStatus: 'DETECTION_FAILED',
      DetectionStatusReason: 'a resource type does not support drift',
      Timestamp: new Date('2026-12-03T07:00:00Z'),
    });
    const [failed] = await detectDrift(
      { cloudFormation: port, clock, signal: new AbortController().signal },
      [{ name: 'lab-web', description: stack('lab-web') }],
    );
    expect(failed?.description?.drift).toEqual({ status: 'UNKNOWN', checkedAt: '2026-12-03T07:00:00.000Z' });
  });
});
