import { ExitCode } from '../errors.ts';
import { runFlow } from '../flows/flow.ts';
import { supportBundleFlow } from '../flows/support-bundle-flow.ts';
import { supportBundleText } from '../output/support-bundle-text.ts';
import { terminalColumns } from '../output/terminal-text.ts';
import { headlessHost } from './command-context.ts';
import type { CommonOptions } from './common-options.ts';

/** Replaced by the build with package.json's version; running from source says so. */
declare const __STACKGUIDE_VERSION__: string | undefined;
const VERSION = typeof __STACKGUIDE_VERSION__ === 'string' ? __STACKGUIDE_VERSION__ : '0.0.0-source';

export interface SupportBundleOptions extends CommonOptions {
  out?: string;
  force?: boolean;
}

/**
 * Composition root of `stackguide support-bundle --out FILE`: the flow (src/flows/support-bundle-flow.ts),
 * then its report. No live view and no prompt: the bundle is read from what is there.
 */
export async function supportBundleCommand(options: SupportBundleOptions): Promise<number> {
  const flow = supportBundleFlow(headlessHost(options));
  const { event, deployment, region } = await runFlow(flow, {
    out: options.out,
    force: options.force === true,
    blueprintPath: options.blueprint ?? '.',
    stateDir: options.stateDir ?? '.stackguide',
    ...(options.config !== undefined ? { configPath: options.config } : {}),
    ...(options.name !== undefined ? { deployment: options.name } : {}),
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.awsRegion ? { defaultRegion: options.awsRegion.value } : {}),
    env: process.env,
    sharedFiles: options.aws ? [options.aws.credentialsFile, options.aws.configFile] : [],
    toolVersion: VERSION,
    nodeVersion: process.version,
  });
  // --output json: the NDJSON printer wrote the event; text: the report is the result, on stdout.
  if (options.output !== 'json')
    process.stdout.write(supportBundleText(event, deployment, region, terminalColumns(process.stdout)));
  return ExitCode.ok;
}
