import { deploymentNameProblem } from '../blueprint/answer-validation.ts';
import { type Blueprint, loadBlueprint } from '../blueprint/load-blueprint.ts';
import { StackguideError } from '../errors.ts';
import { type AnswersFile, checkAnswersBlueprint, readAnswersFile } from '../install/answers-file.ts';
import { buildPolicies, type Policies } from '../policy/operator-policy.ts';
import type { Flow } from './flow.ts';

/**
 * `stackguide policy <blueprint>`: the IAM policy an operator needs for install, status, watch, upgrade
 * and destroy of the blueprint. Purely local: the blueprint, the answers file and the flags; bad input
 * is exit 2 and no AWS call is ever made, so this flow needs no host.
 */
export interface PolicyRequest {
  blueprintPath: string;
  configPath?: string;
  /** `--name`: wins over the answers file, which wins over the blueprint's default name. */
  deployment?: string;
  /** `--region`: wins over the answers file; neither means any of the blueprint's regions. */
  region?: string;
  /** `--service-role`: also the CloudFormation service role's policy; the operator then passes it. */
  serviceRole: boolean;
}

/** The policies, and the deployment and region they are scoped to (undefined: any). */
export interface PolicyOutcome {
  policies: Policies;
  deployment: string | undefined;
  region: string | undefined;
}

interface Validated {
  blueprint: Blueprint;
  saved: AnswersFile | undefined;
  deployment: string | undefined;
  region: string | undefined;
  serviceRole: boolean;
}

export function policyFlow(): Flow<PolicyRequest, Validated, Validated, PolicyOutcome> {
  return {
    async validate(request) {
      const blueprint = await loadBlueprint(request.blueprintPath);
      const saved = request.configPath ? await readAnswersFile(request.configPath) : undefined;
      if (saved) checkAnswersBlueprint(saved, blueprint.product.id);
      const deployment = request.deployment ?? saved?.deployment ?? blueprint.deployment.default;
      const nameProblem =
        deployment === undefined ? undefined : deploymentNameProblem(blueprint.deployment, deployment);
      if (deployment !== undefined && nameProblem)
        throw new StackguideError(`The deployment name ${nameProblem.message}`, {
          code: 'policy.name',
          kind: 'user',
          details: [{ path: request.deployment !== undefined ? '--name' : 'deployment', ...nameProblem }],
        });
      const region = request.region ?? saved?.region;
      if (region !== undefined && !blueprint.regions.includes(region))
        throw new StackguideError(`${blueprint.product.id} is not offered in ${region}`, {
          code: 'policy.region',
          kind: 'user',
          details: [
            {
              path: request.region !== undefined ? '--region' : 'region',
              message: `"${region}" is not one of the blueprint's regions`,
              fix: `Use one of ${blueprint.regions.join(', ')}.`,
            },
          ],
        });
      return { blueprint, saved, deployment, region, serviceRole: request.serviceRole };
    },

    // Nothing to ask: the policy is written from the blueprint and the answers already given.
    async ask(validated) {
      return validated;
    },

    async execute({ blueprint, saved, deployment, region, serviceRole }) {
      const policies = buildPolicies(
        blueprint,
        {
          ...(deployment !== undefined ? { deployment } : {}),
          ...(region !== undefined ? { region } : {}),
          ...(saved?.account !== undefined ? { account: saved.account } : {}),
          ...(saved ? { answers: saved.answers } : {}),
        },
        { serviceRole },
      );
      return { policies, deployment, region };
    },
  };
}
