import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { AwsContext } from '../aws/aws-context.ts';
import { type SsmPort, ssmPort } from '../aws/ssm-port.ts';
import { DEPLOYMENT_TAG } from '../deployment-tags.ts';
import { ExitCode, StackguideError } from '../errors.ts';
import type { StackguideEvent } from '../events.ts';
import type { Prompter } from '../install/prompter.ts';
import { afterStop } from '../runtime/cleanup-scope.ts';
import type { Clock } from '../runtime/clock.ts';

/**
 * One writer per deployment, across machines, held in the account itself: an SSM parameter named after
 * the deployment, created with Overwrite=false (atomic: of two runs, exactly one creates it), holding who
 * took it. install, upgrade and destroy take it before their first change and delete it when they end
 * (destroy last of all); read-only commands never touch it. A run killed while holding it leaves it
 * behind: `--force-unlock <id>` breaks it after a confirmation, as Terraform's state lock does.
 */
export interface LockHolder {
  /** Names this lock for --force-unlock. */
  id: string;
  deployment: string;
  /** The principal that took it (sts get-caller-identity). */
  principal: string;
  host: string;
  pid: number;
  command: string;
  startedAt: string;
}

export interface DeploymentLock {
  readonly holder: LockHolder;
  /** Deletes the lock parameter if it is still this run's; never throws (a failure is told). */
  release(): Promise<void>;
}

export interface AcquireLockInput {
  ssm: SsmPort;
  clock: Clock;
  deployment: string;
  principal: string;
  command: string;
  /**
   * This run's command line as the operator gave it (src/flows/rerun-command.ts): a refusal prints it
   * whole, with `--force-unlock <id>`, so the way out is one paste.
   */
  rerunCommand: string;
  /** `--force-unlock <id>`: the id of a stale lock to break first. */
  forceUnlock?: string;
  /** Asks before breaking a lock; without one, `yes` (--yes) is the confirmation. */
  prompter?: Pick<Prompter, 'confirm'>;
  yes: boolean;
  /** Told when the lock could not be deleted at the end (the run's own outcome stands). */
  emit: (event: StackguideEvent) => void;
}

/** What a run asks the lock for; the command and where warnings go are the run's own. */
export type LockRequest = Omit<AcquireLockInput, 'command' | 'emit'>;

export function lockParameterName(deployment: string): string {
  return `/stackguide/locks/${deployment}`;
}

export async function acquireDeploymentLock(input: AcquireLockInput): Promise<DeploymentLock> {
  const { ssm, deployment } = input;
  const name = lockParameterName(deployment);
  if (input.forceUnlock !== undefined) await breakLock(input, input.forceUnlock);
  const holder: LockHolder = {
    id: randomUUID(),
    deployment,
    principal: input.principal,
    host: hostname(),
    pid: process.pid,
    command: input.command,
    startedAt: new Date(input.clock.now()).toISOString(),
  };
  const create = (): Promise<boolean> =>
    ssm.createParameterIfAbsent({
      name,
      value: JSON.stringify(holder),
      description: `stackguide lock of deployment ${deployment}: held while an install, upgrade or destroy runs`,
      tags: { [DEPLOYMENT_TAG]: deployment },
    });
  if (!(await create())) {
    const current = await readHolder(ssm, name);
    if (!current || !isDeadOnThisHost(current)) throw heldError(input, current);
    // Left by a run on this machine that is no longer running (killed): provably stale, so it is
    // taken over, and said. A lock from another machine cannot be checked: --force-unlock.
    await ssm.deleteParameter(name);
    input.emit({
      type: 'warning',
      code: 'lock.taken-over',
      message: `The lock of ${deployment} was left by ${describeHolder(current)}, which is no longer running on this machine: taken over`,
    });
    // Another run may have been quicker since: then it holds the lock, and this one is refused.
    if (!(await create())) throw heldError(input, await readHolder(ssm, name));
  }
  return {
    holder,
    release: async () => {
      try {
        // Released even when the run was stopped: a lock left behind refuses the next run.
        await afterStop(async () => {
          const current = await readHolder(ssm, name);
          // Broken by --force-unlock and taken by another run since: that lock is not ours to delete.
          if (current?.id === holder.id) await ssm.deleteParameter(name);
        });
      } catch (error) {
        input.emit({
          type: 'warning',
          code: 'lock.not-released',
          message: `The lock of ${deployment} could not be released (${(error as Error).message}); the next run will be refused until it is broken with --force-unlock ${holder.id}`,
        });
      }
    },
  };
}

/** True when the holder ran on this machine and its process is gone (pid reuse errs on "alive"). */
function isDeadOnThisHost(holder: LockHolder): boolean {
  if (holder.host !== hostname() || holder.pid <= 0 || holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as { code?: string }).code === 'ESRCH';
  }
}

async function breakLock(input: AcquireLockInput, id: string): Promise<void> {
  const name = lockParameterName(input.deployment);
  const current = await readHolder(input.ssm, name);
  if (!current) return; // Nothing to break: already released.
  if (current.id !== id) {
    throw new StackguideError(
      `--force-unlock ${id} does not name the lock of ${input.deployment}: it is held as ${current.id}`,
      {
        code: 'lock.wrong-id',
        kind: 'user',
        nextSteps: [
          `Check that the run holding it is gone (${describeHolder(current)}), then run: ${forceUnlockCommand(input, current.id)}`,
        ],
      },
    );
  }
  if (!(await confirmBreak(input.prompter, input.yes, current))) {
    throw new StackguideError(`The lock of ${input.deployment} was left in place`, {
      code: 'lock.kept',
      kind: 'cancelled',
      nextSteps: ['Nothing was changed.'],
    });
  }
  await input.ssm.deleteParameter(name);
}

