/**
 * The scripted operations the scenario server plays (SPEC.md). A script is a list of steps at offsets
 * in scenario seconds; `stack` names which stack of the tree the step belongs to: `''` for the
 * top-level stack, or a nested stack's logical id in its parent (nested stacks are created by the
 * server when their parent's AWS::CloudFormation::Stack resource starts).
 */
export interface Step {
  at: number;
  /** '' for the top-level stack, else the nested stack's logical id. */
  stack: string;
  /** `$stack` for the stack's own event. */
  logicalId: string;
  type: string;
  status: string;
  reason?: string;
}

export interface Script {
  steps: Step[];
  /** Steps that start only when the test calls release(): an operation held in progress. */
  afterRelease?: Step[];
}

export type ScenarioName =
  | 'template'
  | 'update-rollback-failed'
  | 'big-nested-create'
  | 'nested-failure'
  | 'update-rollback'
  | 'delete-failed'
  | 'long-create'
  | 'long-update'
  | 'create-failed';

const STACK = 'AWS::CloudFormation::Stack';

/** A small builder so scripts read like the event log they produce. */
class ScriptBuilder {
  readonly steps: Step[] = [];

  stack(stack: string, at: number, status: string, reason?: string): this {
    this.steps.push({ at, stack, logicalId: '$stack', type: STACK, status, ...(reason ? { reason } : {}) });
    return this;
  }

  resource(
    stack: string,
    logicalId: string,
    type: string,
    at: number,
    status: string,
    reason?: string,
  ): this {
    this.steps.push({ at, stack, logicalId, type, status, ...(reason ? { reason } : {}) });
    return this;
  }

  /** A resource going IN_PROGRESS at `start` and COMPLETE after `seconds`. */
  create(
    stack: string,
    logicalId: string,
    type: string,
    start: number,
    seconds: number,
    verb = 'CREATE',
  ): this {
    return this.resource(stack, logicalId, type, start, `${verb}_IN_PROGRESS`).resource(
      stack,
      logicalId,
      type,
      start + seconds,
      `${verb}_COMPLETE`,
    );
  }

  build(): Step[] {
    return [...this.steps].sort((a, b) => a.at - b.at);
  }
}

/** Resource types of a real platform, with typical creation times in seconds. */
const RESOURCE_MIX: Array<[string, number]> = [
  ['AWS::EC2::Subnet', 6],
  ['AWS::EC2::RouteTable', 3],
  ['AWS::EC2::SecurityGroup', 8],
  ['AWS::IAM::Role', 18],
  ['AWS::IAM::Policy', 12],
  ['AWS::Lambda::Function', 9],
  ['AWS::Logs::LogGroup', 2],
  ['AWS::SSM::Parameter', 2],
  ['AWS::SQS::Queue', 4],
  ['AWS::SNS::Topic', 3],
  ['AWS::S3::Bucket', 22],
  ['AWS::EC2::VPCEndpoint', 75],
  ['AWS::ElasticLoadBalancingV2::TargetGroup', 14],
  ['AWS::ECS::TaskDefinition', 5],
];

/** 300 resources: 72 in the root and 76 in each of 3 nested stacks, created in waves. */
function bigNestedCreate(): Script {
  const b = new ScriptBuilder().stack('', 0, 'CREATE_IN_PROGRESS', 'User Initiated');
  const nested = ['Network', 'Data', 'Compute'];
  let longest = 0;
  nested.forEach((name, n) => {
    const start = 1 + n;
    b.resource('', name, STACK, start, 'CREATE_IN_PROGRESS').stack(
      name,
      start + 0.5,
      'CREATE_IN_PROGRESS',
      'User Initiated',
    );
    let end = start + 1;
    for (let i = 0; i < 76; i++) {
      const [type, seconds] = RESOURCE_MIX[(i + n * 5) % RESOURCE_MIX.length] ?? ['AWS::SSM::Parameter', 2];
      const begin = start + 1 + Math.floor(i / 8) * 4 + (i % 8) * 0.3;
      b.create(name, `${name}${type.split('::')[2]}${i}`, type, begin, seconds);
      end = Math.max(end, begin + seconds);
    }
    if (name === 'Data') {
      b.create(name, 'Database', 'AWS::RDS::DBInstance', start + 2, 420);
      end = Math.max(end, start + 422);
    }
    b.stack(name, end + 1, 'CREATE_COMPLETE').resource('', name, STACK, end + 2, 'CREATE_COMPLETE');
    longest = Math.max(longest, end + 2);
  });
  for (let i = 0; i < 71; i++) {
    const [type, seconds] = RESOURCE_MIX[i % RESOURCE_MIX.length] ?? ['AWS::SSM::Parameter', 2];
    const begin = 2 + Math.floor(i / 6) * 5;
    b.create('', `Root${type.split('::')[2]}${i}`, type, begin, seconds);
    longest = Math.max(longest, begin + seconds);
  }
  b.stack('', longest + 3, 'CREATE_COMPLETE');
  return { steps: b.build() };
}

