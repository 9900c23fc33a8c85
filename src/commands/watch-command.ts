import { runFlow } from '../flows/flow.ts';
import { watchFlow } from '../flows/watch-flow.ts';
import { startCommand } from './command-context.ts';
import { type CommonOptions, deploymentTarget } from './common-options.ts';

/** Composition root of `stackguide watch [stack]`: the flow (src/flows/watch-flow.ts) in the live view. */
export async function watchCommand(options: CommonOptions & { stack?: string }): Promise<number> {
  const context = startCommand(options);
  try {
    const flow = watchFlow({
      ...context.host,
      show: (text) => process.stderr.write(text),
      watching: (title, cloudFormation, follow) => context.live(title, cloudFormation, follow),
    });
    return await runFlow(flow, {
      ...deploymentTarget(options),
      ...(options.stack ? { stack: options.stack } : {}),
      env: process.env,
    });
  } finally {
    context.close();
  }
}
