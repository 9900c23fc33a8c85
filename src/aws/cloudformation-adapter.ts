import {
  CancelUpdateStackCommand,
  CloudFormationClient,
  CreateChangeSetCommand,
  CreateStackCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  type DescribeChangeSetCommandOutput,
  DescribeEventsCommand,
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  DetectStackDriftCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  ListChangeSetsCommand,
  ListExportsCommand,
  ListImportsCommand,
  ListStackResourcesCommand,
  type Stack,
  UpdateStackCommand,
  UpdateTerminationProtectionCommand,
} from '@aws-sdk/client-cloudformation';
import type { CloudFormationPort, CreateStackInput, StackDescription } from './cloudformation-port.ts';
import type { PortAdapter } from './port-token.ts';

/** CloudFormationPort over the AWS SDK. Error mapping happens one level up, in aws-context.ts. */
export const cloudFormationAdapter: PortAdapter<CloudFormationPort> = {
  create: (config) =>
    cloudFormationOver(
      new CloudFormationClient(config),
      () => new CloudFormationClient({ ...config, maxAttempts: 1 }),
    ),
};

/**
 * Over a client built elsewhere: tests hand in one mocked with aws-sdk-client-mock. `singleAttempt` makes
 * the client for calls made with `retry: false` (one attempt each), on first use; without it they go
 * through `client` too.
 */
