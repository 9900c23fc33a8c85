import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { StackguideError } from '../errors.ts';
import type { StackguideEvent } from '../events.ts';
import { fromVersion1 } from './journal-v1.ts';

/**
 * The state journal of one deployment: what stackguide created (stack ids, the idempotency tokens of
 * operations in flight), every run that changed it (install, upgrade, destroy) with its lifecycle and
 * the stack ids it acted on, and the event log of every run. Each change to AWS is journaled before the
 * call (intent, with its token) and after it (the outcome), so an interrupted run resumes.
 *
 * One versioned schema, one key per stack (its name), written atomically (a temp file, fsync, rename,
 * writes one after another) and read strictly: a file that does not parse, or that a newer stackguide
 * wrote, is an error naming the file, never "no journal".
 * Nothing secret is ever passed in: events and state carry ARNs and names only.
 */
export const JOURNAL_VERSION = 2;

export interface DeploymentState {
  schemaVersion: typeof JOURNAL_VERSION;
  /** The blueprint version last deployed, and templates `upgrade --template` put in place, by stack id. */
  blueprint: { id: string; version: string; templateOverrides?: Record<string, string> };
  deployment: string;
  region: string;
  account?: string;
  /** By stack name. */
  stacks: Record<string, StackRecord>;
  /** Preparation steps by blueprint step id. */
  steps?: Record<string, StepRecord>;
  /** The runs that changed the deployment, oldest first (the last 50). */
  operations?: OperationRecord[];
  /** The destroy in progress (or finished), with the plan it showed: a re-run resumes from that plan. */
  destroy?: DestroyRecord;
  /**
   * The answers file (an absolute path) the last install or upgrade applied: `status` without --config
   * reads it, not only `<name>.answers.yaml` (trial finding 81: the lab's install used answers.yaml).
   */
  answersFile?: string;
}

export type OperationCommand = 'install' | 'upgrade' | 'destroy';

/**
 * One run that changed the deployment. `started` is written when it begins; `completed`, `failed` or
 * `stopped` (Ctrl+C, SIGTERM, --timeout, a declined change set) when it ends; a run found still
 * `started` by the next one was killed, and becomes `abandoned`.
 */
export interface OperationRecord {
  id: string;
  command: OperationCommand;
  status: 'started' | 'completed' | 'failed' | 'stopped' | 'abandoned';
  startedAt: string;
  updatedAt: string;
  /** Stack ids (ARNs) it created, changed or deleted: the generation of the deployment it acted on. */
  stackIds: string[];
  /** The last thing it did, in words ("created change set X for demo-data"): a re-run says it. */
  lastAction?: string;
}

export interface DestroyRecord {
  /** `abandoned`: the deployment was installed again since; the plan is never applied. */
  status: 'in-progress' | 'complete' | 'abandoned';
  startedAt: string;
  /** Stack ids, bucket names and repository names the shown plan listed: nothing else is acted on. */
  plan: { stackIds: string[]; buckets: string[]; repositories: string[]; codeCommitRepositories: string[] };
  updatedAt: string;
}

/**
 * What one preparation step did: `applying` is written before its apply runs (with the idempotency
 * token its create calls use, so a run killed mid-call finds the resource again) and `applied` after,
 * with its outputs (a hosted zone id, a certificate or secret ARN; never a secret itself).
 */
export interface StepRecord {
  kind: string;
  status: 'applying' | 'applied' | 'failed';
  token?: string;
  outputs?: Record<string, string>;
  updatedAt: string;
}

export interface StackRecord {
  name: string;
  /** The blueprint's id for the stack (`data`, `app`). */
  blueprintId?: string;
  stackId?: string;
  status?: string;
  /** Token of the operation last started; present while one may be in flight. It also names the
   * change set made with it, so a re-run finds one that was never executed. */
  pendingToken?: string;
  operation?: 'create' | 'update' | 'delete';
  updatedAt: string;
}

export type StackChange = {
  [K in keyof Omit<StackRecord, 'updatedAt' | 'name'>]?: StackRecord[K] | undefined;
} & { name: string };

const MAX_OPERATIONS = 50;

function statePath(stateDir: string, deployment: string): string {
  return join(stateDir, deployment, 'state.json');
}

