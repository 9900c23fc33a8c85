import {
  DeleteParameterCommand,
  GetParameterCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import type { PortAdapter } from './port-token.ts';
import type { SsmPort } from './ssm-port.ts';

export const ssmAdapter: PortAdapter<SsmPort> = {
  create: (config) => ssmOver(new SSMClient(config)),
};

function ssmOver(client: SSMClient): SsmPort {
  return {
    async createParameterIfAbsent({ name, value, description, tags }) {
      try {
        await client.send(
          new PutParameterCommand({
            Name: name,
            Value: value,
            Description: description,
            Type: 'String',
            Overwrite: false,
            Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
          }),
        );
        return true;
      } catch (error) {
        if ((error as { name?: string }).name === 'ParameterAlreadyExists') return false;
        throw error;
      }
    },

    async getParameter(name) {
      try {
        const response = await client.send(new GetParameterCommand({ Name: name }));
        const parameter = response.Parameter;
        if (parameter?.Value === undefined) return undefined;
        return {
          value: parameter.Value,
          ...(parameter.LastModifiedDate ? { lastModified: parameter.LastModifiedDate } : {}),
        };
      } catch (error) {
        if ((error as { name?: string }).name === 'ParameterNotFound') return undefined;
        throw error;
      }
    },

    async deleteParameter(name) {
      try {
        await client.send(new DeleteParameterCommand({ Name: name }));
        return true;
      } catch (error) {
        if ((error as { name?: string }).name === 'ParameterNotFound') return false;
        throw error;
      }
    },
  };
}
