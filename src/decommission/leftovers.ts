import type { TaggingPort } from '../aws/tagging-port.ts';
import type { DestroyPlan } from './destroy-plan.ts';

/**
 * What still carries the deployment's tag once its stacks are gone, found through the tagging API
 * across the region. Resources of the stacks kept on purpose, and those a DeletionPolicy keeps, are
 * expected; anything else is a leftover that may still cost money.
 */
export interface Leftovers {
  unexpected: Array<{ arn: string; reason: string }>;
  expected: Array<{ arn: string; reason: string }>;
}

const DEPLOYMENT_TAG = 'stackguide:deployment';

export async function findLeftovers(
  tagging: TaggingPort,
  plan: DestroyPlan,
  keptPhysicalIds: ReadonlyMap<string, string>,
): Promise<Leftovers> {
  const tagged = await tagging.resourcesTagged(DEPLOYMENT_TAG, plan.deployment);
  const keptByPolicy = new Map(
    plan.keptByPolicy.flatMap((kept) =>
      kept.physicalId
        ? [[kept.physicalId, `${kept.logicalId} in ${kept.stack}: DeletionPolicy ${kept.policy}`] as const]
        : [],
    ),
  );
  const result: Leftovers = { unexpected: [], expected: [] };
  for (const { arn } of tagged) {
    const kept = [...keptPhysicalIds.entries(), ...keptByPolicy.entries()].find(
      ([physicalId]) =>
        arn === physicalId || arn.endsWith(`:${physicalId}`) || arn.endsWith(`/${physicalId}`),
    );
    if (kept) result.expected.push({ arn, reason: kept[1] });
    else result.unexpected.push({ arn, reason: `still tagged ${DEPLOYMENT_TAG}=${plan.deployment}` });
  }
  return result;
}
