import type { CloudFormationPort, StackDescription } from '../aws/cloudformation-port.ts';
import { BLUEPRINT_VERSION_TAG, TEMPLATE_OVERRIDE_TAG } from '../deployment-tags.ts';
import { StackguideError } from '../errors.ts';
import { readDeploymentState } from '../journal/journal.ts';

/**
 * What the journal of the deployment (`--state-dir`) records it runs: the blueprint version last
 * deployed and the templates `upgrade --template` put in place, by stack id. The second record beside
 * the stacks' tags; undefined when this machine has no journal of it, or one of another region or account.
 */
export interface DeploymentRecord {
  version?: string;
  templateOverrides?: Readonly<Record<string, string>>;
}

export async function readDeploymentRecord(
  stateDir: string,
  where: { deployment: string; region: string; account: string },
): Promise<DeploymentRecord | undefined> {
  const state = await readDeploymentState(stateDir, where.deployment);
  if (!state || state.region !== where.region) return undefined;
  if (state.account !== undefined && state.account !== where.account) return undefined;
  return state.blueprint;
}

/**
 * An install must not undo an upgrade. A stack deployed by a newer blueprint version, or running the
 * template `upgrade --template` gave it, would be put back by this install's change set (a table the
 * upgrade added deleted with its data). So install reads both records of what each existing stack runs,
 * its tags and the journal, and refuses when either says it is newer, naming both versions and the
 * command that changes a deployment on purpose: upgrade. Either record alone may miss it (the journal
 * lives on the machine that ran the upgrade; a stack's tags can be changed or lost by anyone with access
 * to it, in the console or by another tool), so neither is trusted to say "nothing newer".
 * `upgrade` itself refuses only an older blueprint; replacing an override is what it is for.
 * It runs before anything is written, so a refused install leaves the journal's record as it was.
 */
export async function refuseRevert(
  stacks: ReadonlyArray<{ id: string; name: string }>,
  cloudFormation: Pick<CloudFormationPort, 'describeStack'>,
  context: {
    command: 'install' | 'upgrade';
    blueprintVersion: string;
    /** The same run with `upgrade` instead, for the fix. */
    upgradeCommand: string;
    recorded?: DeploymentRecord | undefined;
  },
): Promise<Array<{ id: string; name: string; description: StackDescription | undefined }>> {
  const described = await Promise.all(
    stacks.map(async (stack) => ({ ...stack, description: await cloudFormation.describeStack(stack.name) })),
  );
  const { recorded } = context;
  const details: Array<{ path: string; message: string; fix: string }> = [];
  for (const { id, name, description } of described) {
    if (!description || description.status === 'DELETE_COMPLETE') continue;
    const deployed = newest(description.tags[BLUEPRINT_VERSION_TAG], recorded?.version);
    const override = description.tags[TEMPLATE_OVERRIDE_TAG] ?? recorded?.templateOverrides?.[id];
    if (deployed !== undefined && compareVersions(deployed, context.blueprintVersion) > 0)
      details.push({
        path: `${name} (stack ${id})`,
        message: `runs blueprint version ${deployed}, newer than this blueprint's ${context.blueprintVersion}: ${context.command} would revert it`,
        fix: `Use the blueprint of version ${deployed} or later: ${context.upgradeCommand.replace('<blueprint>', `<folder of version ${deployed}>`)}`,
      });
    else if (override !== undefined && context.command === 'install')
      details.push({
        path: `${name} (stack ${id})`,
        message: `runs the template ${override} given to upgrade --template (blueprint version ${deployed ?? 'unknown'}); install would put back the template of blueprint version ${context.blueprintVersion}`,
        fix: `Change it with upgrade, on purpose: ${context.upgradeCommand.replace('<blueprint>', '<folder>')} --template <template> --stack ${id} (the same template keeps it), or without --template to go back to the blueprint's.`,
      });
  }
  if (details.length > 0)
    throw new StackguideError(
      `Nothing was changed: ${details.length === 1 ? 'a stack runs' : `${details.length} stacks run`} something newer than this ${context.command} would deploy`,
      { code: `${context.command}.would-revert`, kind: 'user', details },
    );
  // The stacks as read, for the review (the parameters each holds now) without a second call.
  return described;
}

/** The newer of two recorded versions, either of which may be missing. */
function newest(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return compareVersions(a, b) >= 0 ? a : b;
}

/**
 * Compares dotted versions part by part (numbers as numbers, `1.10.0` after `1.9.0`); a pre-release
 * (`1.0.0-rc.1`) comes before its release. Versions that are not dotted numbers compare as text.
 */
export function compareVersions(a: string, b: string): number {
  const [coreA = '', preA] = a.split('-', 2);
  const [coreB = '', preB] = b.split('-', 2);
  const partsA = coreA.split('.');
  const partsB = coreB.split('.');
  for (let index = 0; index < Math.max(partsA.length, partsB.length); index++) {
    const left = partsA[index] ?? '0';
    const right = partsB[index] ?? '0';
    const numeric = /^\d+$/.test(left) && /^\d+$/.test(right);
    const order = numeric ? Number(left) - Number(right) : left.localeCompare(right);
    if (order !== 0) return Math.sign(order);
  }
  if (preA === preB) return 0;
  if (preA === undefined) return 1;
  if (preB === undefined) return -1;
  return Math.sign(preA.localeCompare(preB, 'en', { numeric: true }));
}
