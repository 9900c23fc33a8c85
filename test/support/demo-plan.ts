import { loadBlueprint } from '../../src/blueprint/load-blueprint.ts';
import { buildInstallPlan, type InstallPlan } from '../../src/install/install-plan.ts';

/**
 * The demo blueprint's install plan for deployment lab in account 111122223333, every question
 * answered (environment prod, alerts on), in `region`: what the review and the stacks' question are
 * built from.
 */
export async function demoInstallPlan(region: string): Promise<InstallPlan> {
  const blueprint = await loadBlueprint('blueprints/demo');
  return buildInstallPlan(blueprint, {
    deployment: 'lab',
    region,
    account: '111122223333',
    answers: {
      environment: 'prod',
      networkCidr: '10.9.0.0/16',
      jobTimeoutSeconds: 60,
      enableAlerts: true,
      adminEmail: 'a@b.co',
    },
  });
}
