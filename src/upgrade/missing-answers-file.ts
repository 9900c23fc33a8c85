import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadBlueprint } from '../blueprint/load-blueprint.ts';
import { StackguideError } from '../errors.ts';
import { lastDeployment } from '../status/last-deployment.ts';

/**
 * upgrade without --config: the refusal names the answers file to pass when it can find it as `status`
 * does (the deployment named with --name, else the last one of the blueprint in the state folder, and
 * `<name>.answers.yaml` beside the operator), so the fix is a file that exists, not a placeholder
 * (trial finding 83). upgrade does not take the file by itself: it changes the deployment, and the
 * operator says which answers it applies.
 */
export async function missingAnswersFile(request: {
  blueprintPath: string;
  deployment?: string;
  stateDir: string;
  /** Where install wrote `<name>.answers.yaml` (and status looks for it): the current folder. */
  cwd?: string;
}): Promise<StackguideError> {
  const deployment =
    request.deployment ??
    (await loadBlueprint(request.blueprintPath)
      .then((blueprint) => lastDeployment(request.stateDir, blueprint.product.id))
      .then((found) => found.deployment)
      .catch(() => undefined));
  const file = deployment ? `${deployment}.answers.yaml` : undefined;
  const found = file !== undefined && existsSync(resolve(request.cwd ?? process.cwd(), file));
  return new StackguideError('upgrade needs the answers file of the deployment it upgrades', {
    code: 'answers.missing',
    kind: 'user',
    details: [
      {
        path: '--config',
        message: found
          ? `not given (${file} is the answers file install wrote for ${deployment})`
          : 'not given',
        fix: found
          ? `Pass --config ${file}.`
          : `Pass --config <the answers file install wrote>${deployment ? ` (${file} is not in this folder)` : ''}.`,
      },
    ],
  });
}
