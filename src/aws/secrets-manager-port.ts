import { portToken } from './port-token.ts';

/**
 * The Secrets Manager calls stackguide makes for a credentials secret. Secret values go in and, for a
 * comparison only, come out; they are never part of what a call returns to be kept or shown.
 */
export interface SecretsManagerPort {
  /** undefined when no secret has that name (or ARN). */
  describeSecret(secretId: string): Promise<SecretDescription | undefined>;
  /** The current value, undefined when it has none as a string (binary) or it cannot be read. */
  getSecretString(secretId: string): Promise<string | undefined>;
  createSecret(input: CreateSecretInput): Promise<{ arn: string }>;
  /** A new current version. */
  putSecretValue(secretId: string, secretString: string): Promise<{ arn: string }>;
  /** Cancels a scheduled deletion. */
  restoreSecret(secretId: string): Promise<void>;
}

export interface SecretDescription {
  arn: string;
  name: string;
  tags: Record<string, string>;
  /** Set while the secret is scheduled for deletion: its name is still taken. */
  deletedDate?: string;
  lastChangedDate?: string;
}

export interface CreateSecretInput {
  name: string;
  secretString: string;
  description: string;
  tags: Record<string, string>;
}

export const secretsManagerPort = portToken<SecretsManagerPort>(
  'Secrets Manager',
  {
    describeSecret: true,
    getSecretString: true,
    createSecret: true,
    putSecretValue: true,
    restoreSecret: true,
  },
  'AWS_ENDPOINT_URL_SECRETS_MANAGER',
);
