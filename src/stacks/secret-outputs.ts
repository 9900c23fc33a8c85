import type { Blueprint } from '../blueprint/load-blueprint.ts';
import { mask } from '../output/format.ts';

/**
 * The outputs of a blueprint stack that can echo a secret: those whose Value refers to a parameter the
 * blueprint feeds from a secret answer, or one the template declares NoEcho (`!Ref DbPassword`,
 * `!Sub 'postgres://admin:${DbPassword}@...'`). CloudFormation returns such an output in clear.
 * install and upgrade hold the secret values and mask by value (shownOutputs in install-plan.ts);
 * status and watch never hold them (secrets are not saved), so they mask these outputs by name. A
 * stack whose template is a URL has none known.
 */
export function secretOutputNames(
  blueprint: Pick<Blueprint, 'stacks' | 'questions' | 'templates'>,
  stackId: string,
): ReadonlySet<string> {
  const template = blueprint.templates[stackId];
  const stack = blueprint.stacks.find((each) => each.id === stackId);
  if (!template || !stack) return new Set();
  const secretAnswers = blueprint.questions.filter((q) => q.type === 'secret').map((q) => q.id);
  const secretParameters = new Set([
    ...Object.entries(template.summary.parameters)
      .filter(([, parameter]) => parameter.noEcho)
      .map(([name]) => name),
    ...Object.entries(stack.parameters)
      .filter(
        ([, source]) =>
          typeof source === 'string' && secretAnswers.some((id) => source.includes(`answers.${id}`)),
      )
      .map(([name]) => name),
  ]);
  const outputs = template.document.Outputs;
  const names = new Set<string>();
  if (secretParameters.size === 0 || outputs === null || typeof outputs !== 'object') return names;
  for (const [name, output] of Object.entries(outputs))
    if (refersTo((output as { Value?: unknown } | null)?.Value, secretParameters)) names.add(name);
  return names;
}

/** A template value that refers to one of the parameters: a `Ref`, or a `${Name}` in a `Fn::Sub`. */
function refersTo(node: unknown, parameters: ReadonlySet<string>): boolean {
  if (typeof node === 'string') return false;
  if (Array.isArray(node)) return node.some((item) => refersTo(item, parameters));
  if (node === null || typeof node !== 'object') return false;
  return Object.entries(node).some(([key, value]) => {
    if (key === 'Ref') return typeof value === 'string' && parameters.has(value);
    if (key === 'Fn::Sub') {
      const text = Array.isArray(value) ? value[0] : value;
      const variables = Array.isArray(value) ? value.slice(1) : [];
      return (
        (typeof text === 'string' &&
          [...text.matchAll(/\$\{([^!}][^}]*)\}/g)].some(([, name]) =>
            parameters.has((name ?? '').trim()),
          )) ||
        refersTo(variables, parameters)
      );
    }
    return refersTo(value, parameters);
  });
}

/** The outputs with those named shown as the fixed mask. */
export function maskSecretOutputs(
  outputs: Readonly<Record<string, string>>,
  secret: ReadonlySet<string>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(outputs).map(([key, value]) => [key, secret.has(key) ? mask(value) : value]),
  );
}
