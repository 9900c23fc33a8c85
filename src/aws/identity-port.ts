import { portToken } from './port-token.ts';

/** Who we are in AWS: STS GetCallerIdentity, in our terms. */
export interface IdentityPort {
  whoAmI(): Promise<CallerIdentity>;
}

export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
}

export const identityPort = portToken<IdentityPort>('STS', { whoAmI: true }, 'AWS_ENDPOINT_URL_STS');
