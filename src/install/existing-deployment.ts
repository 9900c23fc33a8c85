import { assertKnownAnswerKeys } from '../blueprint/answer-keys.ts';
import { type Blueprint, loadBlueprint } from '../blueprint/load-blueprint.ts';
import { StackguideError } from '../errors.ts';
import { type AnswersFile, readAnswersFile } from './answers-file.ts';

export interface ExistingDeploymentRequest {
  blueprintPath: string;
  configPath?: string;
  deployment?: string;
  region?: string;
  /** AWS_REGION, AWS_DEFAULT_REGION or the profile's region (src/aws/aws-settings.ts): after --region
   * and the answers file. */
  defaultRegion?: { value: string; source: string };
}

export interface ExistingDeployment {
  blueprint: Blueprint;
  saved: AnswersFile | undefined;
  deployment: string;
  region: string;
}

/**
 * The deployment a command acts on (status, destroy), from --name/--region or the answers file; read
 * locally, before any AWS call. `action` words the error.
 */
export async function findExistingDeployment(
  request: ExistingDeploymentRequest,
  action: string,
): Promise<ExistingDeployment> {
  const blueprint = await loadBlueprint(request.blueprintPath);
  const saved = request.configPath ? await readAnswersFile(request.configPath) : undefined;
  if (saved) assertKnownAnswerKeys(blueprint, { answers: saved.answers, steps: saved.steps });
  const deployment = request.deployment ?? saved?.deployment;
  // The answers file names the deployment's own region; the environment's or profile's is a default.
  const region = request.region ?? saved?.region ?? request.defaultRegion?.value;
  if (!deployment || !region) {
    throw new StackguideError(`${action} needs to know which deployment`, {
      code: 'answers.missing',
      kind: 'user',
      details: [
        ...(!deployment
          ? [{ path: '--name (or deployment: in --config)', message: 'no deployment name' }]
          : []),
        ...(!region
          ? [
              {
                path: '--region (or region: in --config)',
                message: 'no region',
                fix: 'Give --region, set AWS_REGION, or give the profile a region (aws configure set region ...).',
              },
            ]
          : []),
      ],
    });
  }
  return { blueprint, saved, deployment, region };
}
