import type { CloudFormationPort } from '../aws/cloudformation-port.ts';
import { BLUEPRINT_VERSION_TAG, TEMPLATE_OVERRIDE_TAG } from '../deployment-tags.ts';
import { StackguideError } from '../errors.ts';

/**
 * An install must not undo an upgrade. A stack deployed by a newer blueprint version, or running the
 * template `upgrade --template` gave it, would be put back by this install's change set (a table the
 * upgrade added deleted with its data). So install reads what each existing stack records (its tags)
 * and refuses, naming both versions and the command that changes a deployment on purpose: upgrade.
 * `upgrade` itself refuses only an older blueprint; replacing an override is what it is for.
 */
export async function refuseRevert(
  stacks: ReadonlyArray<{ id: string; name: string }>,
  cloudFormation: Pick<CloudFormationPort, 'describeStack'>,
  context: {
    command: 'install' | 'upgrade';
    blueprintVersion: string;
    /** The same run with `upgrade` instead, for the fix. */
    upgradeCommand: string;
  },
): Promise<void> {
  const described = await Promise.all(
    stacks.map(async (stack) => ({ ...stack, description: await cloudFormation.describeStack(stack.name) })),
  );
  const details: Array<{ path: string; message: string; fix: string }> = [];
  for (const { id, name, description } of described) {
    if (!description || description.status === 'DELETE_COMPLETE') continue;
    const deployed = description.tags[BLUEPRINT_VERSION_TAG];
    const override = description.tags[TEMPLATE_OVERRIDE_TAG];
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
