import { portToken } from './port-token.ts';

/**
 * The SSM Parameter Store calls stackguide makes: the deployment lock is one parameter, created only
 * if absent. PutParameter with Overwrite=false is atomic in the account (of two callers, exactly one
 * creates it), which is all a lock needs, with no new infrastructure.
 */
export interface SsmPort {
  /** Creates a String parameter unless it exists: true when this call created it, false when it existed. */
  createParameterIfAbsent(input: {
    name: string;
    value: string;
    description: string;
    tags: Record<string, string>;
  }): Promise<boolean>;
  /** undefined when there is no such parameter. */
  getParameter(name: string): Promise<{ value: string; lastModified?: Date } | undefined>;
  /** false when it was already gone. */
  deleteParameter(name: string): Promise<boolean>;
}

export const ssmPort = portToken<SsmPort>(
  'SSM',
  { createParameterIfAbsent: true, getParameter: true, deleteParameter: true },
  'AWS_ENDPOINT_URL_SSM',
);