/** The journal of a deployment as it stands, read-only (status); undefined when none was written here. */
export async function readDeploymentState(
  stateDir: string,
  deployment: string,
): Promise<DeploymentState | undefined> {
  return readStateFile(statePath(stateDir, deployment));
}

/** Reads strictly: absent is undefined; unreadable, corrupt or newer is an error with the way out. */
async function readStateFile(file: string): Promise<DeploymentState | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw new StackguideError(`The journal ${file} cannot be read: ${(error as Error).message}`, {
      code: 'journal.unreadable',
      kind: 'user',
      cause: error,
      nextSteps: [`Check the file's permissions, then run the command again.`],
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw corrupt(file, `it is not valid JSON (${(error as Error).message})`, error);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw corrupt(file, 'it does not hold a journal object');
  const version = (parsed as { schemaVersion?: unknown }).schemaVersion;
  if (typeof version === 'number' && version > JOURNAL_VERSION) {
    throw new StackguideError(
      `The journal ${file} was written by a newer stackguide (journal version ${version}; this one reads up to ${JOURNAL_VERSION})`,
      {
        code: 'journal.newer',
        kind: 'user',
        nextSteps: [
          'Run the newer stackguide that wrote it (npm install -g stackguide@latest), or point --state-dir elsewhere.',
        ],
      },
    );
  }
  const state = version === 1 ? fromVersion1(parsed) : parsed;
  if (
    (state as { schemaVersion?: unknown }).schemaVersion !== JOURNAL_VERSION ||
    typeof (state as { deployment?: unknown }).deployment !== 'string' ||
    typeof (state as { stacks?: unknown }).stacks !== 'object'
  )
    throw corrupt(file, 'its schemaVersion, deployment or stacks are missing or wrong');
  return state as DeploymentState;
}

function corrupt(file: string, why: string, cause?: unknown): StackguideError {
  return new StackguideError(`The journal ${file} is corrupt: ${why}`, {
    code: 'journal.corrupt',
    kind: 'user',
    ...(cause !== undefined ? { cause } : {}),
    nextSteps: [
      `Move it aside: mv ${file} ${file}.corrupt`,
      'Then run the same command again: the plan is rebuilt from what AWS holds (stacks are found by name and tag).',
    ],
  });
}

export class Journal {
  readonly dir: string;
  #state: DeploymentState;
  /** The run this process is making, once `begin` was called. */
  #operation: OperationRecord | undefined;
  /** The run before, found still `started` when this one began: it was killed. */
  #interrupted: OperationRecord | undefined;
  /** Saves run one after another: the file on disk is always one whole state, the latest last. */
  #writes: Promise<void> = Promise.resolve();
  /** Appends run one after another so the log keeps emission order. */
  #appends: Promise<void> = Promise.resolve();
  /** Stack event ids already in the log: each is written once, whichever run saw it. */
  readonly #loggedEventIds: Set<string>;
  #tempCounter = 0;

  private constructor(dir: string, state: DeploymentState, loggedEventIds: Set<string>) {
    this.dir = dir;
    this.#state = state;
    this.#loggedEventIds = loggedEventIds;
  }

  /** Opens (or starts) the journal of a deployment under `<stateDir>/<deployment>/`. */
  static async open(
    stateDir: string,
    initial: Omit<DeploymentState, 'schemaVersion' | 'stacks'>,
  ): Promise<Journal> {
    const dir = join(stateDir, initial.deployment);
    await mkdir(dir, { recursive: true });
    const existing = await readStateFile(statePath(stateDir, initial.deployment));
    const state: DeploymentState = existing
      ? { ...existing, ...initial }
      : { schemaVersion: JOURNAL_VERSION, ...initial, stacks: {} };
    const journal = new Journal(dir, state, await readLoggedEventIds(join(dir, 'events.ndjson')));
    await journal.#save();
    return journal;
  }

  get state(): Readonly<DeploymentState> {
    return this.#state;
  }

  get eventLogPath(): string {
    return join(this.dir, 'events.ndjson');
  }

  /** Stack event ids the log already holds (from this run and every earlier one). */
  get loggedEventIds(): ReadonlySet<string> {
    return this.#loggedEventIds;
  }

  /** The run before this one, when it was killed (found `started`) or stopped: the re-run tells it. */
  get interrupted(): Readonly<OperationRecord> | undefined {
    return this.#interrupted;
  }

  /** The stack's record, by stack name. */
  stack(name: string): Readonly<StackRecord> | undefined {
    return this.#state.stacks[name];
  }

  /**
   * Starts this run's record. A run still `started` is one that was killed: it becomes `abandoned`
   * and is kept in `interrupted` for the re-run to tell, as is the run just before when it was stopped.
   */
  async begin(command: OperationCommand): Promise<void> {
    const now = new Date().toISOString();
    const interrupted = interruptedRun(this.#state.operations);
    if (interrupted)
      this.#interrupted =
        interrupted.status === 'started'
          ? { ...interrupted, status: 'abandoned', updatedAt: now }
          : interrupted;
    const operations = (this.#state.operations ?? []).map((operation): OperationRecord => {
      if (operation.status !== 'started') return operation;
      return { ...operation, status: 'abandoned', updatedAt: now };
    });
    this.#operation = {
      id: randomUUID(),
      command,
      status: 'started',
      startedAt: now,
      updatedAt: now,
      stackIds: [],
    };
    this.#state = { ...this.#state, operations: [...operations, this.#operation].slice(-MAX_OPERATIONS) };
    await this.#save();
  }

  /** Ends this run's record with its outcome. */
  async finish(outcome: 'completed' | 'failed' | 'stopped'): Promise<void> {
    await this.#updateOperation({ status: outcome });
  }

  /** Merges `change` into the stack's record (by name); a field given as `undefined` is cleared. */
  async recordStack(blueprintIdOrName: string, change: StackChange): Promise<void> {
    const previous = this.#state.stacks[change.name];
    const merged: Record<string, unknown> = {
      ...previous,
      ...(blueprintIdOrName !== change.name ? { blueprintId: blueprintIdOrName } : {}),
      ...change,
      updatedAt: new Date().toISOString(),
    };
    // Clearing a field is expressed as `undefined`; keep the file free of them.
    for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
    const next = merged as unknown as StackRecord;
    this.#state = { ...this.#state, stacks: { ...this.#state.stacks, [change.name]: next } };
    if (this.#operation && next.stackId && !this.#operation.stackIds.includes(next.stackId)) {
      await this.#updateOperation({ stackIds: [...this.#operation.stackIds, next.stackId] });
      return;
    }
    await this.#save();
  }

  async recordStep(id: string, record: Omit<StepRecord, 'updatedAt'>): Promise<void> {
    const previous = this.#state.steps?.[id];
    // The token of an apply in flight stays with the step until it is applied again.
    const token = record.token ?? previous?.token;
    const steps = {
      ...this.#state.steps,
      [id]: { ...record, ...(token ? { token } : {}), updatedAt: new Date().toISOString() },
    };
    this.#state = { ...this.#state, steps };
    await this.#save();
  }

  async recordDestroy(record: Omit<DestroyRecord, 'updatedAt'>): Promise<void> {
    this.#state = { ...this.#state, destroy: { ...record, updatedAt: new Date().toISOString() } };
    await this.#save();
  }

  /**
   * Queues one event for the log; `flush()` waits for every queued append. A stack event already in
   * the log (seen by an earlier run, or read twice) is not written again. Milestones also move this
   * run's `lastAction`, which the next run tells if this one is killed.
   */
  appendEvent(event: StackguideEvent): Promise<void> {
    if (event.type === 'stack.event') {
      if (this.#loggedEventIds.has(event.event.eventId)) return this.#appends;
      this.#loggedEventIds.add(event.event.eventId);
    }
    const line = `${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`;
    this.#appends = this.#appends.then(() => appendFile(this.eventLogPath, line, 'utf8'));
    const action = this.#operation ? milestone(event) : undefined;
    if (action) void this.#updateOperation({ lastAction: action });
    return this.#appends;
  }

  /** Waits for every queued append and save. */
  async flush(): Promise<void> {
    await this.#appends;
    await this.#writes;
  }

  async #updateOperation(change: Partial<OperationRecord>): Promise<void> {
    const current = this.#operation;
    if (!current) return;
    const next: OperationRecord = { ...current, ...change, updatedAt: new Date().toISOString() };
    this.#operation = next;
    const operations = (this.#state.operations ?? []).map((operation) =>
      operation.id === next.id ? next : operation,
    );
    this.#state = { ...this.#state, operations };
    await this.#save();
  }

  /** Temp file, fsync, rename: a kill at any moment leaves the old state or the new one, whole. */
  #save(): Promise<void> {
    const snapshot = `${JSON.stringify(this.#state, null, 2)}\n`;
    const file = join(this.dir, 'state.json');
    const temporary = `${file}.${process.pid}.${++this.#tempCounter}.tmp`;
    const write = async (): Promise<void> => {
      const handle = await open(temporary, 'w', 0o600);
      try {
        await handle.writeFile(snapshot, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await rename(temporary, file);
      } catch (error) {
        await unlink(temporary).catch(() => {});
        throw error;
      }
    };
    this.#writes = this.#writes.then(write, write);
    return this.#writes;
  }
}

