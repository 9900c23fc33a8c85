import { loadBlueprint } from '../blueprint/load-blueprint.ts';
import { ExitCode } from '../errors.ts';
import { checkDeploymentName } from '../install/deployment-name-check.ts';
import {
  type CheckedDeployment,
  checkDeploymentRequest,
  type DeploymentRequest,
  type ResolvedDeployment,
  resolveDeployment,
  stepBaseFor,
} from '../install/deployment-resolution.ts';
import {
  askSteps,
  blockingFailures,
  checkSteps,
  type StepBase,
  type StepInputs,
} from '../steps/run-steps.ts';
import type { Flow, FlowHost } from './flow.ts';

/**
 * `stackguide preflight`: every check of every preparation step, nothing changed. Exit 0 when no
 * required check fails (warnings allowed), 1 otherwise. The same results stream as `check.result`
 * events with --output json.
 */
export interface PreflightRequest extends Omit<DeploymentRequest, 'blueprint' | 'command' | 'yes'> {
  blueprintPath: string;
}

export interface PreflightHost extends FlowHost {
  /** Shows the tally line at the end. */
  show(text: string): void;
}

interface Asked {
  resolved: ResolvedDeployment;
  checked: CheckedDeployment;
  base: StepBase;
  inputs: Record<string, StepInputs>;
}

export function preflightFlow(host: PreflightHost): Flow<PreflightRequest, CheckedDeployment, Asked, number> {
  const { prompter, events } = host;
  return {
    async validate({ blueprintPath, ...request }) {
      const blueprint = await loadBlueprint(blueprintPath);
      // Nothing is changed, so there is nothing to confirm.
      return checkDeploymentRequest(
        { ...request, blueprint, command: 'preflight', yes: true },
        { interactive: prompter !== undefined, clock: host.clock },
      );
    },

    async ask(checked) {
      const resolved = await resolveDeployment(checked, host);
      const base = stepBaseFor(resolved, checked.request, host);
      // Read-only: the steps ask only what their checks use (never a password, never whether to
      // store new credentials), and nothing the answers file holds.
      const { inputs } = await askSteps(
        checked.request.blueprint.steps,
        { ...base, ...(prompter ? { prompter } : {}), readOnly: true },
        resolved.saved?.steps,
      );
      return { resolved, checked, base, inputs };
    },

    async execute({ resolved, checked, base, inputs }) {
      const { blueprint } = checked.request;
      const nameCheck = await checkDeploymentName(blueprint, base, resolved.aws);
      events.emit({ type: 'check.result', result: nameCheck });
      const results = [nameCheck, ...(await checkSteps(blueprint.steps, base, inputs))];
      const failures = blockingFailures(results);
      const warnings = results.filter((result) => result.status === 'warn').length;
      // A manual step passes on the operator's word: counted apart, never as a check that passed.
      const confirmed = results.filter((result) => result.confirmedByOperator).length;
      const exitCode = failures.length > 0 ? ExitCode.failed : ExitCode.ok;
      host.show(
        `\n${results.length - failures.length - warnings - confirmed} passed, ${confirmed > 0 ? `${confirmed} confirmed by you, ` : ''}${warnings} warning${warnings === 1 ? '' : 's'}, ${failures.length} failed${blueprint.steps.length === 0 ? ' (this blueprint has no preparation steps)' : ''}\n`,
      );
      events.emit({ type: 'run.completed', outcome: failures.length > 0 ? 'failed' : 'succeeded', exitCode });
      return exitCode;
    },
  };
}
