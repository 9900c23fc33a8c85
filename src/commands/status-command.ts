import { createAwsSession } from '../aws/aws-context.ts';
import { loadBlueprint } from '../blueprint/load-blueprint.ts';
import { resolveValue } from '../blueprint/references.ts';
import { ExitCode, StackguideError } from '../errors.ts';
import type { StackguideEvent } from '../events.ts';
import { readAnswersFile } from '../install/answers-file.ts';
import { systemClock } from '../runtime/clock.ts';
import { isFailedStatus, isSuccess } from '../stacks/stack-status.ts';
import type { CommonOptions } from './common-options.ts';

/**
 * `stackguide status`: the stacks of a deployment as CloudFormation reports them now. (DNS,
 * certificate, SES and secrets panels join this screen with their steps.) Exit 0 when every stack is
 * healthy, 1 when one is missing or failed.
 */
export async function statusCommand(options: CommonOptions): Promise<number> {
  const blueprint = await loadBlueprint(options.blueprint ?? '.');
  const saved = options.config ? await readAnswersFile(options.config) : undefined;
  const deployment = options.name ?? saved?.deployment;
  const region = options.region ?? saved?.region;
  if (!deployment || !region) {
    throw new StackguideError('status needs to know which deployment to show', {
      code: 'answers.missing',
      kind: 'user',
      details: [
        ...(!deployment
          ? [{ path: '--name (or deployment: in --config)', message: 'no deployment name' }]
          : []),
        ...(!region ? [{ path: '--region (or region: in --config)', message: 'no region' }] : []),
      ],
    });
  }
  const aws = createAwsSession({
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}),
  }).forRegion(region);
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
