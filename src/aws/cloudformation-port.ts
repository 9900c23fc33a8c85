import type { ResourceChange } from '../events.ts';
import { portToken } from './port-token.ts';

/**
 * The CloudFormation calls stackguide makes, in our own terms. Tasks and the streamer depend on this
 * interface; `cloudformation-adapter.ts` maps it onto the SDK and is the only place SDK command classes
 * appear. Fakes implement it in task tests.
 */
export interface CloudFormationPort {
  createStack(input: CreateStackInput): Promise<{ stackId: string }>;
  /** Resolves `{ noChanges: true }` for CloudFormation's "No updates are to be performed". */
  updateStack(input: CreateStackInput): Promise<{ stackId: string; noChanges: boolean }>;
  /** undefined when the stack does not exist (or, by name, was deleted). */
  describeStack(stackNameOrId: string): Promise<StackDescription | undefined>;
  /** The template the stack was last created or updated with, as submitted. */
  getTemplateBody(stackNameOrId: string): Promise<string | undefined>;
  /**
   * One page, newest first, as the API returns them. `retry: false` makes one attempt without the SDK's
   * retries: a poller that retries on its own schedule (the event streamer) would otherwise wait out the
   * SDK's backoff (up to 1, 2, 4 s ... per throttled attempt) under its own, and count neither.
   */
  describeStackEvents(
    stackNameOrId: string,
    nextToken?: string,
    options?: { retry?: boolean },
  ): Promise<StackEventsPage>;
  /**
   * The failed events of the stack's latest operation, nested stacks included (DescribeEvents with the
   * FailedEvents filter, 2025). Throws where the API is not offered; callers fall back to the events.
   */
  describeFailedEvents(stackId: string): Promise<StackEvent[]>;
  /** Every export in the region (all pages), with the stack that exports it. */
  listExports(): Promise<Array<{ name: string; exportingStackId: string }>>;
  /** Names of the stacks importing an export; empty when none does. */
  listImports(exportName: string): Promise<string[]>;
  /** Physical ids of the stack's resources, by logical id. */
  listStackResources(stackNameOrId: string): Promise<StackResourceSummary[]>;
  createChangeSet(input: CreateChangeSetInput): Promise<{ changeSetId: string; stackId: string }>;
  /** All pages of one change set, changes included. */
  describeChangeSet(changeSetId: string): Promise<ChangeSetDescription>;
  /** `disableRollback`: a failed operation stays *_FAILED with what it made (ExecuteChangeSet's DisableRollback). */
  executeChangeSet(
    changeSetId: string,
    clientRequestToken: string,
    options?: { disableRollback?: boolean },
  ): Promise<void>;
  deleteChangeSet(changeSetId: string): Promise<void>;
  /** The stack's change sets (all pages), executed or not; empty when the stack does not exist. */
  listChangeSets(stackNameOrId: string): Promise<ChangeSetListing[]>;
  /** `roleArn`: the service role CloudFormation deletes with (else the one the stack keeps, else the caller). */
  deleteStack(
    stackId: string,
    clientRequestToken: string,
    retainResources?: string[],
    roleArn?: string,
  ): Promise<void>;
  cancelUpdateStack(stackId: string, clientRequestToken: string): Promise<void>;
  setTerminationProtection(stackId: string, enabled: boolean): Promise<void>;
  /** Starts drift detection on the stack (`status --drift`); resolves with the detection's id. */
  detectStackDrift(stackNameOrId: string): Promise<string>;
  /** Where a drift detection stands. */
  describeDriftDetection(detectionId: string): Promise<DriftDetection>;
}

export interface CreateChangeSetInput extends CreateStackInput {
  changeSetName: string;
  changeSetType: 'CREATE' | 'UPDATE';
}

export interface ChangeSetDescription {
  changeSetId: string;
  stackId: string;
  /** CREATE_PENDING, CREATE_IN_PROGRESS, CREATE_COMPLETE, FAILED, ... */
  status: string;
  statusReason?: string;
  executionStatus?: string;
  changes: ResourceChange[];
}

export interface ChangeSetListing {
  changeSetId: string;
  changeSetName: string;
  /** CREATE_COMPLETE, FAILED, ... (how computing it went). */
  status: string;
  /** AVAILABLE and UNAVAILABLE were never executed; EXECUTE_* and OBSOLETE were. */
  executionStatus?: string;
  createdAt?: Date;
}

// Its shape is part of the event vocabulary (`changeset.created`), which is a leaf.
export type { ResourceChange } from '../events.ts';

export interface StackResourceSummary {
  logicalResourceId: string;
  physicalResourceId?: string;
  resourceType: string;
  status: string;
}

export interface CreateStackInput {
  stackName: string;
  templateBody?: string;
  templateUrl?: string;
  parameters: Record<string, string>;
  /** Parameters that keep the value the stack has now (UsePreviousValue), NoEcho ones included. */
  usePreviousValues?: string[];
  capabilities: string[];
  tags: Record<string, string>;
  terminationProtection?: boolean;
  /** The CloudFormation service role (`--role-arn`): CloudFormation acts with it, and keeps it on the stack. */
  roleArn?: string;
  /** Idempotency token: a retried create with the same token does not start a second operation. */
  clientRequestToken: string;
}

export interface StackDescription {
  stackId: string;
  stackName: string;
  status: string;
  statusReason?: string;
  parentId?: string;
  rootId?: string;
  createdAt?: string;
  updatedAt?: string;
  outputs: Record<string, string>;
  parameters: Record<string, string>;
  tags: Record<string, string>;
  terminationProtection: boolean;
  /** The service role CloudFormation keeps for the stack's operations (RoleARN), when it has one. */
  roleArn?: string;
  /** The last drift detection's result, as CloudFormation keeps it; absent when never reported. */
  drift?: { status: string; checkedAt?: string };
}

export interface DriftDetection {
  status: 'DETECTION_IN_PROGRESS' | 'DETECTION_COMPLETE' | 'DETECTION_FAILED';
  /** IN_SYNC, DRIFTED, UNKNOWN or NOT_CHECKED, once known. */
  driftStatus?: string;
  /** Why a detection failed (or completed only in part). */
  reason?: string;
  driftedResources?: number;
  checkedAt?: string;
}

export interface StackEvent {
  eventId: string;
  stackId: string;
  stackName: string;
  logicalResourceId: string;
  physicalResourceId?: string;
  resourceType: string;
  status: string;
  reason?: string;
  timestamp: Date;
  clientRequestToken?: string;
}

export interface StackEventsPage {
  events: StackEvent[];
  nextToken?: string;
}

export const cloudFormationPort = portToken<CloudFormationPort>(
  'CloudFormation',
  {
    createStack: true,
    updateStack: true,
    describeStack: true,
    getTemplateBody: true,
    describeStackEvents: true,
    describeFailedEvents: true,
    listExports: true,
    listImports: true,
    listStackResources: true,
    createChangeSet: true,
    describeChangeSet: true,
    executeChangeSet: true,
    deleteChangeSet: true,
    listChangeSets: true,
    deleteStack: true,
    cancelUpdateStack: true,
    setTerminationProtection: true,
    detectStackDrift: true,
    describeDriftDetection: true,
  },
  'AWS_ENDPOINT_URL_CLOUDFORMATION',
);
