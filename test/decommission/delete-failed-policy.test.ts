import { describe, expect, it } from 'vitest';
import {
  afterDeleteFailed,
  deleteFailedQuestion,
  MAX_DELETE_ATTEMPTS,
} from '../../src/decommission/delete-failed-policy.ts';

const failures = [
  { logicalResourceId: 'Bucket', resourceType: 'AWS::S3::Bucket', reason: 'The bucket is not empty' },
  { logicalResourceId: 'Repo', resourceType: 'AWS::ECR::Repository', reason: 'RepositoryNotEmpty' },
];

describe('the DELETE_FAILED policy', () => {
  it('stops when nobody can be asked', () => {
    expect(afterDeleteFailed(1, undefined, failures)).toEqual({ action: 'stop' });
  });

  it('stops when the operator says stop', () => {
    expect(afterDeleteFailed(1, 'stop', failures)).toEqual({ action: 'stop' });
  });

  it('empties again and retries the whole stack on retry', () => {
    expect(afterDeleteFailed(1, 'retry', failures)).toEqual({
      action: 'retry',
      emptyFirst: true,
      retain: [],
    });
  });

  it('retries keeping exactly the resources that failed on retain, without emptying', () => {
    expect(afterDeleteFailed(2, 'retain', failures)).toEqual({
      action: 'retry',
      emptyFirst: false,
      retain: ['Bucket', 'Repo'],
    });
  });

  it('gives up after the last attempt whatever is chosen', () => {
    expect(MAX_DELETE_ATTEMPTS).toBe(3);
    expect(afterDeleteFailed(MAX_DELETE_ATTEMPTS, 'retry', failures)).toEqual({ action: 'stop' });
    expect(afterDeleteFailed(MAX_DELETE_ATTEMPTS, 'retain', failures)).toEqual({ action: 'stop' });
  });

  it('asks with the reasons and names what a retain would keep', () => {
    const question = deleteFailedQuestion('demo-data', failures);
    expect(question.message).toBe(
      'demo-data could not be deleted (Bucket: The bucket is not empty; Repo: RepositoryNotEmpty). What now?',
    );
    expect(question.choices.map((choice) => choice.value)).toEqual(['retry', 'retain', 'stop']);
    expect(question.choices[1]?.label).toBe('Retry, keeping Bucket, Repo (they stay in the account)');
  });
});
