import { loadBlueprint } from '../blueprint/load-blueprint.ts';
import { ExitCode } from '../errors.ts';
import { plainLine } from '../output/plain-printer.ts';
import { commandEvents } from '../output/run-events.ts';
import type { CommonOptions } from './common-options.ts';

/** `stackguide validate <blueprint>`: every problem by path with its fix (thrown, rendered by main), or a clean bill. */
export async function validateCommand(options: CommonOptions): Promise<number> {
  const events = commandEvents(options);
  const blueprint = await loadBlueprint(options.blueprint ?? '.');
  const event = {
    type: 'blueprint.valid' as const,
    blueprint: blueprint.product.id,
    version: blueprint.product.version,
    questions: blueprint.questions.length,
    stacks: blueprint.stacks.map((stack) => stack.id),
  };
  // --output json: the NDJSON printer writes it; text: the verdict is the result, on stdout.
  events.emit(event);
  if (options.output !== 'json')
    process.stdout.write(`${plainLine(event, 0)?.replace(/^\[.*?\] /, '') ?? ''}\n`);
  return ExitCode.ok;
}
