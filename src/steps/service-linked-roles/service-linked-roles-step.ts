import type { IamPort, IamRole } from '../../aws/iam-port.ts';
import { iamPort } from '../../aws/iam-port.ts';
import {
  type CheckResult,
  defineStep,
  type PlannedChange,
  resourceCreated,
  type StepContext,
} from '../step.ts';
import { type ServiceLinkedRolesConfig, serviceLinkedRolesConfig } from './service-linked-roles-config.ts';

/**
 * Service-linked roles the platform's services need before their first resource (seed 000: batch,
 * autoscaling, elasticache, es, rds, spot, ...). A first deployment in a fresh account otherwise fails
 * deep inside a stack with "unable to assume the service linked role". A role is found by its path,
 * `/aws-service-role/<service>/`, whatever its name; apply creates only the missing ones, and IAM saying
 * the role already exists (in any of its wordings) counts as success.
 */

export const serviceLinkedRolesStep = defineStep({
  ...serviceLinkedRolesConfig,

  async check(context, config): Promise<CheckResult[]> {
    const found = await findRoles(context.aws.use(iamPort), config);
    return config.services.map((service) => {
      const roles = found.get(service) ?? [];
      const exists = roles.length > 0;
      return {
        id: `${context.stepId}.${service}`,
        step: context.stepId,
        title: `Service-linked role for ${service}`,
        // Missing is a warning, not a failure: install creates it before any stack needs it.
        status: exists ? 'pass' : 'warn',
        summary: exists
          ? `exists (${roles.map((role) => role.roleName).join(', ')})`
          : 'missing: stackguide install creates it',
        required: true,
        facts: { service, roles: roles.map((role) => role.arn) },
        ...(exists
          ? {}
          : {
              plannedByInstall: true,
              fix: `Run stackguide install, which creates it, or create it yourself: aws iam create-service-linked-role --aws-service-name ${service}`,
            }),
      };
    });
  },

  async plan(context, config): Promise<PlannedChange[]> {
    const found = await findRoles(context.aws.use(iamPort), config);
    return config.services
      .filter((service) => (found.get(service) ?? []).length === 0)
      .map((service) => ({
        step: context.stepId,
        action: 'create',
        resource: `service-linked role for ${service}`,
        detail: `aws iam create-service-linked-role --aws-service-name ${service}`,
      }));
  },

  async apply(context, config) {
    const iam = context.aws.use(iamPort);
    const found = await findRoles(iam, config);
    for (const service of config.services) {
      const existing = found.get(service) ?? [];
      if (existing.length > 0) {
        progress(context, `Service-linked role for ${service} exists`, service, existing[0]?.roleName);
        continue;
      }
      progress(context, `Creating the service-linked role for ${service}`, service);
      const result = await iam.createServiceLinkedRole(service);
      if (result.created)
        resourceCreated(context, {
          kind: 'serviceLinkedRole',
          // IAM names the role it made; should it not, the service is what names it.
          id: result.roleName ?? service,
          name: service,
        });
      progress(
        context,
        result.created
          ? `Created the service-linked role for ${service}`
          : `Service-linked role for ${service} already exists`,
        service,
        result.roleName,
      );
    }
    return {};
  },
});

async function findRoles(iam: IamPort, config: ServiceLinkedRolesConfig): Promise<Map<string, IamRole[]>> {
  const entries = await Promise.all(
    config.services.map(
      async (service) => [service, await iam.listRoles(`/aws-service-role/${service}/`)] as const,
    ),
  );
  return new Map(entries);
}

function progress(context: StepContext, message: string, service: string, roleName?: string): void {
  context.emit({
    type: 'step.progress',
    step: context.stepId,
    message,
    facts: { service, ...(roleName ? { roleName } : {}) },
  });
}
