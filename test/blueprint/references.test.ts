import { describe, expect, it } from 'vitest';
import { type ReferenceScope, resolveValue } from '../../src/blueprint/references.ts';
import { ExitCode, StackguideError } from '../../src/errors.ts';

const scope = (stackOutputs: ReferenceScope['stackOutputs']): ReferenceScope => ({
  deployment: 'demo',
  region: 'us-east-1',
  answers: { environment: 'prod' },
  stackOutputs,
});

function refusal(run: () => unknown): StackguideError {
  try {
    run();
  } catch (error) {
    if (error instanceof StackguideError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('resolveValue', () => {
  it('fills answers, the deployment and stack outputs', () => {
    expect(
      resolveValue(
        '{{deployment}}-{{answers.environment}}-{{ stacks.data.outputs.BucketName }}',
        scope({ data: { BucketName: 'demo-bucket' } }),
        'stacks[1].parameters.Bucket',
      ),
    ).toBe('demo-prod-demo-bucket');
  });

  it('says an output of a stack that has not run yet has no value yet (a blueprint ordering mistake)', () => {
    const error = refusal(() =>
      resolveValue('{{stacks.data.outputs.BucketName}}', scope({}), 'stacks[1].parameters.Bucket'),
    );
    expect(error.code).toBe('reference.unresolved');
    expect(error.exitCode).toBe(ExitCode.usage);
  });

  it('names what CloudFormation reported when a completed stack lacks the output', () => {
    const error = refusal(() =>
      resolveValue(
        '{{stacks.data.outputs.BucketName}}',
        scope({ data: { QueueUrl: 'https://queue' } }),
        'stacks[1].parameters.Bucket',
      ),
    );
    expect(error.message).toBe(
      'stacks[1].parameters.Bucket: stack data completed, but CloudFormation reports only QueueUrl, not BucketName',
    );
    expect(error.code).toBe('reference.outputMissing');
    expect(error.exitCode).toBe(ExitCode.failed);
    expect(error.nextSteps.join(' ')).toContain('aws cloudformation describe-stacks');
  });

  it('says so when a completed stack reports no outputs at all', () => {
    const error = refusal(() =>
      resolveValue('{{stacks.data.outputs.BucketName}}', scope({ data: {} }), 'stacks[1].parameters.Bucket'),
    );
    expect(error.message).toContain('CloudFormation reports no outputs at all, not BucketName');
  });
});
