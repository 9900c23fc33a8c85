import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { IdentityPort } from './identity-port.ts';
import type { PortAdapter } from './port-token.ts';

export const identityAdapter: PortAdapter<IdentityPort> = {
  create: (config) => {
    const client = new STSClient(config);
    return {
      async whoAmI() {
        const response = await client.send(new GetCallerIdentityCommand({}));
        return { account: response.Account ?? '', arn: response.Arn ?? '', userId: response.UserId ?? '' };
      },
    };
  },
};
