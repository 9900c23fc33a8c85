import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { AwsContext } from '../../src/aws/aws-context.ts';
import type { SsmPort } from '../../src/aws/ssm-port.ts';
import { StackguideError } from '../../src/errors.ts';
import type { StackguideEvent } from '../../src/events.ts';
import {
  acquireDeploymentLock,
  lockParameterName,
  refuseIfLocked,
  refuseIfLockedOnceNamed,
} from '../../src/lock/deployment-lock.ts';
import { FakeClock } from '../support/fake-clock.ts';

/** Parameter Store in memory: a create that finds the name taken fails, as Overwrite=false does. */
function fakeSsm(): SsmPort & { parameters: Map<string, string> } {
  const parameters = new Map<string, string>();
  return {
    parameters,
    async createParameterIfAbsent({ name, value }) {
      if (parameters.has(name)) return false;
      parameters.set(name, value);
      return true;
    },
    async getParameter(name) {
      const value = parameters.get(name);
      return value === undefined ? undefined : { value };
    },
    async deleteParameter(name) {
      return parameters.delete(name);
    },
  };
}

const base = (ssm: SsmPort, emitted: StackguideEvent[] = []) => ({
  ssm,
  clock: new FakeClock(),
  deployment: 'demo',
  principal: 'arn:aws:iam::123456789012:user/alice',
  command: 'install',
  rerunCommand:
    'stackguide install --blueprint blueprints/demo --config demo.answers.yaml --region eu-west-1',
  yes: false,
  emit: (event: StackguideEvent) => emitted.push(event),
});

describe('the deployment lock', () => {
  it('lets one run in; the second is refused with exit 75 naming the holder and the lock id', async () => {
    const ssm = fakeSsm();
    const first = await acquireDeploymentLock(base(ssm));
    const refused = await acquireDeploymentLock({ ...base(ssm), command: 'destroy' }).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(StackguideError);
    const error = refused as StackguideError;
    expect(error.code).toBe('lock.held');
    expect(error.exitCode).toBe(75);
    expect(error.message).toMatch(
      /^Deployment demo is locked by another run: install by arn:aws:iam::123456789012:user\/alice on \S+ \(pid \d+\), started at 2026-11-22T10:00:00.000Z$/,
    );
    // The operator's whole command, and unattended (no prompter, no --yes) the --yes that breaking needs.
    expect(error.nextSteps).toEqual([
      'Wait for that run to finish, then run the same command again: stackguide install --blueprint blueprints/demo --config demo.answers.yaml --region eu-west-1',
      `If that run is gone for good (killed, its machine lost), break the lock: stackguide install --blueprint blueprints/demo --config demo.answers.yaml --region eu-west-1 --yes --force-unlock ${first.holder.id}`,
    ]);
    const withYes = await acquireDeploymentLock({ ...base(ssm), yes: true }).catch((e: unknown) => e);
    expect((withYes as StackguideError).nextSteps[1]).toMatch(/eu-west-1 --force-unlock \S+$/);
    await first.release();
    expect(ssm.parameters.has(lockParameterName('demo'))).toBe(false);
    await (await acquireDeploymentLock(base(ssm))).release();
  });

  it('breaks a stale lock only by its id and after a confirmation, then takes it', async () => {
    const ssm = fakeSsm();
    const stale = await acquireDeploymentLock(base(ssm)); // its run was killed: never released
    await expect(
      acquireDeploymentLock({ ...base(ssm), forceUnlock: 'not-that-one', yes: true }),
    ).rejects.toThrow(/does not name the lock of demo/);
    await expect(acquireDeploymentLock({ ...base(ssm), forceUnlock: stale.holder.id })).rejects.toThrow(
      /needs --yes/,
    );
    const asked: string[] = [];
    const declined = {
      confirm: async (question: { message: string }) => {
        asked.push(question.message);
        return false;
      },
    };
    await expect(
      acquireDeploymentLock({ ...base(ssm), forceUnlock: stale.holder.id, prompter: declined }),
    ).rejects.toThrow(/left in place/);
    expect(asked[0]).toMatch(/^Break the lock held by install by arn:aws:iam::123456789012:user\/alice/);
    const taken = await acquireDeploymentLock({ ...base(ssm), forceUnlock: stale.holder.id, yes: true });
    expect(taken.holder.id).not.toBe(stale.holder.id);
    // The stale run, if it ever wakes up, does not delete the lock it no longer holds.
    await stale.release();
    expect(JSON.parse(ssm.parameters.get(lockParameterName('demo')) ?? '{}').id).toBe(taken.holder.id);
  });

  it('tells, never throws, when the lock cannot be released', async () => {
    const ssm = fakeSsm();
    const emitted: StackguideEvent[] = [];
    const lock = await acquireDeploymentLock(base(ssm, emitted));
    ssm.deleteParameter = async () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    };
    await lock.release();
    expect(emitted).toEqual([
      expect.objectContaining({
        type: 'warning',
        code: 'lock.not-released',
        message: expect.stringContaining(`--force-unlock ${lock.holder.id}`),
      }),
    ]);
  });

  it('takes over a lock left by a run of this machine that is no longer running, and says so', async () => {
    const ssm = fakeSsm();
    const gone = spawnSync(process.execPath, ['-e', 'process.pid']).pid;
    const emitted: StackguideEvent[] = [];
    const stale = await acquireDeploymentLock(base(ssm));
    const value = JSON.parse(ssm.parameters.get(lockParameterName('demo')) ?? '{}');
    ssm.parameters.set(lockParameterName('demo'), JSON.stringify({ ...value, pid: gone }));
    const taken = await acquireDeploymentLock(base(ssm, emitted));
    expect(taken.holder.id).not.toBe(stale.holder.id);
    expect(emitted).toEqual([
      expect.objectContaining({ code: 'lock.taken-over', message: expect.stringContaining(`(pid ${gone})`) }),
    ]);
    // A live holder on this machine (this very test's parent) is never taken over.
    ssm.parameters.set(lockParameterName('demo'), JSON.stringify({ ...value, pid: process.ppid }));
    await expect(acquireDeploymentLock(base(ssm))).rejects.toThrow(/is locked by another run/);
  });
});

