/**
 * The Ink half of bench/events: the live tree rendered into a discarding stream while 10,000 events
 * across 1,000 resources go through the ProgressStore. Bundled by the bench with esbuild (Node does
 * not run .tsx), so it measures the real screen.
 */
import { render } from 'ink';
import { Writable } from 'node:stream';
import { InstallProgressScreen } from '../../screens/InstallProgressScreen.tsx';
import type { StackguideEvent } from '../../src/events.ts';
import { ProgressStore } from '../../src/progress/progress-store.ts';

export async function renderLoad(events: number, resources: number): Promise<{ cpuMicrosPerEvent: number; peakRssMb: number; frames: number }> {
  let frames = 0;
  const sink = Object.assign(
    new Writable({
      write(_chunk, _encoding, done) {
        frames++;
        done();
      },
    }),
    { columns: 120, rows: 40, isTTY: true },
  ) as unknown as NodeJS.WriteStream;
  const store = new ProgressStore('Installing bench (platform 1.0.0) into 123456789012 us-east-1');
  const app = render(<InstallProgressScreen store={store} />, { stdout: sink, patchConsole: false, exitOnCtrlC: false });
  store.apply({ type: 'stack.started', stack: 'bench', operation: 'create', resourceCount: resources });
  const statuses = ['CREATE_IN_PROGRESS', 'CREATE_IN_PROGRESS', 'CREATE_IN_PROGRESS', 'CREATE_IN_PROGRESS', 'CREATE_IN_PROGRESS', 'CREATE_IN_PROGRESS', 'CREATE_IN_PROGRESS', 'CREATE_IN_PROGRESS', 'CREATE_IN_PROGRESS', 'CREATE_COMPLETE'];
  const started = process.cpuUsage();
  for (let i = 0; i < events; i++) {
    const resource = i % resources;
    const event: StackguideEvent = {
      type: 'stack.event',
      stack: 'bench',
      event: {
        eventId: `e${i}`,
        stackName: resource % 4 === 0 ? 'bench' : `bench-Nested${resource % 4}`,
        stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/bench/x',
        rootStackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/bench/x',
        logicalResourceId: `Resource${resource}`,
        resourceType: 'AWS::SSM::Parameter',
        status: statuses[Math.floor(i / resources)] ?? 'CREATE_COMPLETE',
        timestamp: new Date().toISOString(),
      },
    };
    store.apply(event);
    // Let Ink paint now and then, as it would while events stream in.
    if (i % 250 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
  const used = process.cpuUsage(started);
  app.unmount();
  return {
    cpuMicrosPerEvent: (used.user + used.system) / events,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    frames,
  };
}
