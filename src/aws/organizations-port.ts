import { portToken } from './port-token.ts';

/** The Organizations call stackguide makes: which organization, if any, this account belongs to. */
export interface OrganizationsPort {
  /** undefined when the account is in no organization (AWSOrganizationsNotInUseException): it pays
   * its own bills. */
  describeOrganization(): Promise<OrganizationInfo | undefined>;
}

export interface OrganizationInfo {
  id: string;
  /** The management (payer) account; the API still calls it MasterAccountId. */
  managementAccountId: string;
  managementAccountEmail?: string;
}

export const organizationsPort = portToken<OrganizationsPort>(
  'Organizations',
  {
    describeOrganization: true,
  },
  'AWS_ENDPOINT_URL_ORGANIZATIONS',
);
