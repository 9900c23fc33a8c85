/**
 * Everything a long operation has to say, as typed events. Logic emits them and never prints;
 * renderers subscribe: Ink in a terminal, plain lines without one, NDJSON for `--output json`, and the
 * journal's event log. The `type` strings are a public, documented contract (README, "NDJSON events",
 * generated from EVENT_REGISTRY below): add fields and types freely, never rename or remove one.
 *
 * This module is a leaf: it imports nothing, so printers, the journal and the screens can depend on
 * the vocabulary without depending on the domain that produces it (the way CDK keeps its payloads).
 * The plain shapes the events carry (a check result, a destroy plan, a change) are defined here and
 * re-exported by the domain modules that produce them.
 */

export type StackOperation = 'create' | 'update' | 'delete' | 'attach';

/** Who has to act: the operator (`user`), AWS (`aws`), us (`bug`), or nobody because they stopped it. */
export type ErrorKind = 'user' | 'aws' | 'bug' | 'cancelled';

/** One CloudFormation stack event, as the streamer hands it on (oldest first, each exactly once). */
export interface StackEventRecord {
  eventId: string;
  /** Stack the event belongs to (a nested stack's own name for its resources). */
  stackName: string;
  stackId: string;
  /** Top-level stack of the operation; equal to stackId for top-level events. */
  rootStackId: string;
  logicalResourceId: string;
  physicalResourceId?: string;
  resourceType: string;
  status: string;
  reason?: string;
  timestamp: string;
}

export interface RootCause {
  stackName: string;
  logicalResourceId: string;
  resourceType: string;
  status: string;
  reason: string;
}

export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface CheckResult {
  /** Stable and unique within the run: `<stepId>.<what>`, e.g. `roles.batch.amazonaws.com`. */
  id: string;
  /** The blueprint step id that produced it. */
  step: string;
  /** What is checked, in words: "Service-linked role for AWS Batch". */
  title: string;
  status: CheckStatus;
  /** What was found: "exists (AWSServiceRoleForBatch)", "32 of 34 vCPUs available". */
  summary: string;
  /** The exact next action when the status is not pass. */
  fix?: string;
  /**
   * What is missing is what `install` does (the step's plan lists it: a role to create, a request to
   * submit). An install shows it with its plan, not as a failure, and without `fix`, which is written
   * for the commands that only look (preflight, status), where running install is the next action.
   */
  plannedByInstall?: boolean;
  /** A failing required check stops the install and makes preflight exit non-zero. */
  required: boolean;
  /**
   * Nothing was checked: the operator said it is done (a manual step). It passes, but it reads
   * "confirmed by you", never a check's ✔ or "passed" (trial finding 100).
   */
  confirmedByOperator?: true;
  /** Plain JSON facts for `--output json` and status panels. */
  facts?: Record<string, unknown>;
}

/** What a preparation step created: its kind, AWS's id for it, and the name the operator knows it by. */
export interface CreatedResource {
  kind: 'hostedZone' | 'secret' | 'serviceLinkedRole' | 'certificate';
  /** The hosted zone's id, the secret's or certificate's ARN, the role's name (its service when IAM gave none). */
  id: string;
  /** The zone's domain, the secret's name, the role's service, the certificate's domain names. */
  name: string;
}

/** One resource change of a change set, as CloudFormation describes it. */
export interface ResourceChange {
  action: string;
  logicalResourceId: string;
  physicalResourceId?: string;
  resourceType: string;
  /** True, False or Conditional; absent where CloudFormation says nothing (an Add or a Remove). */
  replacement?: string;
  /** For a nested stack: its own change set. */
  changeSetId?: string;
}

/**
 * A parameter a stack holds that a run changes, read from the stack (DescribeStacks) against what the
 * answers render to. Never a NoEcho parameter or one a secret answer fills: those are not listed.
 */
export interface ParameterChange {
  name: string;
  deployed: string;
  next: string;
}