const DB_FAILURE =
  'Resource handler returned message: "The requested storage type gp3 is not supported for DB instance class db.t2.micro. (Service: Rds, Status Code: 400, Request ID: 5f0e4a1c-9d2b-4c33-8a57-3b7f2d1e6c90)" (RequestToken: 8c1d0e7a-1234-4f6b-9e2d-5a6b7c8d9e0f, HandlerErrorCode: InvalidRequest)';

/** A nested stack's database fails; siblings are cancelled; the cascade reaches the root; rollback. */
function nestedFailure(): Script {
  const b = new ScriptBuilder().stack('', 0, 'CREATE_IN_PROGRESS', 'User Initiated');
  b.create('', 'LogGroup', 'AWS::Logs::LogGroup', 1, 2);
  b.resource('', 'Network', STACK, 1, 'CREATE_IN_PROGRESS').stack(
    'Network',
    1.5,
    'CREATE_IN_PROGRESS',
    'User Initiated',
  );
  b.create('Network', 'Vpc', 'AWS::EC2::VPC', 2, 5).create('Network', 'SubnetA', 'AWS::EC2::Subnet', 7, 4);
  b.stack('Network', 12, 'CREATE_COMPLETE').resource('', 'Network', STACK, 13, 'CREATE_COMPLETE');
  b.resource('', 'Data', STACK, 13, 'CREATE_IN_PROGRESS').stack(
    'Data',
    13.5,
    'CREATE_IN_PROGRESS',
    'User Initiated',
  );
  b.resource('Data', 'Cache', 'AWS::ElastiCache::CacheCluster', 14, 'CREATE_IN_PROGRESS');
  b.resource('Data', 'Database', 'AWS::RDS::DBInstance', 14, 'CREATE_IN_PROGRESS');
  // CloudFormation often writes the cancellation before the real failure: the finder must not be fooled.
  b.resource(
    'Data',
    'Cache',
    'AWS::ElastiCache::CacheCluster',
    20,
    'CREATE_FAILED',
    'Resource creation cancelled',
  );
  b.resource('Data', 'Database', 'AWS::RDS::DBInstance', 20.2, 'CREATE_FAILED', DB_FAILURE);
  b.stack('Data', 21, 'CREATE_FAILED', 'The following resource(s) failed to create: [Database, Cache]. ');
  b.stack(
    'Data',
    21.5,
    'ROLLBACK_IN_PROGRESS',
    'The following resource(s) failed to create: [Database, Cache]. Rollback requested by user.',
  );
  b.resource('Data', 'Cache', 'AWS::ElastiCache::CacheCluster', 22, 'DELETE_COMPLETE');
  b.resource('Data', 'Database', 'AWS::RDS::DBInstance', 22, 'DELETE_COMPLETE');
  b.stack('Data', 23, 'ROLLBACK_COMPLETE');
  b.resource(
    '',
    'Data',
    STACK,
    24,
    'CREATE_FAILED',
    'Embedded stack {arn:Data} was not successfully created: The following resource(s) failed to create: [Database, Cache]. ',
  );
  b.resource('', 'Compute', STACK, 24.1, 'CREATE_FAILED', 'Resource creation cancelled');
  b.stack(
    '',
    25,
    'ROLLBACK_IN_PROGRESS',
    'The following resource(s) failed to create: [Data, Compute]. Rollback requested by user.',
  );
  b.resource('', 'LogGroup', 'AWS::Logs::LogGroup', 26, 'DELETE_IN_PROGRESS').resource(
    '',
    'LogGroup',
    'AWS::Logs::LogGroup',
    27,
    'DELETE_COMPLETE',
  );
  b.resource('', 'Data', STACK, 27, 'DELETE_COMPLETE');
  b.resource('', 'Network', STACK, 27, 'DELETE_IN_PROGRESS').stack('Network', 27.5, 'DELETE_IN_PROGRESS');
  b.resource('Network', 'SubnetA', 'AWS::EC2::Subnet', 28, 'DELETE_COMPLETE').resource(
    'Network',
    'Vpc',
    'AWS::EC2::VPC',
    30,
    'DELETE_COMPLETE',
  );
  b.stack('Network', 31, 'DELETE_COMPLETE').resource('', 'Network', STACK, 32, 'DELETE_COMPLETE');
  b.stack('', 33, 'ROLLBACK_COMPLETE');
  return { steps: b.build() };
}

