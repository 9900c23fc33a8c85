import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
} from '@aws-sdk/client-resource-groups-tagging-api';
import type { PortAdapter } from './port-token.ts';
import type { TaggedResource, TaggingPort } from './tagging-port.ts';

export const taggingAdapter: PortAdapter<TaggingPort> = {
  create: (config) => {
    const client = new ResourceGroupsTaggingAPIClient(config);
    return {
      async resourcesTagged(key, value) {
        const resources: TaggedResource[] = [];
        let PaginationToken: string | undefined;
        do {
          const page = await client.send(
            new GetResourcesCommand({ TagFilters: [{ Key: key, Values: [value] }], PaginationToken }),
          );
          for (const mapping of page.ResourceTagMappingList ?? []) {
            resources.push({
              arn: mapping.ResourceARN ?? '',
              tags: Object.fromEntries((mapping.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? ''])),
            });
          }
          PaginationToken = page.PaginationToken || undefined;
        } while (PaginationToken);
        return resources;
      },
    };
  },
};
