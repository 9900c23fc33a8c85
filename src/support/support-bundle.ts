import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { arch, platform, release } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { CloudFormationPort, StackDescription, StackEvent } from '../aws/cloudformation-port.ts';
import type { IdentityPort } from '../aws/identity-port.ts';
import type { Blueprint } from '../blueprint/load-blueprint.ts';
import { StackguideError } from '../errors.ts';
import { EVENT_REGISTRY, type EventType } from '../events.ts';
import type { AnswersSource } from '../install/deployment-answers-file.ts';
import { readDeploymentState } from '../journal/journal.ts';
import { lookedForText } from '../output/answers-source-text.ts';
import { EVENT_LOG_TAIL_BYTES, readLogTail } from './log-tail.ts';
import { type RedactionCount, Redactor } from './redaction.ts';
import { secretValues, sensitiveKeys } from './secret-values.ts';

/** Stack events per stack, newest first: the latest operation and the one before, as a rule. */
const RECENT_EVENTS = 100;

export interface BundleEntry {
  /** Path inside the archive's top folder. */
  path: string;
  text: string;
  description: string;
}

/** What AWS told, or why it could not be asked. */
export interface AwsReach {
  reached: boolean;
  /** Why not (redacted), when not reached. */
  reason?: string;
  stacks: number;
  events: number;
}

export interface SupportBundle {
  /** The archive's top folder: `stackguide-support-<deployment>-<time>`. */
  folder: string;
  /** Every file, the manifest last. */
  entries: BundleEntry[];
  redactions: RedactionCount[];
  aws: AwsReach;
  /** What could not be put in, and why (a missing journal, an unreadable answers file, ...). */
  notes: string[];
}

export interface SupportBundleInput {
  stateDir: string;
  deployment: string;
  region: string | undefined;
  /** undefined when it did not load; `blueprintProblem` then says why. */
  blueprint: Blueprint | undefined;
  blueprintProblem?: string;
  answersPath: string | undefined;
  /** Without --config: where the answers file was looked for when none was found (bundle-target.ts). */
  answersLooked?: AnswersSource & { path: undefined };
  env: Readonly<Record<string, string | undefined>>;
  /** The shared AWS config and credentials files in scope: their credentials are redacted. */
  sharedFiles: readonly string[];
  /** The AWS calls for the deployment's region; undefined when no region is known. */
  aws: (() => { cloudFormation: CloudFormationPort; identity: IdentityPort }) | undefined;
  toolVersion: string;
  nodeVersion: string;
  now: Date;
  signal?: AbortSignal;
  /** The most of the event log put in (its last lines); default EVENT_LOG_TAIL_BYTES, 8 MiB. */
  eventLogTailBytes?: number;
}

/**
 * Everything a vendor's support engineer needs to diagnose a deployment, redacted: the answers file
 * with secrets replaced by their kind, the event log, the journal, the stacks' statuses and recent
 * events (from AWS when it answers; when not, the manifest says why and the local parts are still
 * there), the versions, the last error, and a manifest listing every file. Every entry passes through
 * one Redactor (src/support/redaction.ts) before it is returned; nothing unredacted leaves this
 * function. Read-only: it changes nothing locally or in AWS.
 */
