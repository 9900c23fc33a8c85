import { StackStatus } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import {
  classifyStackStatus,
  isInProgress,
  isNotCreated,
  isSuccess,
  isTerminal,
  KNOWN_STACK_STATUSES,
} from '../../src/stacks/stack-status.ts';

describe('stack statuses', () => {
  it('classifies every StackStatus the SDK defines, explicitly', () => {
    const sdk = Object.values(StackStatus);
    expect(sdk.length).toBeGreaterThan(20);
    const unclassified = sdk.filter((status) => !KNOWN_STACK_STATUSES.includes(status));
    expect(unclassified).toEqual([]);
  });

  it('takes REVIEW_IN_PROGRESS as a stack not yet created, never as an operation to wait for', () => {
    expect(classifyStackStatus('REVIEW_IN_PROGRESS')).toBe('not-created');
    expect(isInProgress('REVIEW_IN_PROGRESS')).toBe(false);
    expect(isTerminal('REVIEW_IN_PROGRESS')).toBe(true);
    expect(isNotCreated('REVIEW_IN_PROGRESS')).toBe(true);
    expect(isNotCreated(undefined)).toBe(true);
    expect(isNotCreated('CREATE_COMPLETE')).toBe(false);
  });

  it('waits on every *_IN_PROGRESS the SDK knows but REVIEW_IN_PROGRESS, and on the cleanup phases', () => {
    const waiting = Object.values(StackStatus).filter(isInProgress);
    expect(waiting.sort()).toEqual(
      Object.values(StackStatus)
        .filter((status) => status.endsWith('_IN_PROGRESS') && status !== 'REVIEW_IN_PROGRESS')
        .sort(),
    );
    expect(isInProgress('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS')).toBe(true);
  });

  it('counts only the aimed-for outcomes as success; a rollback is not one', () => {
    expect(Object.values(StackStatus).filter(isSuccess).sort()).toEqual([
      'CREATE_COMPLETE',
      'DELETE_COMPLETE',
      'IMPORT_COMPLETE',
      'UPDATE_COMPLETE',
    ]);
    expect(classifyStackStatus('UPDATE_ROLLBACK_COMPLETE')).toBe('rolled-back');
    expect(classifyStackStatus('ROLLBACK_COMPLETE')).toBe('failed');
  });

  it('falls back on the suffix for a status AWS adds later', () => {
    expect(classifyStackStatus('FUTURE_IN_PROGRESS')).toBe('in-progress');
    expect(classifyStackStatus('FUTURE_FAILED')).toBe('failed');
  });
});
