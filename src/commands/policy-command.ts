import { ExitCode } from '../errors.ts';
import { runFlow } from '../flows/flow.ts';
import { policyFlow } from '../flows/policy-flow.ts';
import { policyJson, policySummary } from '../output/policy-summary.ts';
import { terminalColumns } from '../output/terminal-text.ts';
import type { CommonOptions } from './common-options.ts';

export interface PolicyOptions extends CommonOptions {
  /** `--service-role`: also the CloudFormation service role's policy; the operator then passes it. */
  serviceRole?: boolean;
}

/**
 * Composition root of `stackguide policy <blueprint>`: the flow (src/flows/policy-flow.ts), then the
 * policy as JSON on stdout and one line per statement on stderr. Purely local: no AWS session at all.
 */
export async function policyCommand(options: PolicyOptions): Promise<number> {
  const { policies, deployment, region } = await runFlow(policyFlow(), {
    blueprintPath: options.blueprint ?? '.',
    ...(options.config ? { configPath: options.config } : {}),
    ...(options.name !== undefined ? { deployment: options.name } : {}),
    ...(options.region !== undefined ? { region: options.region } : {}),
    serviceRole: options.serviceRole === true,
  });
  process.stdout.write(`${JSON.stringify(policyJson(policies), null, 2)}\n`);
  process.stderr.write(policySummary(policies, { deployment, region }, terminalColumns(process.stderr)));
  return ExitCode.ok;
}