export async function gatherSupportBundle(input: SupportBundleInput): Promise<SupportBundle> {
  const notes: string[] = [];
  if (input.blueprintProblem)
    notes.push(
      `The blueprint did not load (${input.blueprintProblem}): only secret questions found in the environment are known.`,
    );
  const keys = sensitiveKeys(input.blueprint);
  const answersText = input.answersPath ? await readText(input.answersPath) : undefined;
  const answersDocument = answersText !== undefined ? parseDocument(answersText) : undefined;
  const answersData: unknown = answersDocument?.errors.length === 0 ? answersDocument.toJSON() : undefined;
  const redactor = new Redactor(
    await secretValues({
      blueprint: input.blueprint,
      keys,
      answers: answersData,
      env: input.env,
      sharedFiles: input.sharedFiles,
    }),
  );
  const redacted = (entry: BundleEntry): BundleEntry => ({ ...entry, text: redactor.redact(entry.text) });
  const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
  const entries: BundleEntry[] = [];

  // The answers file, every secret key replaced by its kind before the values are redacted anyway.
  if (answersText === undefined) {
    notes.push(
      input.answersPath
        ? `The answers file ${input.answersPath} could not be read.`
        : `No answers file: none was given with --config, and none of ${input.deployment} was found (looked for ${input.answersLooked ? lookedForText(input.answersLooked) : `${input.deployment}.answers.yaml`}).`,
    );
  } else if (answersDocument && answersDocument.errors.length === 0) {
    for (const [id, kind] of keys.answers)
      if (answersDocument.hasIn(['answers', id]))
        answersDocument.setIn(['answers', id], redactor.replace(kind));
    for (const id of keys.registrySteps)
      if (answersDocument.hasIn(['steps', id, 'password']))
        answersDocument.setIn(['steps', id, 'password'], redactor.replace('registry password'));
    entries.push(
      redacted({ path: 'answers.yaml', text: String(answersDocument), description: answersTitle(input) }),
    );
  } else {
    notes.push('The answers file is not valid YAML: it is included as text, redacted.');
    entries.push(redacted({ path: 'answers.yaml', text: answersText, description: answersTitle(input) }));
  }

  // The journal and the event log, as they are on disk (a corrupt journal is worth seeing as it is).
  const journalPath = join(input.stateDir, input.deployment, 'state.json');
  const journalText = await readText(journalPath);
  let journal: Awaited<ReturnType<typeof readDeploymentState>>;
  if (journalText === undefined) notes.push(`No journal at ${journalPath}.`);
  else {
    entries.push(
      redacted({
        path: 'journal/state.json',
        text: journalText,
        description: `the journal (${journalPath})`,
      }),
    );
    journal = await readDeploymentState(input.stateDir, input.deployment).catch((error: unknown) => {
      notes.push(`The journal does not read: ${redactor.redact((error as Error).message)}`);
      return undefined;
    });
  }
  // The event log grows with every run: read in one pass, the stacks and the last error looked for in
  // all of it, only its last lines kept (src/support/log-tail.ts).
  const eventLogPath = join(input.stateDir, input.deployment, 'events.ndjson');
  const scan = new EventLogScan();
  const tailBytes = input.eventLogTailBytes ?? EVENT_LOG_TAIL_BYTES;
  const eventLog = await readLogTail(eventLogPath, { tailBytes, each: (line) => scan.add(line) });
  if (eventLog === undefined) notes.push(`No event log at ${eventLogPath}.`);
  else {
    const { omittedLines, omittedBytes, totalBytes, cutLines } = eventLog;
    if (omittedLines > 0)
      notes.push(
        `The event log is ${mebibytes(totalBytes)}: only its last ${mebibytes(totalBytes - omittedBytes)} are in (${omittedLines} earlier line(s) left out, the limit is ${mebibytes(tailBytes)}); the stacks and the last error were looked for in all of it.`,
      );
    if (cutLines > 0) notes.push(`${cutLines} over-long line(s) of the event log are cut, marked where.`);
    entries.push(
      redacted({
        path: 'journal/events.ndjson',
        text: eventLog.text,
        description: `the event log (${eventLogPath})${omittedLines > 0 ? `, its last ${mebibytes(totalBytes - omittedBytes)}` : ''}`,
      }),
    );
  }

  // The stacks as AWS has them now.
  const stackRefs = stacksOf(journal, scan.stacks);
  const fromAws = await readStacks(input, stackRefs);
  const aws: AwsReach = fromAws.reason
    ? { reached: false, reason: redactor.redact(fromAws.reason), stacks: 0, events: 0 }
    : {
        reached: true,
        stacks: fromAws.stacks.filter((stack) => stack.description).length,
        events: fromAws.stacks.reduce((total, stack) => total + stack.events.length, 0),
      };
  if (!aws.reached)
    notes.push(`AWS was not reached (${aws.reason}): the stacks' statuses and events are not in.`);
  else {
    entries.push(
      redacted({
        path: 'aws/stacks.json',
        text: json({
          account: fromAws.account,
          region: input.region,
          stacks: fromAws.stacks.map(({ name, description }) => ({
            name,
            ...(description ?? { status: 'NOT_FOUND' }),
          })),
        }),
        description:
          'each stack of the journal as CloudFormation describes it now (NoEcho parameters come back masked)',
      }),
      redacted({
        path: 'aws/stack-events.json',
        text: json(
          Object.fromEntries(fromAws.stacks.map(({ name, events }) => [name, events.map(eventRecord)])),
        ),
        description: `the latest ${RECENT_EVENTS} events of each stack, newest first`,
      }),
    );
  }

  entries.push(
    redacted({
      path: 'last-error.json',
      text: json(lastError(journal, scan.lastError, fromAws.stacks)),
      description:
        'the last failed run of the journal, the last error event of the log, and every stack AWS reports failed',
    }),
    redacted({
      path: 'versions.json',
      text: json({
        stackguide: input.toolVersion,
        blueprint: input.blueprint
          ? {
              id: input.blueprint.product.id,
              version: input.blueprint.product.version,
              source: input.blueprint.source,
            }
          : { problem: input.blueprintProblem ?? 'not loaded' },
        deployed: journal?.blueprint ?? null,
        node: input.nodeVersion,
        os: { platform: platform(), release: release(), arch: arch() },
      }),
      description: 'stackguide, the blueprint (given and last deployed), Node and the operating system',
    }),
  );

  const stamp = input.now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const folder = `stackguide-support-${input.deployment}-${stamp}`;
  const manifest = {
    format: 1,
    createdAt: input.now.toISOString(),
    deployment: input.deployment,
    region: input.region ?? null,
    aws,
    files: entries.map((entry) => ({
      path: entry.path,
      bytes: Buffer.byteLength(entry.text),
      sha256: createHash('sha256').update(entry.text).digest('hex'),
      description: entry.description,
    })),
    redactions: redactor.report(),
    notes,
  };
  entries.push(
    redacted({
      path: 'manifest.json',
      text: json(manifest),
      description:
        'this list: every file with its size and SHA-256, what was redacted by kind, and what is missing',
    }),
  );
  return { folder, entries, redactions: redactor.report(), aws, notes };
}

