/**
 * The client half of bench/events, in its own process so its CPU and memory are its own: follows one
 * deploy against the scenario server with stackguide's deployStack on a clock `speed` times faster
 * than the wall, writes the NDJSON events to stdout, and last a `bench.client` line with its figures.
 *
 *   node bench/support/follow-deploy.ts <endpoint> <speed> <origin: the wall time, in ms, both clocks start from>
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAwsSession } from '../../src/aws/aws-context.ts';
import { EventBus } from '../../src/events.ts';
import { Journal } from '../../src/journal/journal.ts';
import { attachNdjsonPrinter } from '../../src/output/ndjson-printer.ts';
import type { Clock } from '../../src/runtime/clock.ts';
import { deployStack } from '../../src/stacks/deploy-stack.ts';

const [endpoint = '', speedText = '20', originText = String(Date.now())] = process.argv.slice(2);
const speed = Number(speedText);
const origin = Number(originText);

/** A clock running `factor` times faster than the wall: sleeps are shorter, now() moves faster. */
function acceleratedClock(factor: number, wallStart: number): Clock {
  return {
    now: () => wallStart + (Date.now() - wallStart) * factor,
    sleep: (ms, signal) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(resolve, ms / factor);
        signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(signal.reason);
        });
      }),
    random: Math.random,
  };
}

const state = mkdtempSync(join(tmpdir(), 'bench-events-'));
process.env.AWS_ACCESS_KEY_ID = 'bench';
process.env.AWS_SECRET_ACCESS_KEY = 'bench';
const aws = createAwsSession({ endpointUrl: endpoint }).forRegion('us-east-1');
const events = new EventBus();
attachNdjsonPrinter(events, (line) => process.stdout.write(line));
const journal = await Journal.open(state, {
  blueprint: { id: 'bench', version: '1' },
  deployment: 'bench',
  region: 'us-east-1',
});
const cpuBefore = process.cpuUsage();
await deployStack(
  {
    id: 'main',
    name: 'bench',
    templateBody: '{}',
    parameters: {},
    capabilities: [],
    tags: {},
    terminationProtection: false,
  },
  {
    cloudFormation: aws.cloudFormation,
    clock: acceleratedClock(speed, origin),
    journal,
    emit: (event) => events.emit(event),
  },
);
await journal.flush();
const cpu = process.cpuUsage(cpuBefore);
rmSync(state, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify({ type: 'bench.client', cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
);
