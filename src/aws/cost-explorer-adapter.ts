import {
  CostExplorerClient,
  ListCostAllocationTagsCommand,
  UpdateCostAllocationTagsStatusCommand,
} from '@aws-sdk/client-cost-explorer';
import type { CostAllocationTag, CostExplorerPort } from './cost-explorer-port.ts';
import type { PortAdapter } from './port-token.ts';

/**
 * CostExplorerPort over the AWS SDK. Error mapping happens one level up, in aws-context.ts. Cost
 * Explorer has one endpoint per partition (ce.us-east-1.amazonaws.com), which the SDK's endpoint rules
 * pick whatever the client's region. AWS_ENDPOINT_URL_COST_EXPLORER (from the service id "Cost
 * Explorer") wins over any shared endpoint.
 */
export const costExplorerAdapter: PortAdapter<CostExplorerPort> = {
  create: (config) => {
    const client = new CostExplorerClient(config);
    return {
      async listCostAllocationTags(tagKeys) {
        const tags: CostAllocationTag[] = [];
        let NextToken: string | undefined;
        do {
          const page = await client.send(
            new ListCostAllocationTagsCommand({ TagKeys: [...tagKeys], Type: 'UserDefined', NextToken }),
          );
          for (const tag of page.CostAllocationTags ?? []) {
            if (!tag.TagKey) continue;
            tags.push({
              tagKey: tag.TagKey,
              type: tag.Type ?? 'UserDefined',
              status: tag.Status === 'Active' ? 'Active' : 'Inactive',
              ...(tag.LastUpdatedDate ? { lastUpdatedDate: tag.LastUpdatedDate } : {}),
              ...(tag.LastUsedDate ? { lastUsedDate: tag.LastUsedDate } : {}),
            });
          }
          NextToken = page.NextToken;
        } while (NextToken);
        return tags;
      },

      async setCostAllocationTagStatus(entries) {
        const response = await client.send(
          new UpdateCostAllocationTagsStatusCommand({
            CostAllocationTagsStatus: entries.map((entry) => ({
              TagKey: entry.tagKey,
              Status: entry.status,
            })),
          }),
        );
        return (response.Errors ?? []).map((error) => ({
          tagKey: error.TagKey ?? '',
          code: error.Code ?? 'Error',
          message: error.Message ?? '',
        }));
      },
    };
  },
};
