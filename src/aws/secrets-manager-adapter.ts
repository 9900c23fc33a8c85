import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { PortAdapter } from './port-token.ts';
import type { SecretsManagerPort } from './secrets-manager-port.ts';

/** SecretsManagerPort over the AWS SDK. Error mapping happens one level up, in aws-context.ts. */
export const secretsManagerAdapter: PortAdapter<SecretsManagerPort> = {
  create: (config) => {
    const client = new SecretsManagerClient(config);
    return {
      async describeSecret(secretId) {
        try {
          const response = await client.send(new DescribeSecretCommand({ SecretId: secretId }));
          return {
            arn: response.ARN ?? '',
            name: response.Name ?? secretId,
            tags: Object.fromEntries(
              (response.Tags ?? []).flatMap((tag) => (tag.Key ? [[tag.Key, tag.Value ?? '']] : [])),
            ),
            ...(response.DeletedDate ? { deletedDate: response.DeletedDate.toISOString() } : {}),
            ...(response.LastChangedDate ? { lastChangedDate: response.LastChangedDate.toISOString() } : {}),
          };
        } catch (error) {
          if ((error as { name?: string }).name === 'ResourceNotFoundException') return undefined;
          throw error;
        }
      },

      async getSecretString(secretId) {
        try {
          const response = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
          return response.SecretString;
        } catch (error) {
          // No current value yet (created without one), or one we may not read: nothing to compare with.
          const name = (error as { name?: string }).name;
          if (name === 'ResourceNotFoundException' || name === 'AccessDeniedException') return undefined;
          throw error;
        }
      },

      async createSecret(input) {
        const response = await client.send(
          new CreateSecretCommand({
            Name: input.name,
            SecretString: input.secretString,
            Description: input.description,
            Tags: Object.entries(input.tags).map(([Key, Value]) => ({ Key, Value })),
            // ClientRequestToken is left to the SDK, which fills in a fresh idempotency token, so its own
            // retries of this call never create a second version.
          }),
        );
        return { arn: response.ARN ?? '' };
      },

      async putSecretValue(secretId, secretString) {
        const response = await client.send(
          new PutSecretValueCommand({ SecretId: secretId, SecretString: secretString }),
        );
        return { arn: response.ARN ?? '' };
      },

      async restoreSecret(secretId) {
        await client.send(new RestoreSecretCommand({ SecretId: secretId }));
      },
    };
  },
};
