import { CreateServiceLinkedRoleCommand, IAMClient, paginateListRoles } from '@aws-sdk/client-iam';
import type { IamPort, IamRole } from './iam-port.ts';
import type { PortAdapter } from './port-token.ts';

/** IamPort over the AWS SDK. Error mapping happens one level up, in aws-context.ts. */
export const iamAdapter: PortAdapter<IamPort> = {
  create: (config) => {
    const client = new IAMClient(config);
    return {
      async listRoles(pathPrefix) {
        const roles: IamRole[] = [];
        for await (const page of paginateListRoles({ client }, { PathPrefix: pathPrefix })) {
          for (const role of page.Roles ?? []) {
            if (role.RoleName)
              roles.push({ roleName: role.RoleName, arn: role.Arn ?? '', path: role.Path ?? '' });
          }
        }
        return roles;
      },

      async createServiceLinkedRole(service) {
        try {
          const response = await client.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: service }));
          return { created: true, ...(response.Role?.RoleName ? { roleName: response.Role.RoleName } : {}) };
        } catch (error) {
          if (alreadyExists(error)) return { created: false };
          throw error;
        }
      },
    };
  },
};

/**
 * IAM says "this role exists" in several ways: EntityAlreadyExists ("Role with name ... already
 * exists"), and for most services InvalidInput "Service role name AWSServiceRoleForX has been taken in
 * this account, please try a different suffix" (seen for autoscaling, ecs, es, batch; see
 * https://github.com/Rayraegah/terraform-aws-hasura/issues/17). Other InvalidInput errors (a service
 * that has no service-linked role, a bad name) are real errors and are passed on.
 */
function alreadyExists(error: unknown): boolean {
  const name = (error as { name?: string }).name ?? '';
  const message = (error as { message?: string }).message ?? '';
  if (/^EntityAlreadyExists/.test(name)) return true;
  return /^InvalidInput/.test(name) && /has been taken in this account|already exists/i.test(message);
}