/** What a milestone event says this run last did, for the line a re-run prints if it was killed. */
function milestone(event: StackguideEvent): string | undefined {
  switch (event.type) {
    case 'changeset.created':
      return event.summary.empty
        ? undefined
        : `creating change set ${event.summary.changeSetId.split('/')[1] ?? event.summary.changeSetId} for ${event.stack}`;
    case 'stack.started':
      return `starting the ${event.operation} of ${event.stack}`;
    case 'stack.completed':
      return `${event.stack} reached ${event.status}`;
    case 'stack.failed':
      return `${event.stack} ended ${event.status}`;
    case 'step.started':
      return `starting the step ${event.step}`;
    case 'step.completed':
      return `completing the step ${event.step}`;
    default:
      return undefined;
  }
}

/**
 * The run a re-run tells about: the latest one still `started` (it was killed), else the last one
 * when it was stopped (Ctrl+C, SIGTERM, --timeout, a declined change set).
 */
function interruptedRun(operations: readonly OperationRecord[] | undefined): OperationRecord | undefined {
  const last = operations?.at(-1);
  return (
    operations?.findLast((operation) => operation.status === 'started') ??
    (last?.status === 'stopped' ? last : undefined)
  );
}

/**
 * What the run before was doing when it was killed or stopped, read before this run begins (nothing
 * is written): a re-run says it first, before its questions and review.
 */
