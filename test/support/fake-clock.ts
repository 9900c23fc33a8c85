import type { Clock } from '../../src/runtime/clock.ts';

/**
 * A clock whose sleeps return at once and advance time by the requested amount, so pollers run through
 * minutes of waiting in milliseconds. `sleeps` records every requested wait for assertions on backoff.
 */
export class FakeClock implements Clock {
  nowMs: number;
  readonly sleeps: number[] = [];
  /** Called on every sleep, after time has advanced: tests use it to move the world on. */
  onSleep: (nowMs: number) => void = () => {};

  constructor(start = Date.parse('2026-11-22T10:00:00Z')) {
    this.nowMs = start;
  }

  now(): number {
    return this.nowMs;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.sleeps.push(ms);
    this.nowMs += ms;
    this.onSleep(this.nowMs);
    await Promise.resolve();
  }

  random(): number {
    return 0.5;
  }
}
