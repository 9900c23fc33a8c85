import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { cliOnMoto, projectRoot } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

let moto: MotoServer;
let work: { path: string; remove: () => Promise<void> };
const blueprint = join(projectRoot, 'test', 'fixtures', 'blueprints', 'checklist');

beforeAll(async () => {
  moto = await startMotoServer();
  work = await tempDir();
});
afterAll(async () => {
  await moto?.stop();
  await work?.remove();
});

const run = (answers: string, ...args: string[]) =>
  cliOnMoto({
    endpoint: moto.endpoint,
    blueprint,
    answers,
    stateDir: join(work.path, 'state'),
    cwd: work.path,
  })(...args);

describe('preflight and install with a manual step', () => {
  it('names the answers-file keys a manual step still needs, then passes, and the answer reaches the stack', async () => {
    const answers = join(work.path, 'lab.answers.yaml');
    await writeFile(answers, 'blueprint: checklist\ndeployment: lab\nregion: us-east-1\nanswers: {}\n');
    const missing = await run(answers, 'preflight');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      'steps.calendar.url: "iCal URL of the notification calendar" has no answer',
    );
    expect(missing.stderr).toContain('steps.calendar.confirmed: "The calendar is public" is not confirmed');

    await writeFile(
      answers,
      'blueprint: checklist\ndeployment: lab\nregion: us-east-1\nanswers: {}\nsteps:\n  calendar:\n    url: https://calendar.example.org/lab.ics\n    confirmed: true\n',
    );
    const passed = await run(answers, 'preflight', '--output', 'json');
    expect(passed.code, passed.stderr).toBe(0);
    const checks = passed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; result?: { id: string; status: string } });
    expect(checks.filter((line) => line.type === 'check.result').map((line) => line.result)).toEqual([
      expect.objectContaining({ id: 'deployment.name', status: 'pass' }),
      // It passes on the operator's word, and says so: nothing checked the calendar (trial finding 100).
      expect.objectContaining({ id: 'calendar.done', status: 'pass', confirmedByOperator: true }),
    ]);
    expect(passed.stderr).toContain('1 passed, 1 confirmed by you, 0 warnings, 0 failed');

    const installed = await run(answers, 'install', '--yes');
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stderr).toContain('calendar: confirmed by you');
    expect(installed.stderr).not.toContain('calendar: done');
    const cloudFormation = new CloudFormationClient({
      region: 'us-east-1',
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: 'lab-main' }));
    expect(Stacks?.[0]?.Parameters).toEqual([
      { ParameterKey: 'CalendarUrl', ParameterValue: 'https://calendar.example.org/lab.ics' },
    ]);
    cloudFormation.destroy();

    // The journal records what the step produced, for status, destroy and a resumed install.
    const journal = JSON.parse(await readFile(join(work.path, 'state', 'lab', 'state.json'), 'utf8'));
    expect(journal.steps.calendar).toMatchObject({
      kind: 'manual',
      status: 'applied',
      outputs: { url: 'https://calendar.example.org/lab.ics' },
    });
  });

  it('refuses an answer of the wrong form', async () => {
    const answers = join(work.path, 'bad.answers.yaml');
    await writeFile(
      answers,
      'blueprint: checklist\ndeployment: bad\nregion: us-east-1\nanswers: {}\nsteps:\n  calendar:\n    url: not-a-url\n    confirmed: true\n',
    );
    const result = await run(answers, 'preflight');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('steps.calendar.url: "not-a-url" is not an http(s) URL');
  });
});