/**
 * Refuses at once a run whose deployment another run holds the lock of (exit 75, the same refusal
 * acquiring it would give), so a name known up front (--name, --config) is refused before the
 * questions and the review, not after them. Takes nothing: the lock itself is taken before the first
 * change. A lock this run may take over (left by a dead process on this machine) or was told to break
 * (--force-unlock with its id) is left to acquiring it.
 */
export async function refuseIfLocked(
  input: Pick<AcquireLockInput, 'ssm' | 'deployment' | 'rerunCommand' | 'prompter' | 'yes' | 'forceUnlock'>,
): Promise<void> {
  const holder = await readHolder(input.ssm, lockParameterName(input.deployment));
  if (!holder || isDeadOnThisHost(holder) || input.forceUnlock === holder.id) return;
  throw heldError(input, holder);
}

/**
 * refuseIfLocked for a run, as a hook called once the deployment's name and region are known
 * (resolveDeployment's `named`; destroy before its plan): install, upgrade and destroy refuse a locked
 * deployment the same way, before any question. `rerunCommand` gives the run's command line for the
 * deployment named (an install's default answers file is named after it).
 */
export function refuseIfLockedOnceNamed(run: {
  yes: boolean;
  forceUnlock?: string | undefined;
  prompter?: Pick<Prompter, 'confirm'> | undefined;
  rerunCommand: (deployment: string) => string;
}): (deployment: string, aws: AwsContext) => Promise<void> {
  return (deployment, aws) =>
    refuseIfLocked({
      ssm: aws.use(ssmPort),
      deployment,
      yes: run.yes,
      ...(run.prompter ? { prompter: run.prompter } : {}),
      ...(run.forceUnlock !== undefined ? { forceUnlock: run.forceUnlock } : {}),
      rerunCommand: run.rerunCommand(deployment),
    });
}

/** Who holds the lock of a deployment now, in words, or undefined when nobody does (the name check). */
export async function lockHolderOf(ssm: SsmPort, deployment: string): Promise<string | undefined> {
  const holder = await readHolder(ssm, lockParameterName(deployment));
  return holder ? describeHolder(holder) : undefined;
}

/**
 * The run that holds the lock of a deployment now (an install, upgrade or destroy in flight), or
 * undefined when none does: `watch` follows such a run to its end. A lock left by a process of this
 * machine that is gone is no run in flight.
 */
export async function runHoldingLock(ssm: SsmPort, deployment: string): Promise<LockHolder | undefined> {
  const holder = await readHolder(ssm, lockParameterName(deployment));
  return holder && !isDeadOnThisHost(holder) ? holder : undefined;
}

async function readHolder(ssm: SsmPort, name: string): Promise<LockHolder | undefined> {
  const parameter = await ssm.getParameter(name);
  if (!parameter) return undefined;
  try {
    return JSON.parse(parameter.value) as LockHolder;
  } catch {
    // Not written by stackguide (or damaged): still a lock, with an unknown holder.
    return {
      id: 'unknown',
      deployment: '',
      principal: 'unknown',
      host: 'unknown',
      pid: 0,
      command: 'unknown',
      startedAt: parameter.lastModified?.toISOString() ?? 'unknown',
    };
  }
}

function describeHolder(holder: LockHolder): string {
  return `${holder.command} by ${holder.principal} on ${holder.host} (pid ${holder.pid}), started at ${holder.startedAt}`;
}

function heldError(
  input: Pick<AcquireLockInput, 'deployment' | 'rerunCommand' | 'prompter' | 'yes'>,
  holder: LockHolder | undefined,
): StackguideError {
  const who = holder ? describeHolder(holder) : 'a run that has just released it';
  return new StackguideError(`Deployment ${input.deployment} is locked by another run: ${who}`, {
    code: 'lock.held',
    kind: 'user',
    exitCode: ExitCode.locked,
    nextSteps: [
      `Wait for that run to finish, then run the same command again: ${input.rerunCommand}`,
      ...(holder
        ? [
            `If that run is gone for good (killed, its machine lost), break the lock: ${forceUnlockCommand(input, holder.id)}`,
          ]
        : []),
    ],
  });
}

/** The operator's command with --force-unlock; unattended, breaking a lock also needs --yes. */
function forceUnlockCommand(
  input: Pick<AcquireLockInput, 'rerunCommand' | 'prompter' | 'yes'>,
  id: string,
): string {
  const confirm = input.prompter || input.yes ? '' : ' --yes';
  return `${input.rerunCommand}${confirm} --force-unlock ${id}`;
}

/**
 * The confirmation before breaking a lock: asked in a terminal; without one, --yes is the confirmation
 * and its absence is an error before anything is touched.
 */
async function confirmBreak(
  prompter: Pick<Prompter, 'confirm'> | undefined,
  yes: boolean,
  holder: LockHolder,
): Promise<boolean> {
  if (prompter)
    return prompter.confirm({
      message: `Break the lock held by ${describeHolder(holder)}? Only if that run is gone: two runs at once can leave the deployment half-changed`,
      default: false,
    });
  if (yes) return true;
  throw new StackguideError('--force-unlock without a terminal needs --yes to confirm it', {
    code: 'lock.unconfirmed',
    kind: 'user',
    nextSteps: ['Check that the run holding the lock is gone, then add --yes.'],
  });
}