/** One resource change of a change set, as reviewed (src/stacks/change-set.ts builds it). */
export interface ChangedResource extends ResourceChange {
  /** Changes of a nested stack's own change set. */
  nested?: ChangedResource[];
  stateful: boolean;
}

/**
 * What `destroy` will do, computed before anything is touched (src/decommission/destroy-plan.ts). Only
 * stacks that belong to the deployment are ever in it: tagged with its deployment tag, or named by its
 * blueprint.
 */
export interface DestroyPlan {
  deployment: string;
  region: string;
  /** In deletion order. */
  stacks: StackToDelete[];
  /** Kept by the blueprint's rules, never touched, with their resources. */
  retained: Array<{ name: string; status: string }>;
  /** Declared but not there (never created, or already deleted). */
  absent: string[];
  buckets: Array<{ stack: string; logicalId: string; bucket: string }>;
  repositories: Array<{ stack: string; logicalId: string; repository: string }>;
  /** Resources CloudFormation will leave behind because of their DeletionPolicy. */
  keptByPolicy: Array<{
    stack: string;
    logicalId: string;
    type: string;
    physicalId?: string;
    policy: string;
  }>;
  terminationProtected: string[];
  /** Opt-in deletions: repositories holding code. */
  codeCommitRepositories: string[];
  cautions: string[];
  /** Stacks that are in the plan by the blueprint's name pattern only: they lack the deployment tag. */
  untaggedButDeclared: string[];
  /**
   * Stacks whose template the plan could not read (GetTemplate refused or failed): what their
   * DeletionPolicy keeps is unknown, so `keptByPolicy` may miss some and `buckets` may list a kept one.
   */
  unreadableTemplates: Array<{ stack: string; message: string; fix: string }>;
  /**
   * Tags the platform puts on what it creates outside CloudFormation (decommission.platformTags, with
   * the deployment filled in): what carries one is found, deleted and reported like the deployment's own.
   */
  platformTags: Array<{ key: string; value: string }>;
}

export interface StackToDelete {
  name: string;
  stackId: string;
  status: string;
  /** The service role the stack keeps (`install --role-arn`): destroy deletes it with that role. */
  roleArn?: string;
}

/**
 * `status`, for scripts as much as for people: each item is `healthy`, `needs-action` (with the one next
 * action) or `could-not-check` (AWS or DNS could not be asked: fix that first); a section is as bad as
 * its worst deciding item.
 */
export type StatusState = 'healthy' | 'needs-action' | 'could-not-check';

export type StatusSectionId = 'stacks' | 'dns' | 'certificates' | 'ses' | 'secrets' | 'manual' | 'account';

export interface StatusItem {
  id: string;
  title: string;
  state: StatusState;
  summary: string;
  /** The one thing to do when the item is not healthy. */
  nextAction?: string;
  /** Shown for detail (one parent server among several); the item it details decides the state. */
  detail?: boolean;
  /** A warning worth reading that asks nothing now (a type that cannot be verified here). */
  advisory?: boolean;
  /** Healthy on the operator's word (a manual step they confirmed): nothing checked it. */
  confirmedByOperator?: true;
  facts?: Record<string, unknown>;
}

export interface StatusSection {
  section: StatusSectionId;
  title: string;
  state: StatusState;
  items: StatusItem[];
}