function updateRollback(): Script {
  const b = new ScriptBuilder().stack('', 0, 'UPDATE_IN_PROGRESS', 'User Initiated');
  b.create('', 'Queue', 'AWS::SQS::Queue', 1, 3, 'UPDATE');
  b.resource('', 'Service', 'AWS::ECS::Service', 2, 'UPDATE_IN_PROGRESS');
  b.resource(
    '',
    'Service',
    'AWS::ECS::Service',
    30,
    'UPDATE_FAILED',
    'ECS Deployment Circuit Breaker was triggered',
  );
  b.stack('', 31, 'UPDATE_ROLLBACK_IN_PROGRESS', 'The following resource(s) failed to update: [Service]. ');
  b.create('', 'Service', 'AWS::ECS::Service', 32, 20, 'UPDATE').create(
    '',
    'Queue',
    'AWS::SQS::Queue',
    32,
    3,
    'UPDATE',
  );
  b.stack('', 53, 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS').stack('', 55, 'UPDATE_ROLLBACK_COMPLETE');
  return { steps: b.build() };
}

/** An operation held in progress until release(); what follows the release completes it. */
function longCreate(): Script {
  const b = new ScriptBuilder().stack('', 0, 'CREATE_IN_PROGRESS', 'User Initiated');
  b.create('', 'Queue', 'AWS::SQS::Queue', 1, 2).resource(
    '',
    'Cluster',
    'AWS::EKS::Cluster',
    2,
    'CREATE_IN_PROGRESS',
  );
  const after = new ScriptBuilder()
    .resource('', 'Cluster', 'AWS::EKS::Cluster', 1, 'CREATE_COMPLETE')
    .stack('', 2, 'CREATE_COMPLETE');
  return { steps: b.build(), afterRelease: after.build() };
}

function longUpdate(): Script {
  const b = new ScriptBuilder().stack('', 0, 'UPDATE_IN_PROGRESS', 'User Initiated');
  b.resource('', 'Cluster', 'AWS::EKS::Cluster', 1, 'UPDATE_IN_PROGRESS');
  const after = new ScriptBuilder()
    .resource('', 'Cluster', 'AWS::EKS::Cluster', 1, 'UPDATE_COMPLETE')
    .stack('', 2, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS')
    .stack('', 3, 'UPDATE_COMPLETE');
  return { steps: b.build(), afterRelease: after.build() };
}

/** What a change set computed from the template changes, as DescribeChangeSet lists it. */
export interface TemplateChange {
  action: 'Add' | 'Modify' | 'Remove';
  logicalId: string;
  type: string;
}

/**
 * The `template` scenario: the change set's own resources, one after another with overlapping waits,
 * as CloudFormation plays them: adds and modifications during the operation, removals in the cleanup
 * phase of an update (AWS's "Update your stack" documentation orders them so).
 */
export function templateScript(
  type: 'CREATE' | 'UPDATE',
  changes: readonly TemplateChange[],
  /** Scenario seconds a resource of this type takes (SPEC.md, `resourceSeconds`); 2 by default. */
  secondsFor: (resourceType: string) => number = () => 2,
): Script {
  const b = new ScriptBuilder().stack('', 0, `${type}_IN_PROGRESS`, 'User Initiated');
  let at = 1;
  let end = at;
  for (const change of changes.filter((c) => c.action !== 'Remove')) {
    const seconds = secondsFor(change.type);
    b.create('', change.logicalId, change.type, at, seconds, change.action === 'Add' ? 'CREATE' : 'UPDATE');
    end = Math.max(end, at + seconds);
    at += 0.5;
  }
  // The stack completes once its slowest resource has, as CloudFormation's does.
  at = Math.max(at + 2, end + 0.5);
  if (type === 'CREATE') return { steps: b.stack('', at, 'CREATE_COMPLETE').build() };
  b.stack('', at, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
  for (const change of changes.filter((c) => c.action === 'Remove')) {
    b.create('', change.logicalId, change.type, at + 0.5, 1, 'DELETE');
    at += 1;
  }
  return { steps: b.stack('', at + 1, 'UPDATE_COMPLETE').build() };
}

const ROLLBACK_FAILURE =
  'Resource handler returned message: "Service api-service was not ACTIVE. (Service: Ecs, Status Code: 400, Request ID: 0b6c3d2e-7f41-4e5a-9c8b-1a2d3e4f5a6b)" (RequestToken: 2f4e6a8c-1b3d-4f5a-8c7e-9d0a1b2c3d4e, HandlerErrorCode: NotStabilized)';

/** An update that fails, and whose rollback fails too: the stack stops in UPDATE_ROLLBACK_FAILED. */
function updateRollbackFailed(): Script {
  const b = new ScriptBuilder().stack('', 0, 'UPDATE_IN_PROGRESS', 'User Initiated');
  b.resource('', 'Service', 'AWS::ECS::Service', 1, 'UPDATE_IN_PROGRESS');
  b.resource(
    '',
    'Service',
    'AWS::ECS::Service',
    10,
    'UPDATE_FAILED',
    'ECS Deployment Circuit Breaker was triggered',
  );
  b.stack('', 11, 'UPDATE_ROLLBACK_IN_PROGRESS', 'The following resource(s) failed to update: [Service]. ');
  b.resource('', 'Service', 'AWS::ECS::Service', 12, 'UPDATE_IN_PROGRESS');
  b.resource('', 'Service', 'AWS::ECS::Service', 20, 'UPDATE_FAILED', ROLLBACK_FAILURE);
  b.stack('', 21, 'UPDATE_ROLLBACK_FAILED', 'The following resource(s) failed to update: [Service]. ');
  return { steps: b.build() };
}

/**
 * ContinueUpdateRollback: resources named in ResourcesToSkip are set to UPDATE_COMPLETE without being
 * rolled back (the API reference says so); the other failed ones are rolled back again.
 */
export function continueRollbackScript(
  failed: ReadonlyArray<{ logicalId: string; type: string }>,
  skipped: readonly string[],
): Script {
  const b = new ScriptBuilder().stack('', 0, 'UPDATE_ROLLBACK_IN_PROGRESS', 'User Initiated');
  let at = 1;
  for (const resource of failed) {
    if (skipped.includes(resource.logicalId))
      b.resource('', resource.logicalId, resource.type, at, 'UPDATE_COMPLETE');
    else b.create('', resource.logicalId, resource.type, at, 2, 'UPDATE');
    at += 1;
  }
  b.stack('', at + 2, 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS').stack(
    '',
    at + 3,
    'UPDATE_ROLLBACK_COMPLETE',
  );
  return { steps: b.build() };
}

/**
 * `create-failed`: the template's resources are created in order and the last one fails. With
 * DisableRollback (user guide `stack-failure-options`) the stack stops in CREATE_FAILED keeping what
 * was made, the failed resource left CREATE_FAILED; without it, the create rolls back to
 * ROLLBACK_COMPLETE. An update of that stack plays the `template` scenario (the retry succeeds).
 */
export function createFailedScript(changes: readonly TemplateChange[], disableRollback: boolean): Script {
  const b = new ScriptBuilder().stack('', 0, 'CREATE_IN_PROGRESS', 'User Initiated');
  const adds = changes.filter((change) => change.action === 'Add');
  const failing = adds.at(-1);
  let at = 1;
  for (const change of adds.slice(0, -1)) {
    b.create('', change.logicalId, change.type, at, 2);
    at += 0.5;
  }
  if (!failing) return { steps: b.stack('', at + 2, 'CREATE_COMPLETE').build() };
  b.resource('', failing.logicalId, failing.type, at, 'CREATE_IN_PROGRESS');
  b.resource('', failing.logicalId, failing.type, at + 3, 'CREATE_FAILED', DB_FAILURE);
  const reason = `The following resource(s) failed to create: [${failing.logicalId}]. `;
  if (disableRollback) return { steps: b.stack('', at + 4, 'CREATE_FAILED', reason).build() };
  b.stack('', at + 4, 'ROLLBACK_IN_PROGRESS', `${reason}Rollback requested by user.`);
  let back = at + 5;
  for (const change of [...adds].reverse()) {
    b.create('', change.logicalId, change.type, back, 1, 'DELETE');
    back += 0.5;
  }
  return { steps: b.stack('', back + 2, 'ROLLBACK_COMPLETE').build() };
}

export function scenarioScript(name: Exclude<ScenarioName, 'template' | 'create-failed'>): Script {
  switch (name) {
    case 'update-rollback-failed':
      return updateRollbackFailed();
    case 'big-nested-create':
      return bigNestedCreate();
    case 'nested-failure':
      return nestedFailure();
    case 'update-rollback':
      return updateRollback();
    case 'long-create':
      return longCreate();
    case 'long-update':
      return longUpdate();
    case 'delete-failed':
      // A plain quick create; the scenario is in what deleting it does (deleteScript).
      return {
        steps: new ScriptBuilder()
          .stack('', 0, 'CREATE_IN_PROGRESS', 'User Initiated')
          .create('', 'Bucket', 'AWS::S3::Bucket', 1, 2)
          .stack('', 4, 'CREATE_COMPLETE')
          .build(),
      };
  }
}

/** Deleting a stack: every live resource in reverse, then the stack; the first `delete-failed` attempt fails on the bucket. */
export function deleteScript(
  resources: ReadonlyArray<{ logicalId: string; type: string }>,
  options: { failOn?: string; reason?: string; retained?: string[] },
): Script {
  const b = new ScriptBuilder().stack('', 0, 'DELETE_IN_PROGRESS', 'User Initiated');
  let at = 1;
  for (const resource of [...resources].reverse()) {
    if (options.retained?.includes(resource.logicalId)) {
      b.resource('', resource.logicalId, resource.type, at, 'DELETE_SKIPPED');
      continue;
    }
    b.resource('', resource.logicalId, resource.type, at, 'DELETE_IN_PROGRESS');
    if (resource.logicalId === options.failOn) {
      b.resource(
        '',
        resource.logicalId,
        resource.type,
        at + 2,
        'DELETE_FAILED',
        options.reason ?? 'The bucket you tried to delete is not empty (Service: S3, Status Code: 409)',
      );
      b.stack(
        '',
        at + 3,
        'DELETE_FAILED',
        `The following resource(s) failed to delete: [${resource.logicalId}]. `,
      );
      return { steps: b.build() };
    }
    b.resource('', resource.logicalId, resource.type, at + 1, 'DELETE_COMPLETE');
    at += 1;
  }
  b.stack('', at + 1, 'DELETE_COMPLETE');
  return { steps: b.build() };
}

/**
 * DeleteStack of a stack whose export another stack imports: CloudFormation refuses to remove the
 * export, so the delete fails before any resource is touched.
 */
export function exportInUseScript(exportName: string, importer: string): Script {
  return {
    steps: new ScriptBuilder()
      .stack('', 0, 'DELETE_IN_PROGRESS', 'User Initiated')
      .stack('', 1, 'DELETE_FAILED', `Export ${exportName} cannot be deleted as it is in use by ${importer}`)
      .build(),
  };
}

/** CancelUpdateStack during an update: roll back what changed. */
export function cancelScript(): Script {
  const b = new ScriptBuilder().stack('', 0, 'UPDATE_ROLLBACK_IN_PROGRESS', 'Stack update cancelled');
  b.resource('', 'Cluster', 'AWS::EKS::Cluster', 1, 'UPDATE_FAILED', 'Resource update cancelled');
  b.create('', 'Cluster', 'AWS::EKS::Cluster', 2, 3, 'UPDATE');
  b.stack('', 6, 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS').stack('', 7, 'UPDATE_ROLLBACK_COMPLETE');
  return { steps: b.build() };
}
