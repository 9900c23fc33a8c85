import { resolveValue } from '../blueprint/references.ts';
import { ExitCode } from '../errors.ts';
import type { StackguideEvent } from '../events.ts';
import { systemClock } from '../runtime/clock.ts';
import { isFailedStatus, isSuccess } from '../stacks/stack-status.ts';
import { awsSessionFor, existingDeployment } from './command-context.ts';
import type { CommonOptions } from './common-options.ts';

/**
 * `stackguide status`: the stacks of a deployment as CloudFormation reports them now. (DNS,
 * certificate, SES and secrets panels join this screen with their steps.) Exit 0 when every stack is
 * healthy, 1 when one is missing or failed.
 */
export async function statusCommand(options: CommonOptions): Promise<number> {
  const { blueprint, saved, deployment, region } = await existingDeployment(options, 'status');
  const aws = awsSessionFor(options).forRegion(region);
  const json = options.output === 'json';
  const write = (event: StackguideEvent): void => {
    if (json) process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`);
  };
  const scope = { deployment, region, answers: saved?.answers ?? {}, stackOutputs: {} };

  for (;;) {
    const rows = await Promise.all(
      blueprint.stacks.map(async (stack, index) => {
        const name = resolveValue(stack.name, scope, `stacks[${index}].name`);
        return { name, description: await aws.cloudFormation.describeStack(name) };
      }),
    );
    const lines: string[] = [`${blueprint.product.title} · deployment ${deployment} · ${region}`, ''];
    for (const { name, description } of rows) {
      const status = description?.status ?? 'NOT_CREATED';
      write({
        type: 'stack.status',
        stack: name,
        status,
        outputs: description?.outputs ?? {},
        ...(description?.stackId ? { stackId: description.stackId } : {}),
        ...((description?.updatedAt ?? description?.createdAt)
          ? { updatedAt: description?.updatedAt ?? description?.createdAt }
          : {}),
      });
      const icon = isSuccess(status)
        ? '✔'
        : isFailedStatus(status) || status.includes('ROLLBACK')
          ? '✖'
          : status === 'NOT_CREATED'
            ? '◻'
            : '◼';
      lines.push(
        `${icon} ${name.padEnd(32)} ${status}${description?.statusReason ? `  ${description.statusReason}` : ''}`,
      );
      for (const [key, value] of Object.entries(description?.outputs ?? {}))
        lines.push(`    ${key}: ${value}`);
    }
    if (!json) {
      // --watch in a terminal redraws the screen; otherwise each refresh is appended.
      if (options.watch && process.stdout.isTTY) process.stdout.write('\x1b[2J\x1b[H');
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    const healthy = rows.every(({ description }) => description && isSuccess(description.status));
    if (!options.watch) return healthy ? ExitCode.ok : ExitCode.failed;
    await systemClock.sleep(5_000, options.signal);
  }
}
