import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { CloudFormationClient, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { expect } from 'vitest';
import { type Lab, startLab } from '../../scripts/lab/start-lab.ts';
import { type CliResult, cliPath, projectRoot, runCli } from './run-cli.ts';
import { openTmuxTerminal, type TmuxTerminal } from './tmux-terminal.ts';

/**
 * Issue 20: a seed blueprint installed the GUIDED way in a real terminal against its lab, the way an
 * operator meets it first: every default taken, every optional question left empty, the required
 * ones answered; then status, an unattended re-run from the answers file the guided run wrote, and
 * destroy. The lab's secret access key is one no screen may ever show.
 */
const SECRET_ACCESS_KEY = 'e2e-Guided-Secret-9c41d7';

export interface GuidedSeed {
  lab: Lab;
  terminal: TmuxTerminal;
  /** Every screen the test read, in order, to search for secrets at the end. */
  screens: string[];
  /** Runs the CLI in another real terminal of that size, in the lab folder, against the lab. */
  openTerminal(args: string, size: { width: number; height: number }): Promise<TmuxTerminal>;
  /** Runs the CLI without a terminal (no CI either) in the lab folder, against the lab. */
  cli(args: string[], extraEnv?: Record<string, string>): ReturnType<typeof runCli>;
  /** Stack names of the deployment that exist (not DELETE_COMPLETE) in the lab's moto. */
  liveStacks(deployment: string): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startGuidedSeed(
  blueprint: string,
  size: { width: number; height: number },
  extraEnv: Record<string, string> = {},
): Promise<GuidedSeed> {
  const lab = await startLab(blueprint);
  // A short relative blueprint path, as the README writes it: the re-run line it prints never wraps.
  await cp(join(projectRoot, 'blueprints', blueprint), join(lab.folder, 'blueprints', blueprint), {
    recursive: true,
  });
  const env: Record<string, string> = {
    ...lab.env,
    AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
    ...extraEnv,
  };
  // env -i in the terminal: no CI, no profile, only what the lab gives.
  const open = (args: string, ofSize: { width: number; height: number }) =>
    openTmuxTerminal(`${process.execPath} ${cliPath} ${args}`, {
      cwd: lab.folder,
      env: { PATH: process.env.PATH ?? '', HOME: lab.folder, TERM: 'xterm-256color', ...env },
      ...ofSize,
    });
  const terminal = await open(`install --blueprint blueprints/${blueprint}`, size);
  const others: TmuxTerminal[] = [];
  const cloudFormation = new CloudFormationClient({
    region: env.AWS_REGION ?? 'us-east-1',
    endpoint: env.AWS_ENDPOINT_URL ?? '',
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'testing', secretAccessKey: SECRET_ACCESS_KEY },
  });
  return {
    lab,
    terminal,
    screens: [],
    async openTerminal(args, ofSize) {
      const other = await open(args, ofSize);
      others.push(other);
      return other;
    },
    cli: (args, more = {}) =>
      runCli(args, { cwd: lab.folder, env: { ...env, ...more, CI: undefined }, timeoutMs: 120_000 }),
    async liveStacks(deployment) {
      const names: string[] = [];
      let NextToken: string | undefined;
      do {
        const page = await cloudFormation.send(new ListStacksCommand({ NextToken }));
        for (const stack of page.StackSummaries ?? [])
          if (ownedBy(stack.StackName, deployment) && stack.StackStatus !== 'DELETE_COMPLETE')
            names.push(stack.StackName);
        NextToken = page.NextToken;
      } while (NextToken);
      return names.sort();
    },
    async stop() {
      cloudFormation.destroy();
      await terminal.kill();
      for (const other of others) await other.kill();
      await lab.stop();
    },
  };
}

/** A deployment's stacks are named after it: the name itself (convox's rack) or `<name>-<stack>`. */
function ownedBy(stackName: string | undefined, deployment: string): stackName is string {
  return stackName === deployment || (stackName?.startsWith(`${deployment}-`) ?? false);
}

/** How many questions read as answered (inquirer's `✔ ` line) in what the terminal printed. */
function answeredCount(printed: string): number {
  return printed.split('\n').filter((line) => line.startsWith('✔ ')).length;
}

/** The question being asked now: the last `? ` line on the screen (inquirer's active prompt). */
function activeQuestion(screen: string): string | undefined {
  const asked = screen.split('\n').filter((line) => line.startsWith('? '));
  return asked.at(-1);
}

const REVIEW = /(?:Create|Update) (?:this stack|these \d+ stacks)\? y to go ahead, n to stop/;

/**
 * Answers the guided questions until the review: a question whose prompt contains a key of `answers`
 * gets that text typed; every other one gets Enter (its default, or empty when optional). Each answer
 * must move the screen on to another question or to the review, else the test fails showing the
 * screen (a rejected answer, a crash).
 */
export async function answerUntilReview(
  seed: GuidedSeed,
  answers: Record<string, string>,
): Promise<{ review: string; asked: string[] }> {
  const { terminal } = seed;
  const asked: string[] = [];
  let screen = await terminal.waitFor(/^\? /m, 90_000);
  for (;;) {
    seed.screens.push(screen);
    if (REVIEW.test(screen)) return { review: screen, asked };
    if (/EXIT=\d+/.test(screen)) throw new Error(`The CLI ended during the questions:\n${screen}`);
    // What the operator reads is filled in: no `{{deployment}}` left for them to decode.
    if (screen.includes('{{')) throw new Error(`A placeholder was shown unfilled:\n${screen}`);
    const question = activeQuestion(screen);
    if (!question) throw new Error(`No question on screen:\n${screen}`);
    asked.push(question);
    const answer = Object.entries(answers).find(([prompt]) => question.includes(prompt))?.[1];
    const answeredBefore = answeredCount(await terminal.scrollback());
    if (answer !== undefined) await terminal.press({ text: answer });
    await terminal.press('Enter');
    // Moved on once one more question reads as answered (`✔ `, counted over the whole scrollback, as
    // answered lines scroll off the screen), or `> ` under the question (inquirer's validation message:
    // refused), the review, or the end. The question line itself cannot tell: while the typed text is
    // still on it, it differs from the line read before typing, as a new question would.
    const deadline = Date.now() + 60_000;
    for (;;) {
      screen = await terminal.screen();
      if (new RegExp(`${REVIEW.source}|EXIT=\\d+|^> `, 'm').test(screen)) break;
      if (answeredCount(await terminal.scrollback()) > answeredBefore) break;
      if (Date.now() > deadline) throw new Error(`The answer to "${question}" had no effect:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    screen = await terminal.waitFor(new RegExp(`${REVIEW.source}|EXIT=\\d+|^> |^\\? `, 'm'), 60_000);
    // The question answered must now read as answered, not still asked with an error under it.
    const underActive = screen.slice(screen.lastIndexOf('\n? ') + 1);
    if (!REVIEW.test(screen) && /^> /m.test(underActive))
      throw new Error(`The answer to "${question}" was not taken:\n${screen}`);
  }
}

/** Goes ahead at the review and at each stack's change set, until the CLI ends; returns its last screen. */
export async function confirmUntilExit(seed: GuidedSeed): Promise<string> {
  const { terminal } = seed;
  await terminal.press('y');
  const confirmed = new Set<string>();
  for (;;) {
    const screen = await terminal.waitFor(
      (text: string) => /EXIT=\d+/.test(text) || unconfirmedChangeSet(text, confirmed) !== undefined,
      150_000,
    );
    seed.screens.push(screen);
    if (/EXIT=\d+/.test(screen)) return screen;
    const stack = unconfirmedChangeSet(screen, confirmed);
    if (stack) {
      confirmed.add(stack);
      await terminal.press('y');
    }
  }
}

function unconfirmedChangeSet(screen: string, confirmed: Set<string>): string | undefined {
  if (!/Execute\? y to go ahead/.test(screen)) return undefined;
  const stack = [...screen.matchAll(/Change set for (\S+)/g)].at(-1)?.[1];
  return stack && !confirmed.has(stack) ? stack : undefined;
}

/**
 * Day two after a guided install, the same for every seed: `status` reads each stack CREATE_COMPLETE,
 * an unattended re-run from the answers file the guided run wrote changes nothing, destroy leaves no
 * stack and nothing unexpected, and no screen, output or answers file holds a secret. What a blueprint
 * checks beyond that, its test checks on the results.
 */
export async function afterGuidedInstall(
  seed: GuidedSeed,
  run: { blueprint: string; deployment: string; stacks: string[]; answers: string; secrets?: string[] },
): Promise<{ status: CliResult; again: CliResult; destroyed: CliResult }> {
  const flags = ['--blueprint', `blueprints/${run.blueprint}`, '--config', `${run.deployment}.answers.yaml`];
  const status = await seed.cli(['status', ...flags]);
  expect(status.code, status.stderr).toBe(0);
  for (const stack of run.stacks) expect(status.stdout).toContain(`✔ ${stack}: CREATE_COMPLETE`);

  const again = await seed.cli(['install', ...flags, '--yes']);
  expect(again.code, again.stderr).toBe(0);
  for (const stack of run.stacks) expect(again.stderr).toContain(`${stack}: already up to date: no changes`);

  const destroyed = await seed.cli(['destroy', ...flags, '--confirm', run.deployment]);
  expect(destroyed.code, destroyed.stderr).toBe(0);
  expect(destroyed.stderr).toMatch(/leftovers: none unexpected/);
  expect(await seed.liveStacks(run.deployment)).toEqual([]);

  const read = [...seed.screens, status.stdout, status.stderr, again.stderr, destroyed.stderr, run.answers];
  for (const text of read)
    for (const secret of [SECRET_ACCESS_KEY, ...(run.secrets ?? [])]) expect(text).not.toContain(secret);
  return { status, again, destroyed };
}
