import { describe, expect, it } from 'vitest';
import { EventBus, type StackguideEvent } from '../../src/events.ts';
import { attachHeartbeat, type Repeat } from '../../src/output/heartbeat.ts';

/** A clock and an interval the test moves by hand. */
function fakeTime() {
  let time = 1_000_000;
  const ticks: Array<{ every: number; tick: () => void; due: number }> = [];
  const repeat: Repeat = (every, tick) => {
    const entry = { every, tick, due: time + every };
    ticks.push(entry);
    return () => ticks.splice(ticks.indexOf(entry), 1);
  };
  const advance = (ms: number): void => {
    const end = time + ms;
    for (;;) {
      const next = ticks.filter((entry) => entry.due <= end).sort((a, b) => a.due - b.due)[0];
      if (!next) break;
      time = next.due;
      next.due += next.every;
      next.tick();
    }
    time = end;
  };
  return { now: () => time, repeat, advance, active: () => ticks.length };
}

function setUp() {
  const time = fakeTime();
  const bus = new EventBus();
  const beats: StackguideEvent[] = [];
  bus.subscribe((event) => {
    if (event.type === 'heartbeat') beats.push(event);
  });
  const stop = attachHeartbeat(bus, { now: time.now, repeat: time.repeat });
  return { time, bus, beats, stop };
}

describe('heartbeat', () => {
  it('says which stack is still in progress after 30 s of silence, and again every 30 s', () => {
    const { time, bus, beats } = setUp();
    bus.emit({ type: 'stack.started', stack: 'lab-data', operation: 'create' });
    time.advance(29_000);
    expect(beats).toEqual([]);
    time.advance(6_000);
    expect(beats).toEqual([
      { type: 'heartbeat', stack: 'lab-data', status: 'CREATE_IN_PROGRESS', elapsedSeconds: 30 },
    ]);
    time.advance(30_000);
    expect(beats).toHaveLength(2);
    expect(beats[1]).toMatchObject({ stack: 'lab-data', elapsedSeconds: 60 });
  });

  it("keeps beating through a step's wait schedule, which plain lines do not print", () => {
    const { time, bus, beats } = setUp();
    bus.emit({ type: 'step.started', step: 'zone', kind: 'hostedZone', title: 'Hosted zone' });
    for (let i = 0; i < 4; i++) {
      time.advance(15_000);
      bus.emit({
        type: 'step.waiting',
        step: 'zone',
        nextCheckAt: new Date(time.now() + 15_000).toISOString(),
        givesUpAt: new Date(time.now() + 600_000).toISOString(),
      });
    }
    expect(beats.map((beat) => beat.type === 'heartbeat' && beat.step)).toContain('zone');
  });

  it("follows the stack's own status and stays quiet while events flow", () => {
    const { time, bus, beats } = setUp();
    bus.emit({ type: 'stack.started', stack: 'lab-app', operation: 'update' });
    for (let i = 0; i < 10; i++) {
      time.advance(20_000);
      bus.emit({
        type: 'stack.event',
        stack: 'lab-app',
        event: {
          eventId: `e${i}`,
          stackName: 'lab-app',
          stackId: 'arn:stack/lab-app',
          rootStackId: 'arn:stack/lab-app',
          logicalResourceId: 'lab-app',
          resourceType: 'AWS::CloudFormation::Stack',
          status: 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
          timestamp: new Date(time.now()).toISOString(),
        },
      });
    }
    expect(beats).toEqual([]);
    time.advance(35_000);
    expect(beats).toEqual([
      {
        type: 'heartbeat',
        stack: 'lab-app',
        status: 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
        elapsedSeconds: 230,
      },
    ]);
  });

  it('says which step is waiting (DNS, a certificate) with its last progress message', () => {
    const { time, bus, beats } = setUp();
    bus.emit({
      type: 'step.started',
      step: 'cert',
      kind: 'certificate',
      title: 'Certificate for lab.example.com',
    });
    bus.emit({ type: 'step.progress', step: 'cert', message: 'waiting for ACM to validate (DNS)' });
    time.advance(31_000);
    expect(beats).toEqual([
      { type: 'heartbeat', step: 'cert', status: 'waiting for ACM to validate (DNS)', elapsedSeconds: 30 },
    ]);
    bus.emit({ type: 'step.completed', step: 'cert', outputs: {} });
    time.advance(35_000);
    expect(beats.at(-1)).toEqual({ type: 'heartbeat', status: 'working', elapsedSeconds: 65 });
  });

  it('stops at run.completed', () => {
    const { time, bus, beats } = setUp();
    bus.emit({ type: 'run.completed', outcome: 'succeeded', exitCode: 0 });
    expect(time.active()).toBe(0);
    time.advance(120_000);
    expect(beats).toEqual([]);
  });
});