describe('refuseIfLocked, before the questions (trial finding 25)', () => {
  it('refuses as acquiring would, and lets through a free name, a lock --force-unlock names and a dead holder here', async () => {
    const ssm = fakeSsm();
    await refuseIfLocked(base(ssm));
    const held = await acquireDeploymentLock(base(ssm));
    const refused = await refuseIfLocked(base(ssm)).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'lock.held', exitCode: 75 });
    expect((refused as StackguideError).nextSteps.at(-1)).toContain(`--force-unlock ${held.holder.id}`);
    // Nothing taken, nothing changed: only read.
    expect(ssm.parameters.size).toBe(1);
    await refuseIfLocked({ ...base(ssm), forceUnlock: held.holder.id });
    // A holder on this machine whose process is gone is taken over when the lock is acquired.
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    const stale = { ...JSON.parse(ssm.parameters.get(lockParameterName('demo')) ?? '{}'), pid: gone };
    ssm.parameters.set(lockParameterName('demo'), JSON.stringify(stale));
    await refuseIfLocked(base(ssm));
  });
});

describe('refuseIfLockedOnceNamed, the one hook install, upgrade and destroy build (design debt D8)', () => {
  it("reads the named deployment's lock through the run's AWS and prints the run's command for that name", async () => {
    const ssm = fakeSsm();
    const aws = { use: () => ssm } as unknown as AwsContext;
    const asked: string[] = [];
    const hook = refuseIfLockedOnceNamed({
      yes: false,
      forceUnlock: undefined,
      rerunCommand: (deployment) => {
        asked.push(deployment);
        return `stackguide install --blueprint blueprints/demo --config ${deployment}.answers.yaml`;
      },
    });
    await hook('demo', aws);
    const held = await acquireDeploymentLock(base(ssm));
    const refused = (await hook('demo', aws).catch((e: unknown) => e)) as StackguideError;
    expect(refused).toMatchObject({ code: 'lock.held', exitCode: 75 });
    expect(refused.nextSteps.join('\n')).toContain('--config demo.answers.yaml');
    expect(asked).toEqual(['demo', 'demo']);
    // Another deployment's lock is not this one's; --force-unlock with the holder's id lets it through.
    await hook('demo2', aws);
    await refuseIfLockedOnceNamed({
      yes: false,
      forceUnlock: held.holder.id,
      prompter: { confirm: async () => true },
      rerunCommand: () => 'stackguide destroy --name demo',
    })('demo', aws);
  });
});
