import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  cancelScript,
  continueRollbackScript,
  createFailedScript,
  deleteScript,
  exportInUseScript,
  type ScenarioName,
  type Script,
  type Step,
  scenarioScript,
  type TemplateChange,
  templateScript,
} from './scenarios.ts';
import {
  effectiveParameters,
  parseTemplateBody,
  type TemplateContext,
  TemplateError,
  TemplateEvaluator,
  type TemplateOutput,
} from './template.ts';

/**
 * The CloudFormation scenario server (SPEC.md): CloudFormation's query protocol on a loopback port,
 * playing scripted, timed operations with nested stacks, failures, rollbacks, throttling and dropped
 * connections, and recording every call it receives.
 */
export interface ScenarioServerOptions {
  /** What ExecuteChangeSet plays, by stack name; `default` for any other stack; `template` if neither. */
  scenarios?: Record<string, ScenarioName>;
  /** Items per page of ListExports and ListImports (AWS does not document its own; 100 by default). */
  pageSize?: number;
  /** Scenario seconds per real second (1: real time). */
  speed?: number;
  /** Scenario seconds a resource of a type takes to create or update in the `template` scenario (2 by default). */
  resourceSeconds?: Record<string, number>;
  /** Makes a create change set find this stack existing already (for updates), by name. */
  existing?: string[];
  /** Tags the `existing` stacks carry (the stackguide tags of the deployment that created them). */
  existingTags?: Record<string, string>;
  now?: () => number;
}

export interface RecordedCall {
  action: string;
  params: Record<string, string>;
  at: number;
  throttled: boolean;
  dropped: boolean;
}

export interface ScenarioServer {
  readonly endpoint: string;
  readonly calls: RecordedCall[];
  /** When each event became visible to clients (real ms), by EventId. */
  readonly visibleAt: Map<string, number>;
  /** The next `count` calls of `action` answer Throttling. */
  throttle(action: string, count: number): void;
  /** The next `count` calls of `action` (all of them by default) answer AccessDenied. */
  deny(action: string, count?: number): void;
  /** The next DeleteStack of `stackName` fails on `logicalId` with `reason` (a bucket not empty by default). */
  failDelete(stackName: string, logicalId: string, reason?: string): void;
  /** The `nth` next call of `action` (1 = the very next) gets its connection dropped. */
  drop(action: string, nth: number): void;
  /** Lets an operation held by a `long-*` scenario go on to its end. */
  release(stackName: string): void;
  /** Every event of a stack, oldest first (nested stacks included when `tree`). */
  events(stackName: string, tree?: boolean): ServerEvent[];
  stop(): Promise<void>;
}

interface ServerEvent {
  EventId: string;
  StackId: string;
  StackName: string;
  LogicalResourceId: string;
  PhysicalResourceId: string;
  ResourceType: string;
  ResourceStatus: string;
  ResourceStatusReason?: string;
  Timestamp: string;
  ClientRequestToken?: string;
}

interface ServerStack {
  id: string;
  name: string;
  status: string;
  reason?: string;
  parentId?: string;
  rootId?: string;
  createdAt: string;
  updatedAt?: string;
  events: ServerEvent[];
  /** Live resources by logical id. */
  resources: Map<string, { type: string; status: string; physicalId: string }>;
  parameters: Record<string, string>;
  tags: Record<string, string>;
  template: string;
  terminationProtection: boolean;
  /** Nested stacks by their logical id in this stack. */
  children: Map<string, string>;
  /** Published when an operation succeeds; exports are the outputs with an export name. */
  outputs: TemplateOutput[];
  /** Export names this stack's template imports (set when its operation succeeds). */
  imports: string[];
  /** The service role the stack keeps (RoleARN of the change set that last ran on it). */
  roleArn?: string;
  /** What an update replaced, restored when the update rolls back. */
  previous?: { template: string; parameters: Record<string, string>; tags: Record<string, string> };
}

interface Operation {
  rootId: string;
  steps: Step[];
  startedAt: number;
  next: number;
  token?: string;
  held?: Step[];
  scenario?: ScenarioName;
}

interface ChangeSet {
  id: string;
  name: string;
  stackId: string;
  type: 'CREATE' | 'UPDATE';
  status: string;
  executionStatus: string;
  parameters: Record<string, string>;
  tags: Record<string, string>;
  template: string;
  statusReason?: string;
  /** Computed from the template for the `template` scenario; the scripted ones list fixed changes. */
  changes?: TemplateChange[];
  roleArn?: string;
}

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const NS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