/** Each event's fields by its `type`: the one place an event's shape is written down. */
interface EventPayloads {
  'run.started': { command: string; blueprint?: string; deployment?: string; region?: string };
  'identity.resolved': { account: string; arn: string; region: string };
  'answers.saved': { path: string };
  /** The answers file a command took itself, no --config given: the journal's record, or `<name>.answers.yaml`. */
  'answers.chosen': { path: string; from: 'journal' | 'beside' };
  'file.written': { path: string; description?: string };
  'templates.packaged': { bucket: string; uploaded: string[]; reused: string[] };
  'artifacts.deleted': { bucket: string };
  'stack.skipped': { stack: string; reason: string };
  'stack.not-started': { stack: string; reason: string };
  eta: {
    remainingSeconds: number;
    finishesAt: string;
    /** True when a duration came from the shipped table of typical ones, not from this account's history. */
    guess: boolean;
    stacks: Array<{ stack: string; state: 'waiting' | 'running'; remainingSeconds: number; guess: boolean }>;
  };
  'changeset.created': {
    stack: string;
    summary: {
      changeSetId: string;
      stackId: string;
      type: 'CREATE' | 'UPDATE';
      empty: boolean;
      changes: ChangedResource[];
      /** The stack's parameters this change set changes, deployed → new (absent when none is known to). */
      parameterChanges?: ParameterChange[];
      iamResources: string[];
      statefulReplacements: string[];
    };
  };
  'stack.started': {
    stack: string;
    stackId?: string;
    operation: StackOperation;
    /** For `attach`: the stack's status when we joined the operation already running on it. */
    status?: string;
    resourceCount?: number;
  };
  'stack.event': { stack: string; event: StackEventRecord };
  'stack.completed': { stack: string; stackId: string; status: string; outputs: Record<string, string> };
  'stack.failed': { stack: string; stackId?: string; status: string; rootCause?: RootCause; message: string };
  'stack.status': {
    stack: string;
    stackId?: string;
    status: string;
    updatedAt?: string;
    outputs: Record<string, string>;
  };
  'check.result': { result: CheckResult };
  'status.section': StatusSection;
  'status.summary': {
    deployment: string;
    region: string;
    state: StatusState;
    exitCode: number;
    /** Only under --watch, from the second refresh on: the item ids whose state or summary changed. */
    changed?: string[];
    /** The answers file status found itself (no --config): the one the journal records, or `<name>.answers.yaml`. */
    answersFile?: string;
  };
  'step.started': { step: string; kind: string; title: string };
  'step.progress': { step: string; message: string; facts?: Record<string, unknown> };
  /** Between two checks of a wait on the outside world: when it checks next, and when it gives up. */
  'step.waiting': { step: string; nextCheckAt: string; givesUpAt: string };
  /**
   * A preparation step created something in the account, which stays whatever happens to the run: a
   * stop while the step then waits (for the DNS delegation, a certificate's validation) names it.
   */
  'step.resource-created': { step: string; resource: CreatedResource };
  'step.completed': {
    step: string;
    outputs: Record<string, string>;
    /** Its result still waits on someone outside this run: what for ("AWS's review of ..."). */
    pending?: string;
    /** A manual step: the operator did it and said so; stackguide neither did nor checked anything. */
    confirmedByOperator?: true;
  };
  'upgrade.started': {
    deployment: string;
    from: string;
    to: string;
    answersChanged: string[];
    /** Each stack parameter the upgrade changes, deployed → new, whatever its change sets' rows say. */
    parametersChanged: Array<ParameterChange & { stack: string }>;
  };
  'destroy.plan': { plan: DestroyPlan };
  'destroy.leftovers': {
    unexpected: Array<{ arn: string; reason: string }>;
    expected: Array<{ arn: string; reason: string }>;
    /** Listed by the blueprint as untaggable but of a kind stackguide cannot check. */
    unchecked: Array<{ name: string; reason: string }>;
  };
  'blueprint.valid': { blueprint: string; version: string; questions: number; stacks: string[] };
  'support.bundle': {
    path: string;
    bytes: number;
    files: string[];
    aws: { reached: boolean; reason?: string };
    redactions: Array<{ kind: string; count: number }>;
    notes: string[];
  };
  /** Said during a long silence: which stack or step is still being waited on, and for how long. */
  heartbeat: { stack?: string; step?: string; status: string; elapsedSeconds: number };
  warning: { code: string; message: string };
  'run.completed': {
    outcome: 'succeeded' | 'failed' | 'cancelled';
    exitCode: number;
    nextCommand?: string;
  };
  error: {
    code: string;
    kind: ErrorKind;
    message: string;
    details: Array<{ path: string; message: string; fix?: string }>;
    nextSteps: string[];
  };
}

