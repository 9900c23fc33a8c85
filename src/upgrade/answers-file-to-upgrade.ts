import { loadBlueprint } from '../blueprint/load-blueprint.ts';
import { StackguideError } from '../errors.ts';
import { readAnswersFile } from '../install/answers-file.ts';
import { findDeploymentAnswersFile } from '../install/deployment-answers-file.ts';
import { readDeploymentState } from '../journal/journal.ts';
import { lookedForText } from '../output/answers-source-text.ts';
import { lastDeployment } from '../status/last-deployment.ts';

export interface UpgradeTarget {
  blueprintPath: string;
  /** `--config`: that file, and nothing is looked for. */
  configPath: string | undefined;
  /** `--name`: its answers file, not the last deployment's. */
  deployment?: string;
  /** `--region`: only an answers file for that region is taken. */
  region?: string;
  stateDir: string;
  /** Where install wrote `<name>.answers.yaml` (and status looks for it): the current folder. */
  cwd?: string;
}

/**
 * upgrade without --config: the answers file `status` reads (src/install/deployment-answers-file.ts) of
 * the deployment named with --name, else of the blueprint's last one in the state folder: the file the
 * journal records the last install or upgrade applied, else `<name>.answers.yaml`, either only when it is
 * for that deployment and region. It is the file the deployment was last installed or upgraded from, so
 * upgrade applies it rather than refusing (with --yes too); the flow names it before anything is asked
 * or changed (`answers.chosen`), and every command it prints passes it with --config. When there is
 * none, the refusal names each file it looked for and why it was not taken (trial finding 83: not a
 * placeholder when the file can be found).
 */
export async function answersFileToUpgrade(
  target: UpgradeTarget,
): Promise<{ path: string; chosen?: { from: 'journal' | 'beside'; deployment: string } }> {
  if (target.configPath) return { path: target.configPath };
  const known = await knownDeployment(target);
  const found = known && {
    deployment: known.deployment,
    ...(await findDeploymentAnswersFile({
      deployment: known.deployment,
      region: target.region ?? known.region,
      recorded: known.recorded,
      read: readAnswersFile,
      ...(target.cwd ? { cwd: target.cwd } : {}),
    })),
  };
  if (found?.saved)
    return { path: found.source.path, chosen: { from: found.source.from, deployment: found.deployment } };
  throw new StackguideError('upgrade needs the answers file of the deployment it upgrades', {
    code: 'answers.missing',
    kind: 'user',
    details: [
      {
        path: '--config',
        message: found
          ? `not given, and no answers file of ${found.deployment} was found: looked for ${lookedForText(found.source)}`
          : 'not given',
        fix: `Pass --config <the answers file install wrote${found ? ` for ${found.deployment}` : ''}>.`,
      },
    ],
  });
}

/**
 * The deployment upgraded when --config does not name it, from what the state folder knows: --name (its
 * journal's region and recorded answers file when it has one), else the blueprint's last deployment.
 */
async function knownDeployment(
  target: UpgradeTarget,
): Promise<{ deployment: string; region: string | undefined; recorded: string | undefined } | undefined> {
  const deployment =
    target.deployment ??
    (await loadBlueprint(target.blueprintPath)
      .then((blueprint) => lastDeployment(target.stateDir, blueprint.product.id))
      .then((found) => found.deployment)
      // Nothing recorded, or a blueprint that does not load (validate says why, once given --config).
      .catch(() => undefined));
  if (deployment === undefined) return undefined;
  const state = await readDeploymentState(target.stateDir, deployment);
  return { deployment, region: state?.region, recorded: state?.answersFile };
}
