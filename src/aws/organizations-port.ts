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
