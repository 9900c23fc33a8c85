/** Who we are in AWS: STS GetCallerIdentity, in our terms. */
export interface IdentityPort {
  whoAmI(): Promise<CallerIdentity>;
}

export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
}
