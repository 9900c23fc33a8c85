import type { Blueprint } from '../blueprint/load-blueprint.ts';
import type { OperationCommand } from '../journal/journal.ts';

/**
 * The command line that runs a deployment command again as the operator gave it: the blueprint, the
 * answers file, the name and the `--set` overrides (never a secret one), the command's own flags, and
 * every connection flag (region, profile, endpoint, state directory, timeouts). The install summary
 * prints it as the unattended equivalent; the lock refusal and other stops print it with what to add.
 */
export interface RerunParts {
  command: OperationCommand;
  blueprint: Blueprint;
  configPath?: string | undefined;
  /** `--name`, repeated only when it overrides the answers file (or there is none). */
  deployment?: string | undefined;
  /** `--set id=value` given over the answers file; answers to secret questions are left out. */
  sets?: Readonly<Record<string, string>>;
  /** The command's own flags as given (`--yes`, `--confirm demo`, `--template file`). */
  flags: readonly string[];
  /** From the composition root: `connectionFlags(options)`. */
  connectionFlags: readonly string[];
}

export function rerunCommand(parts: RerunParts): string {
  const { blueprint } = parts;
  const sets = Object.entries(parts.sets ?? {})
    .filter(([id]) => !blueprint.questions.some((q) => q.id === id && q.type === 'secret'))
    .map(([id, value]) => `--set ${id}=${value}`);
  return [
    `stackguide ${parts.command}`,
    `--blueprint ${blueprint.source}`,
    ...(parts.configPath ? [`--config ${parts.configPath}`] : []),
    ...(parts.deployment ? [`--name ${parts.deployment}`] : []),
    ...sets,
    ...parts.flags,
    ...parts.connectionFlags,
  ].join(' ');
}
