import { portToken } from './port-token.ts';

/** The RDS calls stackguide makes: reading a database's live settings for upgrade checks. */
export interface RdsPort {
  /** undefined when no instance has that identifier. */
  describeDbInstance(identifier: string): Promise<DbInstance | undefined>;
}

export interface DbInstance {
  identifier: string;
  allocatedStorage?: number;
  maxAllocatedStorage?: number;
  instanceClass?: string;
  engineVersion?: string;
}

export const rdsPort = portToken<RdsPort>('RDS', { describeDbInstance: true }, 'AWS_ENDPOINT_URL_RDS');