export async function startScenarioServer(options: ScenarioServerOptions): Promise<ScenarioServer> {
  const speed = options.speed ?? 1;
  const pageSize = options.pageSize ?? 100;
  const denials = new Map<string, number>();
  const deleteFailures = new Map<string, { logicalId: string; reason?: string }>();
  const scenarioOf = (name: string): ScenarioName =>
    options.scenarios?.[name] ?? options.scenarios?.default ?? 'template';
  const now = options.now ?? Date.now;
  const stacks = new Map<string, ServerStack>();
  const changeSets = new Map<string, ChangeSet>();
  const operations: Operation[] = [];
  const calls: RecordedCall[] = [];
  const visibleAt = new Map<string, number>();
  const throttles = new Map<string, number>();
  const drops = new Map<string, number>();
  const sockets = new Set<Socket>();

  const newStack = (name: string, parent?: ServerStack): ServerStack => {
    const id = `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${name}/${randomUUID()}`;
    const stack: ServerStack = {
      id,
      name,
      status: 'REVIEW_IN_PROGRESS',
      createdAt: new Date(now()).toISOString(),
      events: [],
      resources: new Map(),
      parameters: {},
      tags: {},
      template: '{}',
      terminationProtection: false,
      children: new Map(),
      outputs: [],
      imports: [],
      ...(parent ? { parentId: parent.id, rootId: parent.rootId ?? parent.id } : {}),
    };
    stacks.set(id, stack);
    return stack;
  };
  const findStack = (nameOrId: string): ServerStack | undefined =>
    stacks.get(nameOrId) ??
    [...stacks.values()]
      .reverse()
      .find((stack) => stack.name === nameOrId && stack.status !== 'DELETE_COMPLETE');

  for (const name of options.existing ?? []) {
    const stack = newStack(name);
    stack.status = 'CREATE_COMPLETE';
    stack.tags = { ...options.existingTags };
    stack.resources.set('Cluster', {
      type: 'AWS::EKS::Cluster',
      status: 'CREATE_COMPLETE',
      physicalId: `${name}-cluster`,
    });
    stack.resources.set('Service', {
      type: 'AWS::ECS::Service',
      status: 'CREATE_COMPLETE',
      physicalId: `${name}-service`,
    });
    stack.resources.set('Queue', {
      type: 'AWS::SQS::Queue',
      status: 'CREATE_COMPLETE',
      physicalId: `${name}-queue`,
    });
    addEvent(
      stack,
      {
        logicalId: '$stack',
        type: 'AWS::CloudFormation::Stack',
        status: 'CREATE_COMPLETE',
        at: 0,
        stack: '',
      },
      undefined,
      new Date(now() - 3_600_000),
    );
  }

  function addEvent(stack: ServerStack, step: Step, token: string | undefined, when = new Date(now())): void {
    const own = step.logicalId === '$stack';
    const logicalId = own ? stack.name : step.logicalId;
    let physicalId = own
      ? stack.id
      : (stack.resources.get(logicalId)?.physicalId ??
        `${stack.name}-${logicalId}-${randomUUID().slice(0, 12)}`);
    if (!own && step.type === 'AWS::CloudFormation::Stack') {
      // The parent's nested-stack resource: its physical id is the child stack's ARN.
      let childId = stack.children.get(logicalId);
      if (!childId) {
        const child = newStack(
          `${rootOf(stack).name}-${logicalId}-${randomUUID().slice(0, 12).toUpperCase()}`,
          stack,
        );
        child.status = 'CREATE_IN_PROGRESS';
        childId = child.id;
        stack.children.set(logicalId, childId);
      }
      physicalId = childId;
    }
    const reason = step.reason?.replace(
      /\{arn:(\w+)\}/g,
      (_whole, child: string) => stack.children.get(child) ?? child,
    );
    const event: ServerEvent = {
      EventId: own ? randomUUID() : `${logicalId}-${step.status}-${randomUUID()}`,
      StackId: stack.id,
      StackName: stack.name,
      LogicalResourceId: logicalId,
      PhysicalResourceId: physicalId,
      ResourceType: step.type,
      ResourceStatus: step.status,
      Timestamp: when.toISOString(),
      ...(reason ? { ResourceStatusReason: reason } : {}),
      ...(token ? { ClientRequestToken: token } : {}),
    };
    stack.events.push(event);
    visibleAt.set(event.EventId, now());
    if (own) {
      stack.status = step.status;
      if (reason) stack.reason = reason;
      if (!step.status.startsWith('CREATE') && step.status !== 'REVIEW_IN_PROGRESS')
        stack.updatedAt = when.toISOString();
      settle(stack);
    } else if (step.status === 'DELETE_COMPLETE') {
      stack.resources.delete(logicalId);
    } else {
      stack.resources.set(logicalId, { type: step.type, status: step.status, physicalId });
    }
  }

  /**
   * Outputs, exports and imports follow the stack's status: published when a create or update
   * succeeds, the previous template back when an update rolls back, imports released on delete.
   */
  function settle(stack: ServerStack): void {
    if (stack.parentId) return;
    if (stack.status === 'CREATE_COMPLETE' || stack.status === 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS') {
      const evaluator = evaluatorFor(stack, stack.template, stack.parameters);
      try {
        stack.outputs = evaluator.outputs();
        stack.imports = evaluator.imports();
      } catch (error) {
        if (!(error instanceof TemplateError)) throw error;
      }
      delete stack.previous;
    } else if (stack.status === 'UPDATE_ROLLBACK_COMPLETE' && stack.previous) {
      Object.assign(stack, stack.previous);
      delete stack.previous;
    } else if (stack.status === 'DELETE_COMPLETE') {
      stack.imports = [];
    }
  }

  function liveStacks(): ServerStack[] {
    return [...stacks.values()].filter((stack) => stack.status !== 'DELETE_COMPLETE' && !stack.parentId);
  }

  function exportsNow(): Array<{ name: string; value: string; stack: ServerStack }> {
    return liveStacks().flatMap((stack) =>
      stack.outputs.flatMap((output) =>
        output.exportName ? [{ name: output.exportName, value: output.value, stack }] : [],
      ),
    );
  }

  function evaluatorFor(
    stack: ServerStack,
    template: string,
    parameters: Record<string, string>,
  ): TemplateEvaluator {
    const body = parseTemplateBody(template);
    const context: TemplateContext = {
      stackName: stack.name,
      stackId: stack.id,
      region: REGION,
      account: ACCOUNT,
      parameters: effectiveParameters(body, parameters),
      physicalId: (logicalId) =>
        stack.resources.get(logicalId)?.physicalId ?? `${stack.name}-${logicalId}`.toLowerCase(),
      exportValue: (name) => exportsNow().find((item) => item.name === name)?.value,
    };
    return new TemplateEvaluator(body, context);
  }

  /** Adds, modifications and removals between the stack as it is and the change set's template. */
  function templateChanges(stack: ServerStack, changeSet: ChangeSet): TemplateChange[] {
    const next = evaluatorFor(stack, changeSet.template, changeSet.parameters);
    const wanted = next.resources();
    if (changeSet.type === 'CREATE')
      return wanted.map((r) => ({ action: 'Add', logicalId: r.logicalId, type: r.type }));
    const current = evaluatorFor(stack, stack.template, stack.parameters);
    const changes: TemplateChange[] = [];
    for (const resource of wanted) {
      const live = stack.resources.get(resource.logicalId);
      // A resource whose create failed (rollback off) was never made: the retry adds it.
      if (!live || live.status === 'CREATE_FAILED')
        changes.push({ action: 'Add', logicalId: resource.logicalId, type: resource.type });
      else if (live.status.endsWith('_FAILED'))
        changes.push({ action: 'Modify', logicalId: resource.logicalId, type: resource.type });
      else if (current.properties(resource.logicalId) !== next.properties(resource.logicalId))
        changes.push({ action: 'Modify', logicalId: resource.logicalId, type: resource.type });
    }
    for (const [logicalId, live] of stack.resources)
      if (!wanted.some((r) => r.logicalId === logicalId))
        changes.push({ action: 'Remove', logicalId, type: live.type });
    return changes;
  }

  function rootOf(stack: ServerStack): ServerStack {
    return stack.rootId ? (stacks.get(stack.rootId) ?? stack) : stack;
  }

  /** Applies every step that is due: nothing runs between requests, so time is only read, never slept. */
  function advance(): void {
    const current = now();
    for (const operation of operations) {
      const root = stacks.get(operation.rootId);
      if (!root) continue;
      while (operation.next < operation.steps.length) {
        const step = operation.steps[operation.next];
        if (!step || operation.startedAt + (step.at * 1000) / speed > current) break;
        const target = step.stack === '' ? root : stacks.get(root.children.get(step.stack) ?? '');
        if (target) addEvent(target, step, step.stack === '' ? operation.token : undefined);
        operation.next++;
      }
    }
  }

  function start(
    root: ServerStack,
    script: Script,
    token: string | undefined,
    scenario?: ScenarioName,
  ): void {
    // A new operation on a stack replaces whatever was still pending on it.
    for (let i = operations.length - 1; i >= 0; i--)
      if (operations[i]?.rootId === root.id) operations.splice(i, 1);
    operations.push({
      rootId: root.id,
      steps: script.steps,
      startedAt: now(),
      next: 0,
      ...(token ? { token } : {}),
      ...(script.afterRelease ? { held: script.afterRelease } : {}),
      ...(scenario ? { scenario } : {}),
    });
    advance();
  }

  const actions: Record<string, (p: Record<string, string>) => string> = {
    CreateChangeSet(p) {
      const name = p.StackName ?? '';
      const type = p.ChangeSetType === 'CREATE' ? 'CREATE' : 'UPDATE';
      let stack = findStack(name);
      if (type === 'CREATE' && stack && stack.status !== 'REVIEW_IN_PROGRESS')
        throw fault('AlreadyExistsException', `Stack [${name}] already exists`);
      if (type === 'UPDATE' && (!stack || stack.status === 'REVIEW_IN_PROGRESS'))
        throw fault('ValidationError', `Stack [${name}] does not exist`);
      if (!stack) {
        stack = newStack(name);
        addEvent(
          stack,
          {
            at: 0,
            stack: '',
            logicalId: '$stack',
            type: 'AWS::CloudFormation::Stack',
            status: 'REVIEW_IN_PROGRESS',
            reason: 'User Initiated',
          },
          undefined,
        );
      }
      const changeSet: ChangeSet = {
        id: `arn:aws:cloudformation:${REGION}:${ACCOUNT}:changeSet/${p.ChangeSetName}/${randomUUID()}`,
        name: p.ChangeSetName ?? 'cs',
        stackId: stack.id,
        type,
        status: 'CREATE_COMPLETE',
        executionStatus: 'AVAILABLE',
        parameters: changeSetParameters(p, stack),
        tags: members(p, 'Tags', 'Key', 'Value'),
        template:
          p.TemplateBody ?? (type === 'UPDATE' && p.UsePreviousTemplate === 'true' ? stack.template : '{}'),
        ...(p.RoleARN ? { roleArn: p.RoleARN } : {}),
      };
      changeSets.set(changeSet.id, changeSet);
      // Resources a failed operation left failed (rollback off) are retried by the next update.
      const retries = [...stack.resources.values()].some((r) => r.status.endsWith('_FAILED'));
      const unchanged =
        type === 'UPDATE' &&
        !retries &&
        changeSet.template === stack.template &&
        sameEntries(changeSet.parameters, stack.parameters) &&
        sameEntries(changeSet.tags, stack.tags);
      try {
        // Evaluating the template finds what CloudFormation refuses while computing: a missing export.
        evaluatorFor(stack, changeSet.template, changeSet.parameters).imports();
        if (computesChanges(scenarioOf(stack.name))) changeSet.changes = templateChanges(stack, changeSet);
        if (unchanged) failChangeSet(changeSet, EMPTY_CHANGE_SET);
      } catch (error) {
        if (!(error instanceof TemplateError)) throw error;
        failChangeSet(changeSet, error.message);
      }
      return result('CreateChangeSet', `<Id>${changeSet.id}</Id><StackId>${stack.id}</StackId>`);
    },
    DescribeChangeSet(p) {
      const changeSet = changeSets.get(p.ChangeSetName ?? '');
      if (!changeSet) throw fault('ChangeSetNotFound', `ChangeSet [${p.ChangeSetName}] does not exist`);
      const scripted: Array<[string, string, string, string]> =
        changeSet.type === 'CREATE'
          ? [
              ['Add', 'Database', 'AWS::RDS::DBInstance', ''],
              ['Add', 'Role', 'AWS::IAM::Role', ''],
            ]
          : [
              ['Modify', 'Cluster', 'AWS::EKS::Cluster', 'Conditional'],
              ['Modify', 'Service', 'AWS::ECS::Service', 'False'],
            ];
      const changes =
        changeSet.status === 'FAILED'
          ? []
          : changeSet.changes
            ? changeSet.changes.map((c): [string, string, string, string] => [
                c.action,
                c.logicalId,
                c.type,
                c.action === 'Modify' ? 'False' : '',
              ])
            : scripted;
      const xml = changes
        .map(
          ([action, logical, type, replacement]) =>
            `<member><Type>Resource</Type><ResourceChange><Action>${action}</Action><LogicalResourceId>${logical}</LogicalResourceId><ResourceType>${type}</ResourceType>${replacement ? `<Replacement>${replacement}</Replacement>` : ''}</ResourceChange></member>`,
        )
        .join('');
      const stack = stacks.get(changeSet.stackId);
      return result(
        'DescribeChangeSet',
        `<ChangeSetId>${changeSet.id}</ChangeSetId><ChangeSetName>${changeSet.name}</ChangeSetName><StackId>${changeSet.stackId}</StackId><StackName>${stack?.name ?? ''}</StackName><Status>${changeSet.status}</Status>${changeSet.statusReason ? `<StatusReason>${esc(changeSet.statusReason)}</StatusReason>` : ''}<ExecutionStatus>${changeSet.executionStatus}</ExecutionStatus><Changes>${xml}</Changes>`,
      );
    },
    ExecuteChangeSet(p) {
      const changeSet = changeSets.get(p.ChangeSetName ?? '');
      if (!changeSet) throw fault('ChangeSetNotFound', `ChangeSet [${p.ChangeSetName}] does not exist`);
      const stack = stacks.get(changeSet.stackId);
      if (!stack) throw fault('ValidationError', 'Stack does not exist');
      if (changeSet.executionStatus !== 'AVAILABLE')
        throw fault(
          'InvalidChangeSetStatus',
          `ChangeSet [${changeSet.id}] cannot be executed in its current execution status of [${changeSet.executionStatus}]`,
        );
      changeSet.executionStatus = 'EXECUTE_IN_PROGRESS';
      if (changeSet.type === 'UPDATE')
        stack.previous = { template: stack.template, parameters: stack.parameters, tags: stack.tags };
      stack.parameters = changeSet.parameters;
      stack.tags = changeSet.tags;
      stack.template = changeSet.template;
      // "If you don't specify a value, CloudFormation uses the role that was previously associated
      // with the stack" (API_CreateChangeSet, RoleARN).
      if (changeSet.roleArn) stack.roleArn = changeSet.roleArn;
      // Executing one change set makes the stack's other change sets stale: CloudFormation deletes them.
      for (const [id, other] of changeSets)
        if (other.stackId === stack.id && id !== changeSet.id) changeSets.delete(id);
      const scenario = scenarioOf(stack.name);
      const script =
        scenario === 'template' || (scenario === 'create-failed' && changeSet.type === 'UPDATE')
          ? templateScript(
              changeSet.type,
              changeSet.changes ?? [],
              (type) => options.resourceSeconds?.[type] ?? 2,
            )
          : scenario === 'create-failed'
            ? createFailedScript(changeSet.changes ?? [], p.DisableRollback === 'true')
            : scenarioScript(scenario);
      start(stack, script, p.ClientRequestToken, scenario);
      return result('ExecuteChangeSet', '');
    },
    DeleteChangeSet(p) {
      changeSets.delete(p.ChangeSetName ?? '');
      return result('DeleteChangeSet', '');
    },
    DescribeStacks(p) {
      const name = p.StackName ?? '';
      const stack =
        stacks.get(name) ??
        [...stacks.values()].reverse().find((s) => s.name === name && s.status !== 'DELETE_COMPLETE');
      if (!stack) throw fault('ValidationError', `Stack with id ${name} does not exist`);
      return result('DescribeStacks', `<Stacks>${stackXml(stack)}</Stacks>`);
    },
    DescribeStackEvents(p) {
      const stack = requireStack(p.StackName);
      const newestFirst = [...stack.events].reverse();
      const start = Number(p.NextToken ?? 0);
      const page = newestFirst.slice(start, start + 100);
      const next = start + 100 < newestFirst.length ? `<NextToken>${start + 100}</NextToken>` : '';
      return result(
        'DescribeStackEvents',
        `<StackEvents>${page.map(eventXml).join('')}</StackEvents>${next}`,
      );
    },
    DescribeEvents(p) {
      const stack = requireStack(p.StackName);
      const tree = [stack, ...descendants(stack)].flatMap((s) => s.events);
      const failed =
        p['Filters.FailedEvents'] === 'true'
          ? tree.filter((e) => e.ResourceStatus.endsWith('_FAILED'))
          : tree;
      const xml = failed
        .map(
          (e) =>
            `<member><EventId>${e.EventId}</EventId><StackId>${e.StackId}</StackId><LogicalResourceId>${esc(e.LogicalResourceId)}</LogicalResourceId><PhysicalResourceId>${esc(e.PhysicalResourceId)}</PhysicalResourceId><ResourceType>${e.ResourceType}</ResourceType><ResourceStatus>${e.ResourceStatus}</ResourceStatus>${e.ResourceStatusReason ? `<ResourceStatusReason>${esc(e.ResourceStatusReason)}</ResourceStatusReason>` : ''}<Timestamp>${e.Timestamp}</Timestamp></member>`,
        )
        .join('');
      return result('DescribeEvents', `<OperationEvents>${xml}</OperationEvents>`);
    },
    ListStackResources(p) {
      const stack = requireStack(p.StackName);
      const xml = [...stack.resources.entries()]
        .map(
          ([logical, r]) =>
            `<member><LogicalResourceId>${logical}</LogicalResourceId><PhysicalResourceId>${esc(r.physicalId)}</PhysicalResourceId><ResourceType>${r.type}</ResourceType><ResourceStatus>${r.status}</ResourceStatus><LastUpdatedTimestamp>${new Date(now()).toISOString()}</LastUpdatedTimestamp></member>`,
        )
        .join('');
      return result('ListStackResources', `<StackResourceSummaries>${xml}</StackResourceSummaries>`);
    },
    GetTemplate(p) {
      return result('GetTemplate', `<TemplateBody>${esc(requireStack(p.StackName).template)}</TemplateBody>`);
    },
    DeleteStack(p) {
      const stack = findStack(p.StackName ?? '');
      if (!stack) return result('DeleteStack', '');
      const scenario = scenarioOf(stack.name);
      const attempts = calls.filter(
        (c) =>
          c.action === 'DeleteStack' &&
          !c.throttled &&
          (c.params.StackName === stack.id || c.params.StackName === stack.name),
      ).length;
      const resources = [...stack.resources.entries()].map(([logicalId, r]) => ({ logicalId, type: r.type }));
      const retained = Object.entries(p)
        .filter(([key]) => key.startsWith('RetainResources.member.'))
        .map(([, value]) => value);
      const inUse = stack.outputs
        .filter((output) => output.exportName !== undefined)
        .flatMap((output) =>
          liveStacks()
            .filter((other) => other !== stack && other.imports.includes(output.exportName ?? ''))
            .map((importer) => ({ exportName: output.exportName ?? '', importer: importer.name })),
        )[0];
      const ordered = deleteFailures.get(stack.name);
      deleteFailures.delete(stack.name);
      const failOn =
        ordered?.logicalId ?? (scenario === 'delete-failed' && attempts <= 1 ? 'Bucket' : undefined);
      const script = inUse
        ? exportInUseScript(inUse.exportName, inUse.importer)
        : deleteScript(resources, {
            ...(failOn ? { failOn } : {}),
            ...(ordered?.reason ? { reason: ordered.reason } : {}),
            retained,
          });
      start(stack, script, p.ClientRequestToken);
      return result('DeleteStack', '');
    },
    ContinueUpdateRollback(p) {
      const stack = requireStack(p.StackName);
      if (stack.status !== 'UPDATE_ROLLBACK_FAILED')
        throw fault(
          'ValidationError',
          `Stack ${stack.id} is in ${stack.status} state and can not continue update rollback`,
        );
      const failed = [...stack.resources.entries()]
        .filter(([, r]) => r.status === 'UPDATE_FAILED')
        .map(([logicalId, r]) => ({ logicalId, type: r.type }));
      const skipped = Object.entries(p)
        .filter(([key]) => key.startsWith('ResourcesToSkip.member.'))
        .map(([, value]) => value);
      start(stack, continueRollbackScript(failed, skipped), p.ClientRequestToken);
      return result('ContinueUpdateRollback', '');
    },
    ListExports(p) {
      const { items, next } = page(exportsNow(), p.NextToken);
      const xml = items
        .map(
          (item) =>
            `<member><ExportingStackId>${item.stack.id}</ExportingStackId><Name>${esc(item.name)}</Name><Value>${esc(item.value)}</Value></member>`,
        )
        .join('');
      return result('ListExports', `<Exports>${xml}</Exports>${next}`);
    },
    ListImports(p) {
      const name = p.ExportName ?? '';
      const importers = liveStacks()
        .filter((stack) => stack.imports.includes(name))
        .map((stack) => stack.name);
      // Observed AWS behaviour (not in the API reference): an export nobody imports is a ValidationError.
      if (importers.length === 0)
        throw fault('ValidationError', `Export '${name}' is not imported by any stack.`);
      const { items, next } = page(importers, p.NextToken);
      return result(
        'ListImports',
        `<Imports>${items.map((i) => `<member>${esc(i)}</member>`).join('')}</Imports>${next}`,
      );
    },
    CancelUpdateStack(p) {
      const stack = requireStack(p.StackName);
      if (stack.status !== 'UPDATE_IN_PROGRESS')
        throw fault(
          'ValidationError',
          `CancelUpdateStack cannot be called from current stack status ${stack.status}`,
        );
      start(stack, cancelScript(), p.ClientRequestToken);
      return result('CancelUpdateStack', '');
    },
    UpdateTerminationProtection(p) {
      const stack = requireStack(p.StackName);
      stack.terminationProtection = p.EnableTerminationProtection === 'true';
      return result('UpdateTerminationProtection', `<StackId>${stack.id}</StackId>`);
    },
  };

  function page<T>(all: T[], token: string | undefined): { items: T[]; next: string } {
    const from = Number(token ?? 0);
    const items = all.slice(from, from + pageSize);
    return { items, next: from + pageSize < all.length ? `<NextToken>${from + pageSize}</NextToken>` : '' };
  }

  /** Parameters of a change set: `UsePreviousValue` takes the stack's current value, as documented. */
  function changeSetParameters(p: Record<string, string>, stack: ServerStack): Record<string, string> {
    const out = members(p, 'Parameters', 'ParameterKey', 'ParameterValue');
    for (let i = 1; p[`Parameters.member.${i}.ParameterKey`] !== undefined; i++) {
      const key = p[`Parameters.member.${i}.ParameterKey`] ?? '';
      if (p[`Parameters.member.${i}.UsePreviousValue`] === 'true') out[key] = stack.parameters[key] ?? '';
    }
    return out;
  }

  function requireStack(nameOrId: string | undefined): ServerStack {
    const stack = stacks.get(nameOrId ?? '') ?? findStack(nameOrId ?? '');
    if (!stack) throw fault('ValidationError', `Stack with id ${nameOrId} does not exist`);
    return stack;
  }

  function descendants(stack: ServerStack): ServerStack[] {
    return [...stack.children.values()].flatMap((id) => {
      const child = stacks.get(id);
      return child ? [child, ...descendants(child)] : [];
    });
  }

  function stackXml(stack: ServerStack): string {
    const pairs = (items: Record<string, string>, key: string, value: string): string =>
      Object.entries(items)
        .map(([k, v]) => `<member><${key}>${esc(k)}</${key}><${value}>${esc(v)}</${value}></member>`)
        .join('');
    return `<member><StackId>${stack.id}</StackId><StackName>${stack.name}</StackName><StackStatus>${stack.status}</StackStatus>${stack.reason ? `<StackStatusReason>${esc(stack.reason)}</StackStatusReason>` : ''}<CreationTime>${stack.createdAt}</CreationTime>${stack.updatedAt ? `<LastUpdatedTime>${stack.updatedAt}</LastUpdatedTime>` : ''}${stack.parentId ? `<ParentId>${stack.parentId}</ParentId><RootId>${stack.rootId}</RootId>` : ''}<EnableTerminationProtection>${stack.terminationProtection}</EnableTerminationProtection>${stack.roleArn ? `<RoleARN>${esc(stack.roleArn)}</RoleARN>` : ''}<Parameters>${pairs(stack.parameters, 'ParameterKey', 'ParameterValue')}</Parameters><Tags>${pairs(stack.tags, 'Key', 'Value')}</Tags><Outputs>${stack.outputs.map(outputXml).join('')}</Outputs></member>`;
  }

  const server = createServer((request, response) => {
    void handle(request, response);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of request) body += chunk;
    const params = Object.fromEntries(new URLSearchParams(body));
    const action = params.Action ?? '';
    const call: RecordedCall = { action, params, at: now(), throttled: false, dropped: false };
    calls.push(call);
    const dropIn = drops.get(action);
    if (dropIn !== undefined) {
      if (dropIn <= 1) {
        drops.delete(action);
        call.dropped = true;
        request.socket.destroy();
        return;
      }
      drops.set(action, dropIn - 1);
    }
    const denied = denials.get(action) ?? 0;
    if (denied > 0) {
      denials.set(action, denied - 1);
      send(
        response,
        403,
        errorXml(
          'AccessDenied',
          `User: arn:aws:iam::${ACCOUNT}:user/scenario is not authorized to perform: cloudformation:${action} because no identity-based policy allows the cloudformation:${action} action`,
        ),
      );
      return;
    }
    const throttled = throttles.get(action) ?? 0;
    if (throttled > 0) {
      throttles.set(action, throttled - 1);
      call.throttled = true;
      send(response, 400, errorXml('Throttling', 'Rate exceeded'));
      return;
    }
    advance();
    const handler = actions[action];
    if (!handler) {
      send(response, 400, errorXml('InvalidAction', `Could not find operation ${action}`));
      return;
    }
    try {
      send(response, 200, handler(params));
    } catch (error) {
      const { code, message } = error as { code: string; message: string };
      send(response, 400, errorXml(code ?? 'InternalFailure', message));
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    visibleAt,
    throttle: (action, count) => throttles.set(action, count),
    deny: (action, count = Number.POSITIVE_INFINITY) => denials.set(action, count),
    failDelete: (stackName, logicalId, reason) =>
      deleteFailures.set(stackName, { logicalId, ...(reason ? { reason } : {}) }),
    drop: (action, nth) => drops.set(action, nth),
    release(stackName) {
      const stack = findStack(stackName);
      const operation = operations.find((op) => op.rootId === stack?.id && op.held);
      if (!operation?.held) return;
      advance();
      operation.steps = [
        ...operation.steps.slice(0, operation.next),
        ...operation.held.map((step) => ({
          ...step,
          at: step.at + ((now() - operation.startedAt) / 1000) * speed,
        })),
      ];
      delete operation.held;
    },
    events(stackName, tree = false) {
      advance();
      const stack = findStack(stackName) ?? stacks.get(stackName);
      if (!stack) return [];
      return tree ? [stack, ...descendants(stack)].flatMap((s) => s.events) : [...stack.events];
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** DescribeChangeSet's StatusReason for a change set with nothing to do (AWS's own wording). */
const EMPTY_CHANGE_SET =
  "The submitted information didn't contain changes. Submit different information to create a change set.";

/** The scenarios whose change sets list the template's own changes. */
function computesChanges(scenario: ScenarioName): boolean {
  return scenario === 'template' || scenario === 'create-failed';
}

function failChangeSet(changeSet: ChangeSet, reason: string): void {
  changeSet.status = 'FAILED';
  changeSet.executionStatus = 'UNAVAILABLE';
  changeSet.statusReason = reason;
}

function sameEntries(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

function outputXml(output: TemplateOutput): string {
  return `<member><OutputKey>${esc(output.key)}</OutputKey><OutputValue>${esc(output.value)}</OutputValue>${output.description ? `<Description>${esc(output.description)}</Description>` : ''}${output.exportName ? `<ExportName>${esc(output.exportName)}</ExportName>` : ''}</member>`;
}

function members(
  params: Record<string, string>,
  list: string,
  key: string,
  value: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 1; params[`${list}.member.${i}.${key}`] !== undefined; i++) {
    out[params[`${list}.member.${i}.${key}`] ?? ''] = params[`${list}.member.${i}.${value}`] ?? '';
  }
  return out;
}

function eventXml(e: ServerEvent): string {
  return `<member><EventId>${esc(e.EventId)}</EventId><StackId>${e.StackId}</StackId><StackName>${e.StackName}</StackName><LogicalResourceId>${esc(e.LogicalResourceId)}</LogicalResourceId><PhysicalResourceId>${esc(e.PhysicalResourceId)}</PhysicalResourceId><ResourceType>${e.ResourceType}</ResourceType><Timestamp>${e.Timestamp}</Timestamp><ResourceStatus>${e.ResourceStatus}</ResourceStatus>${e.ResourceStatusReason ? `<ResourceStatusReason>${esc(e.ResourceStatusReason)}</ResourceStatusReason>` : ''}${e.ClientRequestToken ? `<ClientRequestToken>${esc(e.ClientRequestToken)}</ClientRequestToken>` : ''}</member>`;
}

function result(action: string, inner: string): string {
  return `<${action}Response xmlns="${NS}"><${action}Result>${inner}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
}

function errorXml(code: string, message: string): string {
  return `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${esc(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
}

function fault(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}

function send(response: ServerResponse, status: number, xml: string): void {
  response.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() });
  response.end(xml);
}

function esc(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}
