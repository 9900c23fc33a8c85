import { loadBlueprint } from '../blueprint/load-blueprint.ts';
import { ExitCode } from '../errors.ts';
import { destroyGraph, installGraph, upgradeGraph } from '../graph/deployment-graph.ts';
import { type BlueprintGraphs, graphMermaid } from '../graph/graph-text.ts';
import { plainLine } from '../output/plain-printer.ts';
import { commandEvents } from '../output/run-events.ts';
import { terminalColumns } from '../output/terminal-text.ts';
import { validateText } from '../output/validate-text.ts';
import type { CommonOptions } from './common-options.ts';

/**
 * `stackguide validate <blueprint>`: every problem by path with its fix (thrown, rendered by main), or a
 * clean bill followed by what runs before what (text), or only that graph as Mermaid (`--output graph`).
 */
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
  const graphs: BlueprintGraphs = {
    install: installGraph(blueprint, blueprint.templates),
    upgrade: upgradeGraph(blueprint, blueprint.templates),
    destroy: destroyGraph(blueprint, blueprint.templates),
  };
  if (options.output === 'graph') process.stdout.write(`${graphMermaid(graphs).join('\n')}\n`);
  else if (options.output !== 'json')
    process.stdout.write(
      validateText(
        plainLine(event, 0)?.replace(/^\[.*?\] /, '') ?? '',
        graphs,
        terminalColumns(process.stdout),
      ),
    );
  return ExitCode.ok;
}