export type EventType = keyof EventPayloads;

export type StackguideEvent = { [K in EventType]: { type: K } & EventPayloads[K] }[EventType];

/** A listener that writes somewhere (the journal's event log) returns the write, for `drained`. */
export type EventListener = (event: StackguideEvent) => unknown;

/** A synchronous fan-out: every listener sees every event in emission order. */
export class EventBus {
  readonly #listeners = new Set<EventListener>();
  readonly #writes = new Set<Promise<unknown>>();

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: StackguideEvent): void {
    for (const listener of this.#listeners) {
      const write = listener(event);
      if (write instanceof Promise) {
        const settled = write.then(
          () => undefined,
          () => undefined,
        );
        this.#writes.add(settled);
        void settled.then(() => this.#writes.delete(settled));
      }
    }
  }

  /** Resolves once every write a listener started has finished: the process may exit after it. */
  async drained(): Promise<void> {
    while (this.#writes.size > 0) await Promise.all([...this.#writes]);
  }
}

/** `debug`: detail a renderer may fold away; `warn` and `error`: the operator should look. */
type EventLevel = 'debug' | 'info' | 'warn' | 'error';

/** Every field of an event's payload, each with a short note (empty when the name says it all). */
type FieldNotes<K extends EventType> = { readonly [F in keyof EventPayloads[K]]-?: string };

export interface EventInfo<K extends EventType> {
  level: EventLevel;
  description: string;
  /** The payload's fields: the compiler checks that every field is listed and none is invented. */
  payload: FieldNotes<K>;
}

/**
 * The coded registry: one entry per event type, in the order a run emits them. The README's event
 * table is generated from it (`npm run docs`), and test/events checks that they agree.
 */
export const EVENT_REGISTRY: { readonly [K in EventType]: EventInfo<K> } = {
  'run.started': {
    level: 'info',
    description: 'Always the first event of a command.',
    payload: {
      command: '',
      blueprint: 'its id',
      deployment: 'when known at the start: --name or the answers file',
      region: '',
    },
  },
  'identity.resolved': {
    level: 'info',
    description: 'Who the AWS credentials belong to.',
    payload: { account: '', arn: '', region: '' },
  },
  'answers.saved': {
    level: 'info',
    description: 'The answers file was written.',
    payload: { path: '' },
  },
  'answers.chosen': {
    level: 'info',
    description:
      '(`upgrade` without `--config`) The answers file it applies, said before a question or a change: the one the journal records the last install or upgrade used, else `<name>.answers.yaml`.',
    payload: { path: '', from: '`journal` or `beside` (`<name>.answers.yaml` in the current folder)' },
  },
  'templates.packaged': {
    level: 'info',
    description:
      'Nested templates from the blueprint folder, and templates over 51,200 bytes, are in the artifacts bucket (content-addressed keys; reused ones were there already).',
    payload: { bucket: '', uploaded: 'keys templates/<sha256>.yaml', reused: 'keys already there' },
  },
  'artifacts.deleted': {
    level: 'info',
    description: "Destroy emptied and deleted the deployment's artifacts bucket, last.",
    payload: { bucket: '' },
  },
  'file.written': {
    level: 'info',
    description:
      "A file was written: one the blueprint renders, or install's after-install checklist (`<state-dir>/<deployment>/after-install.md`, description `the after-install checklist`).",
    payload: { path: '', description: '' },
  },
  'changeset.created': {
    level: 'info',
    description: 'A change set is ready for review.',
    payload: {
      stack: '',
      summary:
        '`changeSetId`, `stackId`, `type` (`CREATE`, `UPDATE`), `empty`, `changes` (`action`, `logicalResourceId`, `resourceType`, `replacement`, `stateful`, `nested`), `parameterChanges` (`name`, `deployed`, `next`; the parameters an upgrade changes, never a NoEcho or secret one), `iamResources`, `statefulReplacements`',
    },
  },
  'stack.skipped': {
    level: 'info',
    description: 'A stack needs nothing (e.g. already up to date).',
    payload: { stack: '', reason: '' },
  },
  'stack.not-started': {
    level: 'warn',
    description:
      'A stack was never started: another branch failed (or the run was stopped) first, so nothing new started; the same command again goes on with it.',
    payload: { stack: '', reason: 'which branch failed' },
  },
  eta: {
    level: 'debug',
    description:
      "When the run will end: told at the start, when a stack starts or ends, and as resources complete (at most every 30 s); from the change sets' resource types and the durations this account has shown (event logs, past stack events), else a table of typical ones.",
    payload: {
      remainingSeconds: 'for the whole run, playing the rest forward with --concurrency',
      finishesAt: 'ISO time',
      guess: 'some duration came from the typical table, not this account',
      stacks: 'each unfinished stack: `stack`, `state` (waiting or running), `remainingSeconds`, `guess`',
    },
  },
  'stack.started': {
    level: 'info',
    description: 'A stack operation began or was attached to.',
    payload: {
      stack: '',
      stackId: '',
      operation: '`create`, `update`, `delete`, `attach`',
      status: "for `attach`: the stack's status when joined",
      resourceCount: '',
    },
  },
  'stack.event': {
    level: 'debug',
    description: 'One CloudFormation stack event, oldest first, each exactly once.',
    payload: {
      stack: '',
      event:
        '`eventId`, `stackName`, `stackId`, `rootStackId`, `logicalResourceId`, `physicalResourceId`, `resourceType`, `status`, `reason`, `timestamp`',
    },
  },
  'stack.completed': {
    level: 'info',
    description: 'A stack reached its goal.',
    payload: { stack: '', stackId: '', status: '', outputs: '' },
  },
  'stack.failed': {
    level: 'error',
    description: 'A stack did not reach its goal; the root cause when one is known.',
    payload: {
      stack: '',
      stackId: '',
      status: '',
      message: '',
      rootCause: '`stackName`, `logicalResourceId`, `resourceType`, `status`, `reason`',
    },
  },
  'stack.status': {
    level: 'info',
    description: '(`status`) A stack as CloudFormation reports it now.',
    payload: { stack: '', stackId: '', status: '', updatedAt: '', outputs: '' },
  },
  'check.result': {
    level: 'info',
    description: 'One check of a preparation step.',
    payload: {
      result:
        "`id`, `step`, `title`, `status` (`pass`, `warn`, `fail`), `summary`, `fix`, `required`, `plannedByInstall` (what is missing is what install does: its plan lists it), `confirmedByOperator` (a manual step passes on the operator's word: nothing checked it), `facts`",
    },
  },
  'status.section': {
    level: 'info',
    description:
      '(`status`) One section of the deployment (`stacks`, `dns`, `certificates`, `ses`, `secrets`, `manual`, `account`), each item with its state and next action.',
    payload: {
      section: '',
      title: '',
      state: '`healthy`, `needs-action`, `could-not-check`',
      items:
        "`id`, `title`, `state`, `summary`, `nextAction`, `detail`, `advisory`, `confirmedByOperator` (healthy on the operator's word, a manual step), `facts`",
    },
  },
  'status.summary': {
    level: 'info',
    description: '(`status`) The whole deployment after its sections, with the exit code it gives.',
    payload: {
      deployment: '',
      region: '',
      state: '`healthy`, `needs-action`, `could-not-check`',
      exitCode: '0, 4 or 3',
      changed: 'under `--watch`: the item ids that changed since the last refresh',
      answersFile:
        'without `--config`: the answers file it compared with (the one the journal records the last install or upgrade used, else `<name>.answers.yaml`)',
    },
  },
  'step.started': {
    level: 'info',
    description: 'A preparation step began to apply.',
    payload: { step: '', kind: '', title: '' },
  },
  'step.progress': {
    level: 'info',
    description: 'What a preparation step is doing or waiting on.',
    payload: { step: '', message: '', facts: '' },
  },
  'step.waiting': {
    level: 'debug',
    description:
      'A preparation step waiting on the outside world (delegation, certificate validation) checks again at `nextCheckAt` and gives up at `givesUpAt` (ISO 8601), by its own poll schedule.',
    payload: { step: '', nextCheckAt: '', givesUpAt: '' },
  },
  'step.resource-created': {
    level: 'info',
    description:
      'A preparation step created something in the account, which stays whatever happens to the run (a run stopped while the step waits names it).',
    payload: {
      step: '',
      resource:
        '`kind` (`hostedZone`, `secret`, `serviceLinkedRole`, `certificate`), `id` (the zone id, the ARN, the role name), `name` (the domain, secret name or service)',
    },
  },
  'step.completed': {
    level: 'info',
    description:
      'A preparation step is done; with `pending`, it did all it can and its result waits on someone outside the run (AWS reviewing the SES request, Billing listing a tag key), so it is not done yet.',
    payload: {
      step: '',
      outputs: '',
      pending: 'when it is pending: what its result waits for',
      confirmedByOperator: 'a manual step: done by the operator, who confirmed it; nothing was checked',
    },
  },
  'blueprint.valid': {
    level: 'info',
    description: '(`validate`) The blueprint is valid.',
    payload: { blueprint: '', version: '', questions: 'how many', stacks: 'their ids' },
  },
  'support.bundle': {
    level: 'info',
    description:
      '(`support-bundle`) The support bundle was written; what was redacted, by kind and count, never a value.',
    payload: {
      path: '',
      bytes: '',
      files: 'paths inside the archive, the manifest last',
      aws: '`reached`, `reason` (why not, when not)',
      redactions: '`kind`, `count`',
      notes: 'what is missing and why',
    },
  },
  'upgrade.started': {
    level: 'info',
    description: 'An upgrade between blueprint versions began.',
    payload: {
      deployment: '',
      from: '',
      to: '',
      answersChanged:
        'ids of the answers this upgrade changes (a --set, a new question); secrets are not compared',
      parametersChanged:
        '`stack`, `name`, `deployed`, `next`: each parameter a stack holds that the upgrade changes (the stack read against the answers, whatever the answers file held before); NoEcho parameters and those a secret answer fills are never compared or listed',
    },
  },
  'destroy.plan': {
    level: 'info',
    description: 'What destroy will do, before anything is touched.',
    payload: {
      plan: '`deployment`, `region`, `stacks` (`name`, `stackId`, `status`, `roleArn` when the stack keeps a service role, in order), `retained`, `absent`, `buckets`, `repositories`, `keptByPolicy`, `terminationProtected`, `codeCommitRepositories`, `cautions`, `untaggedButDeclared`, `unreadableTemplates` (`stack`, `message`, `fix`)',
    },
  },
  'destroy.leftovers': {
    level: 'warn',
    description: 'What is still tagged with the deployment after destroy.',
    payload: {
      unexpected: '`arn`, `reason`',
      expected: '`arn`, `reason`',
      unchecked: '`name`, `reason`',
    },
  },
  heartbeat: {
    level: 'debug',
    description: 'Every 30 s of silence without a terminal (plain and JSON): what is still being waited on.',
    payload: { stack: 'the stack waited on', step: 'or the step', status: '', elapsedSeconds: '' },
  },
  warning: {
    level: 'warn',
    description: 'Something the operator should know; the run goes on.',
    payload: { code: '', message: '' },
  },
  error: {
    level: 'error',
    description: 'Why the command failed; always just before `run.completed`.',
    payload: {
      code: '',
      kind: '`user`, `aws`, `bug`, `cancelled`',
      message: '',
      details: '`path`, `message`, `fix`',
      nextSteps: '',
    },
  },
  'run.completed': {
    level: 'info',
    description: 'Always the last event of a command, with its exit code.',
    payload: { outcome: '`succeeded`, `failed`, `cancelled`', exitCode: '', nextCommand: '' },
  },
};
