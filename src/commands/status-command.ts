import { ExitCode } from '../errors.ts';
import type { StackguideEvent } from '../events.ts';
import { readDeploymentState } from '../journal/journal.ts';
import { commandEvents } from '../output/run-events.ts';
import { statusText } from '../output/status-text.ts';
import { systemClock } from '../runtime/clock.ts';
import { gatherStatus } from '../status/deployment-status.ts';
import { awsSessionFor, existingDeployment, settingsOf } from './command-context.ts';
import type { CommonOptions } from './common-options.ts';

const WATCH_INTERVAL_MS = 5_000;

/**
 * `stackguide status`: one screen for a deployment: its stacks as CloudFormation reports them now, then
 * each preparation step's checks (DNS delegation per parent server and resolver, the certificate, SES,
 * the registry secret, ...). With --output json the same facts stream as `stack.status` and
 * `check.result` events. Exit 0 when every stack is complete and no required check fails, else 1.
 */
export async function statusCommand(options: CommonOptions): Promise<number> {
  const { blueprint, saved, deployment, region } = await existingDeployment(options, 'status');
  const aws = awsSessionFor(options).forRegion(region);
  const signal = options.signal ?? new AbortController().signal;
  const json = options.output === 'json';
  // With --output json the run's NDJSON printer writes these; in text mode the panels below say it all.
  const events = commandEvents(options);
  const write = (event: StackguideEvent): void => events.emit(event);
  const { account } = await aws.identity.whoAmI();

  for (;;) {
    const status = await gatherStatus({
      blueprint,
      saved,
      journal: await readDeploymentState(options.stateDir ?? '.stackguide', deployment),
      deployment,
      region,
      account,
      aws,
      clock: systemClock,
      signal,
      env: process.env,
      settings: settingsOf(options),
    });
    for (const { name, description } of status.stacks) {
      write({
        type: 'stack.status',
        stack: name,
        status: description?.status ?? 'NOT_CREATED',
        outputs: description?.outputs ?? {},
        ...(description?.stackId ? { stackId: description.stackId } : {}),
        ...((description?.updatedAt ?? description?.createdAt)
          ? { updatedAt: description?.updatedAt ?? description?.createdAt }
          : {}),
      });
    }
    for (const step of status.steps)
      for (const result of step.checks) write({ type: 'check.result', result });
    if (!json) {
      // --watch in a terminal redraws the screen; otherwise each refresh is appended.
      if (options.watch && process.stdout.isTTY) process.stdout.write('\x1b[2J\x1b[H');
      process.stdout.write(`${statusText(blueprint.product.title, status)}\n`);
    }
    if (!options.watch) return status.healthy ? ExitCode.ok : ExitCode.failed;
    if (!json && !process.stdout.isTTY) process.stdout.write('\n');
    await systemClock.sleep(WATCH_INTERVAL_MS, signal);
  }
}
