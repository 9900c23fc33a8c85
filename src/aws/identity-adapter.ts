import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import type { IdentityPort } from './identity-port.ts';

export function identityAdapter(client: STSClient): IdentityPort {
  return {
    async whoAmI() {
      const response = await client.send(new GetCallerIdentityCommand({}));
      return { account: response.Account ?? '', arn: response.Arn ?? '', userId: response.UserId ?? '' };
    },
  };
}