export function cloudFormationOver(
  client: CloudFormationClient,
  singleAttempt?: () => CloudFormationClient,
): CloudFormationPort {
  let oneTry: CloudFormationClient | undefined;
  const withoutRetries = (): CloudFormationClient => {
    oneTry ??= singleAttempt?.() ?? client;
    return oneTry;
  };
  return {
    async createStack(input) {
      const response = await client.send(
        new CreateStackCommand({
          ...stackRequest(input),
          EnableTerminationProtection: input.terminationProtection ?? false,
          ClientRequestToken: input.clientRequestToken,
        }),
      );
      return { stackId: response.StackId ?? input.stackName };
    },

    async updateStack(input) {
      try {
        const response = await client.send(
          new UpdateStackCommand({ ...stackRequest(input), ClientRequestToken: input.clientRequestToken }),
        );
        return { stackId: response.StackId ?? input.stackName, noChanges: false };
      } catch (error) {
        if (/No updates are to be performed/.test((error as Error).message))
          return { stackId: input.stackName, noChanges: true };
        throw error;
      }
    },

    async detectStackDrift(stackNameOrId) {
      const response = await client.send(new DetectStackDriftCommand({ StackName: stackNameOrId }));
      return response.StackDriftDetectionId ?? '';
    },

    async describeDriftDetection(detectionId) {
      const response = await client.send(
        new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId: detectionId }),
      );
      return {
        status: response.DetectionStatus ?? 'DETECTION_FAILED',
        ...(response.StackDriftStatus ? { driftStatus: response.StackDriftStatus } : {}),
        ...(response.DetectionStatusReason ? { reason: response.DetectionStatusReason } : {}),
        ...(response.DriftedStackResourceCount !== undefined
          ? { driftedResources: response.DriftedStackResourceCount }
          : {}),
        ...(response.Timestamp ? { checkedAt: response.Timestamp.toISOString() } : {}),
      };
    },

    async describeStack(stackNameOrId) {
      try {
        const response = await client.send(new DescribeStacksCommand({ StackName: stackNameOrId }));
        const stack = response.Stacks?.[0];
        return stack ? toDescription(stack) : undefined;
      } catch (error) {
        if (/does not exist/.test((error as Error).message)) return undefined;
        throw error;
      }
    },

    async getTemplateBody(stackNameOrId) {
      const response = await client.send(
        new GetTemplateCommand({ StackName: stackNameOrId, TemplateStage: 'Original' }),
      );
      return response.TemplateBody;
    },

    async describeFailedEvents(stackId) {
      const events = [];
      let NextToken: string | undefined;
      do {
        const page = await client.send(
          new DescribeEventsCommand({ StackName: stackId, Filters: { FailedEvents: true }, NextToken }),
        );
        for (const event of page.OperationEvents ?? []) {
          events.push({
            eventId: event.EventId ?? '',
            stackId: event.StackId ?? stackId,
            stackName: /:stack\/([^/]+)\//.exec(event.StackId ?? '')?.[1] ?? '',
            logicalResourceId: event.LogicalResourceId ?? '',
            resourceType: event.ResourceType ?? '',
            status: event.ResourceStatus ?? '',
            timestamp: event.Timestamp ?? new Date(0),
            ...(event.PhysicalResourceId ? { physicalResourceId: event.PhysicalResourceId } : {}),
            ...(event.ResourceStatusReason ? { reason: event.ResourceStatusReason } : {}),
          });
        }
        NextToken = page.NextToken;
      } while (NextToken);
      return events;
    },

    async listExports() {
      const exports: Array<{ name: string; exportingStackId: string }> = [];
      let NextToken: string | undefined;
      do {
        const page = await client.send(new ListExportsCommand({ NextToken }));
        for (const item of page.Exports ?? [])
          exports.push({ name: item.Name ?? '', exportingStackId: item.ExportingStackId ?? '' });
        NextToken = page.NextToken;
      } while (NextToken);
      return exports;
    },

    async listImports(exportName) {
      const importers: string[] = [];
      let NextToken: string | undefined;
      try {
        do {
          const page = await client.send(new ListImportsCommand({ ExportName: exportName, NextToken }));
          importers.push(...(page.Imports ?? []));
          NextToken = page.NextToken;
        } while (NextToken);
      } catch (error) {
        // CloudFormation answers "Export '<name>' is not imported by any stack." as a ValidationError.
        if (/not imported by any stack/i.test((error as Error).message)) return [];
        throw error;
      }
      return importers;
    },

    async listStackResources(stackNameOrId) {
      const resources = [];
      let NextToken: string | undefined;
      do {
        const page = await client.send(
          new ListStackResourcesCommand({ StackName: stackNameOrId, NextToken }),
        );
        for (const r of page.StackResourceSummaries ?? []) {
          resources.push({
            logicalResourceId: r.LogicalResourceId ?? '',
            resourceType: r.ResourceType ?? '',
            status: r.ResourceStatus ?? '',
            ...(r.PhysicalResourceId ? { physicalResourceId: r.PhysicalResourceId } : {}),
          });
        }
        NextToken = page.NextToken;
      } while (NextToken);
      return resources;
    },

    async createChangeSet(input) {
      const response = await client.send(
        new CreateChangeSetCommand({
          ...stackRequest(input),
          ChangeSetName: input.changeSetName,
          ChangeSetType: input.changeSetType,
          ClientToken: input.clientRequestToken,
          IncludeNestedStacks: true,
        }),
      );
      return {
        changeSetId: response.Id ?? input.changeSetName,
        stackId: response.StackId ?? input.stackName,
      };
    },

    async describeChangeSet(changeSetId) {
      const changes = [];
      let NextToken: string | undefined;
      let first: DescribeChangeSetCommandOutput | undefined;
      do {
        const page = await client.send(
          new DescribeChangeSetCommand({ ChangeSetName: changeSetId, NextToken }),
        );
        first ??= page;
        for (const change of page.Changes ?? []) {
          const r = change.ResourceChange;
          if (!r) continue;
          changes.push({
            action: r.Action ?? 'Unknown',
            logicalResourceId: r.LogicalResourceId ?? '',
            resourceType: r.ResourceType ?? '',
            ...(r.PhysicalResourceId ? { physicalResourceId: r.PhysicalResourceId } : {}),
            ...(r.Replacement ? { replacement: r.Replacement } : {}),
            ...(r.ChangeSetId ? { changeSetId: r.ChangeSetId } : {}),
          });
        }
        NextToken = page.NextToken;
      } while (NextToken);
      return {
        changeSetId: first?.ChangeSetId ?? changeSetId,
        stackId: first?.StackId ?? '',
        status: first?.Status ?? 'UNKNOWN',
        changes,
        ...(first?.StatusReason ? { statusReason: first.StatusReason } : {}),
        ...(first?.ExecutionStatus ? { executionStatus: first.ExecutionStatus } : {}),
      };
    },

    async executeChangeSet(changeSetId, clientRequestToken, options) {
      await client.send(
        new ExecuteChangeSetCommand({
          ChangeSetName: changeSetId,
          ClientRequestToken: clientRequestToken,
          ...(options?.disableRollback ? { DisableRollback: true } : {}),
        }),
      );
    },

    async deleteChangeSet(changeSetId) {
      await client.send(new DeleteChangeSetCommand({ ChangeSetName: changeSetId }));
    },

    async listChangeSets(stackNameOrId) {
      const listings = [];
      let NextToken: string | undefined;
      try {
        do {
          const page = await client.send(new ListChangeSetsCommand({ StackName: stackNameOrId, NextToken }));
          for (const summary of page.Summaries ?? []) {
            listings.push({
              changeSetId: summary.ChangeSetId ?? '',
              changeSetName: summary.ChangeSetName ?? '',
              status: summary.Status ?? 'UNKNOWN',
              ...(summary.ExecutionStatus ? { executionStatus: summary.ExecutionStatus } : {}),
              ...(summary.CreationTime ? { createdAt: summary.CreationTime } : {}),
            });
          }
          NextToken = page.NextToken;
        } while (NextToken);
      } catch (error) {
        if (/does not exist/.test((error as Error).message)) return [];
        throw error;
      }
      return listings;
    },

    async deleteStack(stackId, clientRequestToken, retainResources, roleArn) {
      await client.send(
        new DeleteStackCommand({
          StackName: stackId,
          ClientRequestToken: clientRequestToken,
          ...(retainResources?.length ? { RetainResources: retainResources } : {}),
          ...(roleArn ? { RoleARN: roleArn } : {}),
        }),
      );
    },

    async cancelUpdateStack(stackId, clientRequestToken) {
      await client.send(
        new CancelUpdateStackCommand({ StackName: stackId, ClientRequestToken: clientRequestToken }),
      );
    },

    async setTerminationProtection(stackId, enabled) {
      await client.send(
        new UpdateTerminationProtectionCommand({ StackName: stackId, EnableTerminationProtection: enabled }),
      );
    },

    async describeStackEvents(stackNameOrId, nextToken, options) {
      const response = await (options?.retry === false ? withoutRetries() : client).send(
        new DescribeStackEventsCommand({ StackName: stackNameOrId, NextToken: nextToken }),
      );
      return {
        events: (response.StackEvents ?? []).map((event) => ({
          eventId: event.EventId ?? '',
          stackId: event.StackId ?? '',
          stackName: event.StackName ?? '',
          logicalResourceId: event.LogicalResourceId ?? '',
          resourceType: event.ResourceType ?? '',
          status: event.ResourceStatus ?? '',
          timestamp: event.Timestamp ?? new Date(0),
          ...(event.PhysicalResourceId ? { physicalResourceId: event.PhysicalResourceId } : {}),
          ...(event.ResourceStatusReason ? { reason: event.ResourceStatusReason } : {}),
          ...(event.ClientRequestToken ? { clientRequestToken: event.ClientRequestToken } : {}),
        })),
        ...(response.NextToken ? { nextToken: response.NextToken } : {}),
      };
    },
  };
}

