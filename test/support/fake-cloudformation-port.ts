import type { CloudFormationPort, StackDescription, StackEvent } from '../../src/aws/cloudformation-port.ts';

/**
 * An in-memory CloudFormationPort for streamer and task tests. Events are stored oldest first and
 * served newest first in pages, as the API does; `failNext` makes upcoming calls throw.
 */
export class FakeCloudFormationPort implements CloudFormationPort {
  readonly stacks = new Map<string, StackDescription>();
  readonly events = new Map<string, StackEvent[]>();
  readonly calls: Array<{ method: string; arg: string }> = [];
  pageSize = 3;
  readonly #failures: unknown[] = [];
  #sequence = 0;

  failNext(...errors: unknown[]): void {
    this.#failures.push(...errors);
  }

  addStack(name: string, status = 'CREATE_IN_PROGRESS'): string {
    const stackId = `arn:aws:cloudformation:us-east-1:123456789012:stack/${name}/${name}-id`;
    this.stacks.set(stackId, {
      stackId,
      stackName: name,
      status,
      outputs: {},
      parameters: {},
      tags: {},
      terminationProtection: false,
    });
    this.events.set(stackId, []);
    return stackId;
  }

  /** Appends an event; a stack-level event also moves the stack's status. */
  addEvent(
    stackId: string,
    logicalId: string,
    type: string,
    status: string,
    at: Date,
    extra: Partial<StackEvent> = {},
  ): StackEvent {
    const stack = this.stacks.get(stackId);
    if (!stack) throw new Error(`no stack ${stackId}`);
    const event: StackEvent = {
      eventId: `e${++this.#sequence}`,
      stackId,
      stackName: stack.stackName,
      logicalResourceId: logicalId,
      resourceType: type,
      status,
      timestamp: at,
      ...(type === 'AWS::CloudFormation::Stack' && logicalId === stack.stackName
        ? { physicalResourceId: stackId }
        : {}),
      ...extra,
    };
    this.events.get(stackId)?.push(event);
    if (logicalId === stack.stackName) stack.status = status;
    return event;
  }

  createStack = notUsed;
  updateStack = notUsed;

  async getTemplateBody(): Promise<string | undefined> {
    return undefined;
  }

  // The streamer tests need only reads; operations belong to the scenario-server and moto tests.
  describeFailedEvents: CloudFormationPort['describeFailedEvents'] = notUsed;
  listStackResources: CloudFormationPort['listStackResources'] = notUsed;
  listExports: CloudFormationPort['listExports'] = notUsed;
  listImports = notUsed;
  createChangeSet: CloudFormationPort['createChangeSet'] = notUsed;
  describeChangeSet: CloudFormationPort['describeChangeSet'] = notUsed;
  executeChangeSet: CloudFormationPort['executeChangeSet'] = notUsed;
  deleteChangeSet: CloudFormationPort['deleteChangeSet'] = notUsed;
  listChangeSets = notUsed;
  /** Tests of deletion script it: assign a function that adds the events the delete would write. */
  deleteStack: CloudFormationPort['deleteStack'] = notUsed;
  cancelUpdateStack = notUsed;
  setTerminationProtection = notUsed;
  // Drift is tested on the adapter with aws-sdk-client-mock (neither moto nor the scenario server has it).
  detectStackDrift = notUsed;
  describeDriftDetection = notUsed;

  async describeStack(stackNameOrId: string): Promise<StackDescription | undefined> {
    this.#record('describeStack', stackNameOrId);
    return [...this.stacks.values()].find(
      (s) => s.stackId === stackNameOrId || s.stackName === stackNameOrId,
    );
  }

  async describeStackEvents(stackNameOrId: string, nextToken?: string) {
    this.#record('describeStackEvents', stackNameOrId);
    const newestFirst = [...(this.events.get(stackNameOrId) ?? [])].reverse();
    const start = nextToken ? Number(nextToken) : 0;
    const page = newestFirst.slice(start, start + this.pageSize);
    const next = start + this.pageSize < newestFirst.length ? String(start + this.pageSize) : undefined;
    return { events: page, ...(next ? { nextToken: next } : {}) };
  }

  #record(method: string, arg: string): void {
    this.calls.push({ method, arg });
    const failure = this.#failures.shift();
    if (failure !== undefined) throw failure;
  }
}

async function notUsed(): Promise<never> {
  throw new Error('not used by these tests');
}
