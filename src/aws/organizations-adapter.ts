import { DescribeOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import type { OrganizationsPort } from './organizations-port.ts';
import type { PortAdapter } from './port-token.ts';

/** OrganizationsPort over the AWS SDK. Error mapping happens one level up, in aws-context.ts. */
export const organizationsAdapter: PortAdapter<OrganizationsPort> = {
  create: (config) => {
    const client = new OrganizationsClient(config);
    return {
      async describeOrganization() {
        try {
          const response = await client.send(new DescribeOrganizationCommand({}));
          const organization = response.Organization;
          if (!organization) return undefined;
          return {
            id: organization.Id ?? '',
            managementAccountId: organization.MasterAccountId ?? '',
            ...(organization.MasterAccountEmail
              ? { managementAccountEmail: organization.MasterAccountEmail }
              : {}),
          };
        } catch (error) {
          if ((error as { name?: string }).name === 'AWSOrganizationsNotInUseException') return undefined;
          throw error;
        }
      },
    };
  },
};
