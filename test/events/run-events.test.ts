import { describe, expect, it } from 'vitest';
import type { StackguideEvent } from '../../src/events.ts';
import { RunEvents } from '../../src/output/run-events.ts';

function recorded(run: RunEvents): StackguideEvent[] {
  const seen: StackguideEvent[] = [];
  run.subscribe((event) => seen.push(event));
  return seen;
}

const failure = {
  type: 'error' as const,
  code: 'stack.failed',
  kind: 'aws' as const,
  message: 'data did not reach CREATE_COMPLETE',
  details: [],
  nextSteps: [],
};

describe('RunEvents: run.started first, run.completed last', () => {
  it('says run.started for a command that emits something else first, and drops a later one', () => {
    const run = new RunEvents('watch');
    const seen = recorded(run);
    run.emit({ type: 'warning', code: 'w', message: 'careful' });
    run.emit({ type: 'run.started', command: 'watch', region: 'eu-west-1' });
    run.end(0);
    expect(seen.map((event) => event.type)).toEqual(['run.started', 'warning', 'run.completed']);
    expect(seen[0]).toEqual({ type: 'run.started', command: 'watch' });
  });

  it("keeps the command's own run.started with its fields", () => {
    const run = new RunEvents('destroy');
    const seen = recorded(run);
    run.emit({ type: 'run.started', command: 'destroy', deployment: 'lab', region: 'us-east-1' });
    run.end(0);
    expect(seen[0]).toEqual({
      type: 'run.started',
      command: 'destroy',
      deployment: 'lab',
      region: 'us-east-1',
    });
  });

  it('holds a run.completed emitted before the failure: the error comes first, then the real exit code', () => {
    const run = new RunEvents('install');
    const seen = recorded(run);
    run.emit({ type: 'run.started', command: 'install' });
    run.emit({
      type: 'run.completed',
      outcome: 'succeeded',
      exitCode: 0,
      nextCommand: 'stackguide install --yes',
    });
    run.end(1, failure);
    expect(seen.map((event) => event.type)).toEqual(['run.started', 'error', 'run.completed']);
    expect(seen.at(-1)).toEqual({
      type: 'run.completed',
      outcome: 'failed',
      exitCode: 1,
      nextCommand: 'stackguide install --yes',
    });
  });

  it('says run.started, the error and run.completed for a command that failed before saying anything', () => {
    const run = new RunEvents('validate');
    const seen = recorded(run);
    run.end(2, { ...failure, kind: 'user', code: 'blueprint.invalid' });
    expect(seen.map((event) => event.type)).toEqual(['run.started', 'error', 'run.completed']);
    expect(seen.at(-1)).toMatchObject({ outcome: 'failed', exitCode: 2 });
  });

  it('does not repeat an error the command already emitted, and calls Ctrl+C cancelled', () => {
    const run = new RunEvents('upgrade');
    const seen = recorded(run);
    const cancelled = { ...failure, kind: 'cancelled' as const, code: 'cancelled' };
    run.emit(cancelled);
    run.end(130, cancelled);
    expect(seen.map((event) => event.type)).toEqual(['run.started', 'error', 'run.completed']);
    expect(seen.at(-1)).toMatchObject({ outcome: 'cancelled', exitCode: 130 });
  });

  it('delivers nothing after run.completed', () => {
    const run = new RunEvents('status');
    const seen = recorded(run);
    run.end(0);
    run.emit({ type: 'warning', code: 'late', message: 'too late' });
    run.end(1);
    expect(seen.map((event) => event.type)).toEqual(['run.started', 'run.completed']);
  });
});
