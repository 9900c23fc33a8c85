import { portToken } from './port-token.ts';

/** The IAM calls stackguide makes: service-linked roles, looked up and created. */
export interface IamPort {
  /** Every role whose path starts with the prefix (`/aws-service-role/batch.amazonaws.com/`). */
  listRoles(pathPrefix: string): Promise<IamRole[]>;
  /**
   * Creates the service's service-linked role. Resolves `{ created: false }` when IAM answers that
   * the role already exists, in any of the forms it says so.
   */
  createServiceLinkedRole(service: string): Promise<{ created: boolean; roleName?: string }>;
}

export interface IamRole {
  roleName: string;
  arn: string;
  path: string;
}

export const iamPort = portToken<IamPort>(
  'IAM',
  { listRoles: true, createServiceLinkedRole: true },
  'AWS_ENDPOINT_URL_IAM',
);
