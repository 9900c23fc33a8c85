import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StackguideEvent } from '../events.ts';

/**
 * The state journal of one deployment: what stackguide created (stack ids and the idempotency tokens of
 * operations in flight) and the event log of every run. Each change to AWS is journaled before the
 * call (intent, with its token) and after it (the outcome), so an interrupted run resumes.
 * Nothing secret is ever passed in: events and state carry ARNs and names only.
 */
export interface DeploymentState {
  schemaVersion: 1;
  blueprint: { id: string; version: string };
  deployment: string;
  region: string;
  account?: string;
  stacks: Record<string, StackRecord>;
  /** Preparation steps by blueprint step id. Absent in journals written before steps were journaled. */
  steps?: Record<string, StepRecord>;
  /** The destroy in progress (or finished), with the plan it showed: a re-run resumes from that plan. */
  destroy?: DestroyRecord;
}

export interface DestroyRecord {
  status: 'in-progress' | 'complete';
  startedAt: string;
  /** Stack ids, bucket names and repository names the shown plan listed: nothing else is acted on. */
  plan: { stackIds: string[]; buckets: string[]; repositories: string[]; codeCommitRepositories: string[] };
  updatedAt: string;
}

/**
 * What one preparation step did: `applying` is written before its apply runs and `applied` after, with
 * its outputs (a hosted zone id, a certificate or secret ARN; a step never outputs a secret itself).
 */
export interface StepRecord {
  kind: string;
  status: 'applying' | 'applied' | 'failed';
  outputs?: Record<string, string>;
  updatedAt: string;
}

export interface StackRecord {
  name: string;
  stackId?: string;
  status?: string;
  /** Token of the operation last started; present while one may be in flight. */
  pendingToken?: string;
  operation?: 'create' | 'update' | 'delete';
  updatedAt: string;
}

export type StackChange = {
  [K in keyof Omit<StackRecord, 'updatedAt' | 'name'>]?: StackRecord[K] | undefined;
} & { name: string };

/** The journal of a deployment as it stands, read-only (status); undefined when none was written here. */
export async function readDeploymentState(
  stateDir: string,
  deployment: string,
): Promise<DeploymentState | undefined> {
  return readFile(join(stateDir, deployment, 'state.json'), 'utf8')
    .then((text) => JSON.parse(text) as DeploymentState)
    .catch(() => undefined);
}

export class Journal {
  readonly dir: string;
  #state: DeploymentState;
  /** Appends run one after another so the log keeps emission order. */
  #appends: Promise<void> = Promise.resolve();

  private constructor(dir: string, state: DeploymentState) {
    this.dir = dir;
    this.#state = state;
  }

  /** Opens (or starts) the journal of a deployment under `<stateDir>/<deployment>/`. */
  static async open(
    stateDir: string,
    initial: Omit<DeploymentState, 'schemaVersion' | 'stacks'>,
  ): Promise<Journal> {
    const dir = join(stateDir, initial.deployment);
    await mkdir(dir, { recursive: true });
    const existing = await readFile(join(dir, 'state.json'), 'utf8')
      .then((text) => JSON.parse(text) as DeploymentState)
      .catch(() => undefined);
    const state: DeploymentState = existing
      ? { ...existing, ...initial }
      : { schemaVersion: 1, ...initial, stacks: {} };
    const journal = new Journal(dir, state);
    await journal.#save();
    return journal;
  }

  get state(): Readonly<DeploymentState> {
    return this.#state;
  }

  get eventLogPath(): string {
    return join(this.dir, 'events.ndjson');
  }

  /** Merges `change` into the stack's record; a field given as `undefined` is cleared. */
  async recordStack(id: string, change: StackChange): Promise<void> {
    const previous = this.#state.stacks[id];
    const merged: Record<string, unknown> = { ...previous, ...change, updatedAt: new Date().toISOString() };
    // Clearing a field is expressed as `undefined`; keep the file free of them.
    for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
    const next = merged as unknown as StackRecord;
    this.#state = { ...this.#state, stacks: { ...this.#state.stacks, [id]: next } };
    await this.#save();
  }

  async recordStep(id: string, record: Omit<StepRecord, 'updatedAt'>): Promise<void> {
    const steps = { ...this.#state.steps, [id]: { ...record, updatedAt: new Date().toISOString() } };
    this.#state = { ...this.#state, steps };
    await this.#save();
  }

  async recordDestroy(record: Omit<DestroyRecord, 'updatedAt'>): Promise<void> {
    this.#state = { ...this.#state, destroy: { ...record, updatedAt: new Date().toISOString() } };
    await this.#save();
  }

  /** Queues one event for the log; `flush()` waits for every queued append. */
  appendEvent(event: StackguideEvent): Promise<void> {
    const line = `${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`;
    this.#appends = this.#appends.then(() => appendFile(this.eventLogPath, line, 'utf8'));
    return this.#appends;
  }

  flush(): Promise<void> {
    return this.#appends;
  }

  async #save(): Promise<void> {
    const file = join(this.dir, 'state.json');
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(this.#state, null, 2)}\n`, 'utf8');
    await rename(temporary, file);
  }
}
