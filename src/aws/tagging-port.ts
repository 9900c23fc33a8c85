import { portToken } from './port-token.ts';

/** The Resource Groups Tagging API, in our terms: what in a region still carries a tag. */
export interface TaggingPort {
  /** Every resource in the region tagged `key=value`, across all pages. */
  resourcesTagged(key: string, value: string): Promise<TaggedResource[]>;
}

export interface TaggedResource {
  arn: string;
  tags: Record<string, string>;
}

export const taggingPort = portToken<TaggingPort>(
  'Tagging',
  { resourcesTagged: true },
  'AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API',
);
