import { loadBlueprint } from '../blueprint/load-blueprint.ts';
import { ExitCode } from '../errors.ts';
import { plainLine } from '../output/plain-printer.ts';
import type { CommonOptions } from './common-options.ts';

/** `stackguide validate <blueprint>`: every problem by path with its fix (thrown, rendered by main), or a clean bill. */
export async function validateCommand(options: CommonOptions): Promise<number> {
  const blueprint = await loadBlueprint(options.blueprint ?? '.');
  const event = {
    type: 'blueprint.valid' as const,
    blueprint: blueprint.product.id,
    version: blueprint.product.version,
    questions: blueprint.questions.length,
    stacks: blueprint.stacks.map((stack) => stack.id),
  };
  if (options.output === 'json')
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`);
  else process.stdout.write(`${plainLine(event, 0)?.replace(/^\[.*?\] /, '') ?? ''}\n`);
  return ExitCode.ok;
}
