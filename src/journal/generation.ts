/**
 * A deployment can be destroyed and installed again under the same name: the stacks then have new ids.
 * A journaled plan (an interrupted destroy's) belongs to the generation whose stack ids it lists; if
 * AWS now holds a stack of the deployment whose id the plan never listed, the deployment was installed
 * again since, and that plan must never be applied to it: the plan is rebuilt from AWS.
 */
export function newStacksSince(
  journaledStackIds: readonly string[],
  current: readonly { name: string; stackId: string }[],
): string[] {
  const known = new Set(journaledStackIds);
  return current.filter((stack) => !known.has(stack.stackId)).map((stack) => stack.name);
}