export async function lastRunLine(stateDir: string, deployment: string): Promise<string | undefined> {
  const interrupted = interruptedRun((await readDeploymentState(stateDir, deployment))?.operations);
  return interrupted ? interruptedRunLine(interrupted) : undefined;
}

/**
 * Begins this run's record, and tells first what the run before was doing if it was killed; `told`:
 * the line the run said already (before its review), not said twice.
 */
export async function beginRun(
  journal: Journal,
  command: OperationCommand,
  emit: (event: StackguideEvent) => void,
  told?: string,
): Promise<void> {
  await journal.begin(command);
  const line = journal.interrupted ? interruptedRunLine(journal.interrupted) : undefined;
  if (line === undefined) return;
  const warning = { type: 'warning', code: 'run.interrupted', message: line } as const;
  // Said already (before the event log listened): the log still gets it, the screen not twice.
  if (line === told) await journal.appendEvent(warning);
  else emit(warning);
}

/** The line a re-run prints about the run it found interrupted. */
export function interruptedRunLine(operation: Readonly<OperationRecord>): string {
  const at = new Date(operation.startedAt);
  const when = `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
  const ended = operation.status === 'stopped' ? 'was stopped' : 'was interrupted';
  return `The ${operation.command} of ${when} ${ended}${operation.lastAction ? ` after ${operation.lastAction}` : ' before it changed anything'}; this run picks up from what AWS holds now`;
}

/** Event ids of the stack events in an existing log, so none is written twice. */
async function readLoggedEventIds(file: string): Promise<Set<string>> {
  const ids = new Set<string>();
  const text = await readFile(file, 'utf8').catch(() => '');
  for (const match of text.matchAll(/"type":"stack\.event".*?"eventId":"([^"]+)"/g)) {
    if (match[1]) ids.add(match[1]);
  }
  return ids;
}