function stackRequest(input: CreateStackInput) {
  return {
    StackName: input.stackName,
    TemplateBody: input.templateBody,
    TemplateURL: input.templateUrl,
    Parameters: [
      ...Object.entries(input.parameters).map(([ParameterKey, ParameterValue]) => ({
        ParameterKey,
        ParameterValue,
      })),
      ...(input.usePreviousValues ?? []).map((ParameterKey) => ({ ParameterKey, UsePreviousValue: true })),
    ],
    Capabilities: input.capabilities as CreateStackCommand['input']['Capabilities'],
    Tags: Object.entries(input.tags).map(([Key, Value]) => ({ Key, Value })),
    ...(input.roleArn ? { RoleARN: input.roleArn } : {}),
  };
}

function toDescription(stack: Stack): StackDescription {
  const pairs = <T>(
    items: T[] | undefined,
    key: (item: T) => string | undefined,
    value: (item: T) => string | undefined,
  ) =>
    Object.fromEntries((items ?? []).flatMap((item) => (key(item) ? [[key(item), value(item) ?? '']] : [])));
  return {
    stackId: stack.StackId ?? '',
    stackName: stack.StackName ?? '',
    status: stack.StackStatus ?? 'UNKNOWN',
    outputs: pairs(
      stack.Outputs,
      (o) => o.OutputKey,
      (o) => o.OutputValue,
    ),
    parameters: pairs(
      stack.Parameters,
      (p) => p.ParameterKey,
      (p) => p.ParameterValue,
    ),
    tags: pairs(
      stack.Tags,
      (t) => t.Key,
      (t) => t.Value,
    ),
    terminationProtection: stack.EnableTerminationProtection ?? false,
    ...(stack.RoleARN ? { roleArn: stack.RoleARN } : {}),
    ...(stack.StackStatusReason ? { statusReason: stack.StackStatusReason } : {}),
    ...(stack.ParentId ? { parentId: stack.ParentId } : {}),
    ...(stack.RootId ? { rootId: stack.RootId } : {}),
    ...(stack.CreationTime ? { createdAt: stack.CreationTime.toISOString() } : {}),
    ...(stack.LastUpdatedTime ? { updatedAt: stack.LastUpdatedTime.toISOString() } : {}),
    ...(stack.DriftInformation?.StackDriftStatus
      ? {
          drift: {
            status: stack.DriftInformation.StackDriftStatus,
            ...(stack.DriftInformation.LastCheckTimestamp
              ? { checkedAt: stack.DriftInformation.LastCheckTimestamp.toISOString() }
              : {}),
          },
        }
      : {}),
  };
}
