import type { EventBus, StackguideEvent } from '../events.ts';

/** Calls `tick` every `ms` until the returned function is called (setInterval, or a fake in tests). */
export type Repeat = (ms: number, tick: () => void) => () => void;

const systemRepeat: Repeat = (ms, tick) => {
  const timer = setInterval(tick, ms);
  // A heartbeat must never be what keeps the process alive.
  timer.unref();
  return () => clearInterval(timer);
};

export interface HeartbeatOptions {
  now?: () => number;
  repeat?: Repeat;
  /** How long the bus may stay silent before a heartbeat is said. */
  silenceMs?: number;
}

type Heartbeat = Extract<StackguideEvent, { type: 'heartbeat' }>;

/**
 * Without a terminal (plain lines, NDJSON) a long wait must not look hung: after 30 s in which nothing
 * was said, this says `heartbeat` for each stack operation and preparation step still in progress (one
 * for the run when none is), and again every 30 s while the silence lasts. It stops at `run.completed`.
 */
export function attachHeartbeat(bus: EventBus, options: HeartbeatOptions = {}): () => void {
  const now = options.now ?? Date.now;
  const silenceMs = options.silenceMs ?? 30_000;
  const started = now();
  let lastSaid = started;
  const stacks = new Map<string, { status: string; since: number }>();
  const steps = new Map<string, { status: string; since: number }>();

  const unsubscribe = bus.subscribe((event) => {
    // A wait's schedule is for the live screen: plain lines do not print it, so it breaks no silence.
    if (event.type !== 'step.waiting') lastSaid = now();
    switch (event.type) {
      case 'stack.started':
        stacks.set(event.stack, { status: startedStatus(event), since: now() });
        break;
      case 'stack.event': {
        const active = stacks.get(event.stack);
        if (active && event.event.logicalResourceId === event.stack && event.event.stackName === event.stack)
          active.status = event.event.status;
        break;
      }
      case 'stack.completed':
      case 'stack.failed':
        stacks.delete(event.stack);
        break;
      case 'step.started':
        steps.set(event.step, { status: event.title, since: now() });
        break;
      case 'step.progress': {
        const active = steps.get(event.step);
        if (active) active.status = event.message;
        break;
      }
      case 'step.completed':
        steps.delete(event.step);
        break;
      case 'run.completed':
        stop();
        break;
    }
  });

  const beat = (): void => {
    const at = now();
    if (at - lastSaid < silenceMs) return;
    const beats: Heartbeat[] = [
      ...[...stacks].map(([stack, state]) => ({ stack, ...beatOf(state, at) })),
      ...[...steps].map(([step, state]) => ({ step, ...beatOf(state, at) })),
    ];
    if (beats.length === 0) beats.push(beatOf({ status: 'working', since: started }, at));
    for (const heartbeat of beats) bus.emit(heartbeat);
  };
  // Checked six times per silence, so a heartbeat comes at most 5 s after the 30 s are up.
  const cancel = (options.repeat ?? systemRepeat)(Math.max(1, Math.floor(silenceMs / 6)), beat);

  let stopped = false;
  function stop(): void {
    if (stopped) return;
    stopped = true;
    cancel();
    unsubscribe();
  }
  return stop;
}

function beatOf(state: { status: string; since: number }, at: number): Omit<Heartbeat, 'stack' | 'step'> {
  return { type: 'heartbeat', status: state.status, elapsedSeconds: Math.round((at - state.since) / 1000) };
}

/** The status a started stack is in: the one read back when attaching (`attach` is not a status). */
function startedStatus(event: Extract<StackguideEvent, { type: 'stack.started' }>): string {
  if (event.status) return event.status;
  return event.operation === 'attach' ? 'IN_PROGRESS' : `${event.operation.toUpperCase()}_IN_PROGRESS`;
}