function answersTitle(input: SupportBundleInput): string {
  return `the answers file (${input.answersPath}), every secret replaced by its kind`;
}

async function readText(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch(() => undefined);
}

interface StackFromAws {
  name: string;
  description: StackDescription | undefined;
  events: StackEvent[];
}

/** Every stack's description and recent events; on the first refusal, the reason instead. */
async function readStacks(
  input: SupportBundleInput,
  stacks: ReadonlyArray<{ name: string; ref: string }>,
): Promise<{ stacks: StackFromAws[]; account?: string; reason?: string }> {
  if (!input.aws || !input.region) return { stacks: [], reason: 'no region is known for the deployment' };
  try {
    const { cloudFormation, identity } = input.aws();
    const { account } = await identity.whoAmI();
    const read: StackFromAws[] = [];
    for (const { name, ref } of stacks) {
      const description = await cloudFormation.describeStack(ref);
      const events = description ? (await cloudFormation.describeStackEvents(ref)).events : [];
      read.push({ name, description, events: events.slice(0, RECENT_EVENTS) });
    }
    return { stacks: read, account };
  } catch (error) {
    // Ctrl+C stops the bundle; anything else AWS says is why the AWS part is missing.
    if (input.signal?.aborted) throw error;
    const message =
      error instanceof StackguideError ? `${error.code}: ${error.message}` : (error as Error).message;
    return { stacks: [], reason: message };
  }
}

/**
 * The stacks to ask AWS about: the journal's, and those the event log names that it lacks (all of them
 * when the journal is missing or does not read), each by its id when known.
 */
function stacksOf(
  journal: Awaited<ReturnType<typeof readDeploymentState>>,
  logged: ReadonlyMap<string, string>,
): Array<{ name: string; ref: string }> {
  const refs = new Map(logged);
  for (const stack of Object.values(journal?.stacks ?? {})) refs.set(stack.name, stack.stackId ?? stack.name);
  return [...refs].map(([name, ref]) => ({ name, ref }));
}

/** What the bundle looks for in every line of the event log: the stacks it names, its last error. */
class EventLogScan {
  readonly stacks = new Map<string, string>();
  lastError: unknown = null;

  add(line: string): void {
    // Most lines are neither; a cheap look first spares parsing every line of a long log.
    if (!line.includes('"type"')) return;
    const event = parseLine(line) as { type?: unknown; stack?: unknown; stackId?: unknown } | undefined;
    if (!event) return;
    if (ERROR_EVENTS.has(event.type as EventType)) this.lastError = event;
    if (!STACK_EVENTS.has(String(event.type)) || typeof event.stack !== 'string') return;
    this.stacks.set(
      event.stack,
      typeof event.stackId === 'string' && event.stackId ? event.stackId : event.stack,
    );
  }
}

function mebibytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KiB` : `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

const STACK_EVENTS = new Set(['stack.started', 'stack.completed', 'stack.failed', 'stack.status']);

function eventRecord(event: StackEvent): Record<string, unknown> {
  return { ...event, timestamp: event.timestamp.toISOString() };
}

const ERROR_EVENTS = new Set(
  (Object.keys(EVENT_REGISTRY) as EventType[]).filter((type) => EVENT_REGISTRY[type].level === 'error'),
);

/** The journal's last failed or killed run, the log's last error-level event, the stacks in a failed state. */
function lastError(
  journal: Awaited<ReturnType<typeof readDeploymentState>>,
  event: unknown,
  stacks: readonly StackFromAws[],
): Record<string, unknown> {
  const run = [...(journal?.operations ?? [])]
    .reverse()
    .find((operation) => ['failed', 'stopped', 'abandoned'].includes(operation.status));
  const failed = stacks
    .filter(({ description }) => description && /FAILED|ROLLBACK/.test(description.status))
    .map(({ name, description }) => ({
      name,
      status: description?.status,
      reason: description?.statusReason ?? null,
    }));
  return { run: run ?? null, event, stacks: failed };
}

function parseLine(line: string): { type?: unknown } | undefined {
  if (!line.trim()) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as { type?: unknown }) : undefined;
  } catch {
    return undefined;
  }
}
