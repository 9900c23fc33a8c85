import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsSession } from '../../src/aws/aws-context.ts';
import type { ChangeSetReviewer } from '../../src/commands/run-with-live-view.ts';
import { StackguideError } from '../../src/errors.ts';
import { EventBus, type StackguideEvent } from '../../src/events.ts';
import { runFlow } from '../../src/flows/flow.ts';
import { parametersOf, upgradeFlow } from '../../src/flows/upgrade-flow.ts';
import { systemClock } from '../../src/runtime/clock.ts';
import { readSettings } from '../../src/settings.ts';
import { runInstallTasks } from '../../tasks/install-tasks.ts';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { cliOnMoto, projectRoot } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * The upgrade flow in this process, against moto over HTTP (the CLI tests see the same from outside):
 * an answers file edited by hand changes a parameter; the flow reads it from the stack, says it on
 * upgrade.started, hands it to the change set's review, and the stack ends up holding it.
 */
let moto: MotoServer;
let work: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  process.env.AWS_ACCESS_KEY_ID ??= 'testing';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'testing';
  moto = await startMotoServer();
  work = await tempDir();
});
afterAll(async () => {
  await moto?.stop();
  await work?.remove();
});

describe('the upgrade flow against moto', () => {
  it('reads the parameter the answers file changes from the stack and sends it through a reviewed change set', async () => {
    const blueprintPath = join(projectRoot, 'blueprints', 'demo');
    const answers = join(work.path, 'lab.answers.yaml');
    const stateDir = join(work.path, 'state');
    const written =
      'blueprint: demo\ndeployment: lab\nregion: us-east-1\nanswers:\n  jobTimeoutSeconds: 300\n  adminEmail: ops@example.com\n';
    await writeFile(answers, written);
    const installed = await cliOnMoto({
      endpoint: moto.endpoint,
      blueprint: blueprintPath,
      answers,
      stateDir,
      cwd: work.path,
    })('install', '--yes');
    expect(installed.code, installed.stderr).toBe(0);
    await writeFile(answers, written.replace('300', '450'));

    const session = createAwsSession({ endpointUrl: moto.endpoint });
    const aws = session.forRegion('us-east-1');
    const events: StackguideEvent[] = [];
    const bus = new EventBus();
    bus.subscribe((event) => events.push(event));
    /** The upgrade flow in this process, its change set's review answered by `review`. */
    const upgrade = (review: ChangeSetReviewer, sets: Record<string, string> = {}) =>
      runFlow(
        upgradeFlow({
          events: bus,
          signal: new AbortController().signal,
          clock: systemClock,
          connect: (region) => session.forRegion(region),
          execute: (_title, plan, run) =>
            runInstallTasks(
              {
                ...run,
                plan,
                clock: systemClock,
                signal: new AbortController().signal,
                emit: (event) => bus.emit(event),
                review,
                pollIntervalMs: { min: 50, max: 200 },
              },
              'silent',
            ),
        }),
        {
          blueprintPath,
          configPath: answers,
          stateDir,
          connectionFlags: [],
          sets,
          yes: false,
          env: {},
          settings: readSettings({}),
        },
      );
    const reviewed: unknown[] = [];
    const outcome = await upgrade(async (summary) => {
      reviewed.push(summary.parameterChanges);
      return 'execute';
    });
    const timeout = { name: 'JobTimeoutSeconds', deployed: '300', next: '450' };
    expect(events.find((event) => event.type === 'upgrade.started')).toMatchObject({
      answersChanged: [],
      parametersChanged: [{ stack: 'lab-app', ...timeout }],
    });
    expect(reviewed).toEqual([[timeout]]);
    expect(parametersOf(outcome.plan)).toEqual([{ stack: 'lab-app', ...timeout }]);
    expect((await aws.cloudFormation.describeStack('lab-app'))?.parameters.JobTimeoutSeconds).toBe('450');
    // The answers file held the change already: it is left as it was.
    expect(await readFile(answers, 'utf8')).toBe(written.replace('300', '450'));

    // Finding 79: --set jobTimeoutSeconds=500, its change set declined. The file keeps 450 (what the
    // stack holds), and Next names the upgrade to run again, --set included, not an install.
    const declined = await upgrade(async () => 'decline', { jobTimeoutSeconds: '500' }).catch(
      (error: unknown) => error,
    );
    expect(declined).toBeInstanceOf(StackguideError);
    const stopped = declined as StackguideError;
    expect(stopped.code).toBe('changeset.declined');
    expect(stopped.exitCode).toBe(130);
    expect(stopped.nextSteps).toContain(
      `${answers} was left as it was: it does not hold the new jobTimeoutSeconds this upgrade was to apply.`,
    );
    expect(stopped.nextSteps.at(-1)).toMatch(
      /^To upgrade when you are ready: stackguide upgrade .*--set jobTimeoutSeconds=500/,
    );
    expect(await readFile(answers, 'utf8')).toBe(written.replace('300', '450'));
    expect((await aws.cloudFormation.describeStack('lab-app'))?.parameters.JobTimeoutSeconds).toBe('450');
  }, 180_000);
});
