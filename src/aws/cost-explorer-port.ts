import { portToken } from './port-token.ts';

/**
 * The Cost Explorer calls stackguide makes: a user-defined cost allocation tag key, looked up and
 * activated. Only the organization's management account (or a standalone account) may activate one.
 */
export interface CostExplorerPort {
  /** The user-defined tags with these keys that Billing has seen; a key never used on a resource (or
   * used within the last ~24 h) is not listed. */
  listCostAllocationTags(tagKeys: readonly string[]): Promise<CostAllocationTag[]>;
  /** Resolves the per-key errors AWS reports (an unknown key, ...); empty when every key was updated. */
  setCostAllocationTagStatus(
    entries: ReadonlyArray<{ tagKey: string; status: CostAllocationTagStatus }>,
  ): Promise<Array<{ tagKey: string; code: string; message: string }>>;
}

export type CostAllocationTagStatus = 'Active' | 'Inactive';

export interface CostAllocationTag {
  tagKey: string;
  /** UserDefined or AWSGenerated. */
  type: string;
  status: CostAllocationTagStatus;
  lastUpdatedDate?: string;
  lastUsedDate?: string;
}

export const costExplorerPort = portToken<CostExplorerPort>(
  'Cost Explorer',
  { listCostAllocationTags: true, setCostAllocationTagStatus: true },
  'AWS_ENDPOINT_URL_COST_EXPLORER',
);
