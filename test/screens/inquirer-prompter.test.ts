import { PassThrough, Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { createInquirerPrompter, fitQuestion } from '../../screens/inquirer-prompter.ts';
import { loadBlueprint } from '../../src/blueprint/load-blueprint.ts';
import { askQuestions } from '../../src/install/questionnaire.ts';
import { askRequest } from '../../src/steps/ses/request.ts';
import type { SesConfig } from '../../src/steps/ses/ses-config.ts';

/** A terminal of `columns` for the prompter: keys go in, everything it draws is kept (ANSI stripped). */
function terminal(columns: number) {
  const input = new PassThrough() as PassThrough & { isTTY?: boolean; setRawMode?: () => void };
  input.isTTY = true;
  input.setRawMode = () => undefined;
  let written = '';
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written += chunk.toString('utf8');
      done();
    },
  }) as Writable & { columns: number; rows: number; isTTY: boolean };
  output.columns = columns;
  output.rows = 24;
  output.isTTY = true;
  // Each prompt ends the stream it was given when it closes; stderr, the real one, ignores that.
  output.end = () => output;
  const shown = () => stripVTControlCharacters(written);
  const prompter = createInquirerPrompter(
    new AbortController().signal,
    { input: input as never, output: output as never },
    false,
  );
  /** Waits for `text` on the screen, then types `keys`. */
  const answer = async (text: string | RegExp, keys: string) => {
    await vi.waitFor(() => expect(shown()).toMatch(text), { timeout: 10_000 });
    input.write(keys);
  };
  return { prompter, shown, answer };
}

describe('the terminal prompter', () => {
  it('shows a question’s help above it, wrapped by words to the window', async () => {
    const { prompter, shown, answer } = terminal(40);
    const help =
      'Recorded for the platform’s services; must not overlap your other VPCs.\nUse a number from 30 to 900.';
    const typed = prompter.input({ message: 'Network range', help, validate: () => true });
    await answer('Network range', '10.1.0.0/16\r');
    expect(await typed).toBe('10.1.0.0/16');
    const before = shown().slice(0, shown().indexOf('Network range'));
    const lines = before.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('?'));
    expect(lines).toEqual([
      '  Recorded for the platform’s services;',
      '  must not overlap your other VPCs.',
      '  Use a number from 30 to 900.',
    ]);
    for (const line of lines) expect(line.length).toBeLessThan(40);

    // Every kind of question: a confirmation, a choice, a password.
    const confirmed = prompter.confirm({ message: 'Alerts?', help: 'Mails the on-call address.' });
    await answer(/Mails the on-call address\.\n.*Alerts\?/, 'y\r');
    expect(await confirmed).toBe(true);
    const chosen = prompter.select({
      message: 'Environment?',
      help: 'Tagged on every stack.',
      choices: [{ value: 'dev' }, { value: 'prod' }],
    });
    await answer(/Tagged on every stack\.\n.*Environment\?/, '\r');
    expect(await chosen).toBe('dev');
    const secret = prompter.password({
      message: 'Password',
      help: 'At least 12 characters.',
      validate: () => true,
    });
    await answer(/At least 12 characters\.\n.*Password/, 'x\r');
    expect(await secret).toBe('x');
  });

  it("wraps a list item of the help under its text, the SES request's advice included (trial finding 63)", async () => {
    const { prompter, shown, answer } = terminal(80);
    const help = [
      'AWS reviewers deny vague requests. Say:',
      '- what the platform sends: sign-up and verification codes, password resets, notices to users and admins;',
      '- your email policies: how bounces and complaints are handled (SES notifications, the account-level suppression list), and how recipients stop mail they no longer want.',
    ].join('\n');
    const typed = prompter.input({ message: 'How will you use SES?', help, validate: () => true });
    await answer('How will you use SES?', 'mail\r');
    expect(await typed).toBe('mail');
    const before = shown().slice(0, shown().indexOf('How will you use SES?'));
    const lines = before.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('?'));
    for (const line of lines) expect(line.length, line).toBeLessThan(80);
    // Each line is a list item's start or goes on under the item's text.
    for (const line of lines.slice(1)) expect(line, line).toMatch(/^ {2}- |^ {4}\S/);
    expect(lines.length).toBe(6);
  });

  it('wraps a refusal by words under its marker, never mid-word at the window edge', async () => {
    const { prompter, shown, answer } = terminal(40);
    const refusal =
      '"Bad_Name" is not allowed. Use lowercase letters, digits and dashes, starting with a letter.';
    const typed = prompter.input({
      message: 'Deployment name',
      validate: (value) => (value === 'lab' ? true : refusal),
    });
    await answer('Deployment name', 'Bad_Name\r');
    await vi.waitFor(() => expect(shown()).toContain('> "Bad_Name" is not allowed. Use'));
    const screen = shown();
    for (const line of [
      '> "Bad_Name" is not allowed. Use',
      '  lowercase letters, digits and dashes,',
      '  starting with a letter.',
    ])
      expect(screen).toContain(line);
    await answer('starting with a letter.', '\u0015lab\r');
    expect(await typed).toBe('lab');
  });

  it('empties the field after a refused confirmation, so a typo then the name confirms (trial finding 64)', async () => {
    const { prompter, answer, shown } = terminal(80);
    const refused: string[] = [];
    const typed = prompter.input({
      message: 'Type the deployment name (geo)',
      escapeCancels: true,
      clearRefused: true,
      validate: (value) => {
        // A second refusal would wait for ever: the try after one is taken, whatever it reads.
        if (value === 'geo' || refused.length > 0) return true;
        refused.push(value);
        return `"${value}" is not geo.`;
      },
    });
    await answer('Type the deployment name (geo)', 'gel\r');
    await answer('"gel" is not geo.', 'geo\r');
    expect(await typed).toBe('geo');
    expect(refused).toEqual(['gel']);
    expect(shown()).not.toContain('gelgeo');

    // Elsewhere a refused answer stays in the field to be corrected.
    const kept = prompter.input({
      message: 'Network range',
      validate: (value) => (value === '10.0.0.0/16' ? true : `"${value}" is not a range.`),
    });
    await answer('Network range', '10.0.0.0/1\r');
    await answer('"10.0.0.0/1" is not a range.', '6\r');
    expect(await kept).toBe('10.0.0.0/16');
  });

  it('cancels a typed confirmation on Esc, after a refusal, and only where asked to', async () => {
    const { prompter, answer } = terminal(80);
    const typed = prompter.input({
      message: 'Type the deployment name (demo)',
      escapeCancels: true,
      validate: (value) => (value === 'demo' ? true : `"${value}" is not demo.`),
    });
    const outcome = typed.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    await answer('Type the deployment name (demo)', 'dmeo\r');
    await answer('"dmeo" is not demo.', '\u001b');
    expect(await outcome).toMatchObject({
      error: { code: 'cancelled', message: 'Stopped at your request: nothing was changed' },
    });
    // Without escapeCancels, Esc is only a key: the answer still ends the prompt.
    const plain = prompter.input({ message: 'Name', validate: () => true });
    await answer(/\? Name/, '\u001b');
    await new Promise((done) => setTimeout(done, 700));
    await answer(/\? Name/, 'lab\r');
    expect(await plain).toBe('lab');
  });

  it('asks the demo questions with their descriptions and a number’s range before any answer', async () => {
    const { prompter, shown, answer } = terminal(80);
    const blueprint = await loadBlueprint('blueprints/demo');
    const asked = askQuestions({ blueprint, sets: {}, env: {} }, undefined, prompter);
    await answer('Which kind of environment', '\r');
    await answer('Which network range', '\r');
    await answer('How many seconds', '\r');
    await answer('Create an alerts topic', '\r');
    await answer('Administrator email', 'ops@example.com\r');
    await asked;
    const screen = shown();
    expect(screen).toMatch(
      /must not overlap your other VPCs\.\n {2}Use an IPv4 network from \/16 to \/24, such as 10\.0\.0\.0\/16\.\n.*Which network range/,
    );
    expect(screen).toMatch(
      /After this the job goes back on the queue for another worker\.\n {2}Use a number from 30 to 900\.\n.*How many seconds/,
    );
    expect(screen).toMatch(
      /Receives the platform's alerts\.\n {2}Use an email address such as ops@example\.com\.\n.*Administrator email/,
    );
    expect(screen).toMatch(/is tagged on every\n {2}stack\.\n.*Which kind of environment/);
  });
});

describe('question lines at 80 columns (trial finding 61)', () => {
  it('wraps a question by words under its text, its (y/N) kept whole on the last line', async () => {
    const { prompter, shown, answer } = terminal(80);
    const message =
      'Also delete the CodeCommit repositories geo-class-container, geo-class-cluster? They hold code: only if you have a copy';
    const asked = prompter.confirm({ message, default: false });
    await answer(/only if you have a copy \(y\/N\)/, 'n\r');
    expect(await asked).toBe(false);
    expect(shown()).toContain(
      [
        '? Also delete the CodeCommit repositories geo-class-container,',
        '  geo-class-cluster? They hold code: only if you have a copy (y/N)',
      ].join('\n'),
    );
    // (The redraws that follow, with their cursor moves stripped, run together: the lines are read above.)
  });

  it('moves the last word down with the suffix rather than letting the suffix cross the edge', () => {
    const message = `${'word '.repeat(14)}final`; // 75 characters: with "? " and " (Y/n)" past 80
    expect(fitQuestion(message, 6, 80).split('\n')).toEqual([`${'word '.repeat(14).trimEnd()}`, '  final']);
    expect(fitQuestion('Short?', 6, 80)).toBe('Short?');
    // A word longer than the line stays whole (a path, a URL), on a line of its own.
    const path = `/${'a'.repeat(90)}`;
    expect(fitQuestion(`Import ${path}?`, 6, 80).split('\n')).toEqual(['Import', `  ${path}?`]);
  });
});

describe('an input question at 80 columns (trial finding 61)', () => {
  it('keeps room after its message for the answer typed there', async () => {
    const { prompter, shown, answer } = terminal(80);
    const typed = prompter.input({
      message: 'Type the deployment name (geo-class) to delete everything listed above',
      validate: () => true,
    });
    await answer('  above', 'geo-class\r');
    expect(await typed).toBe('geo-class');
    expect(shown()).toContain(
      '? Type the deployment name (geo-class) to delete everything listed\n  above geo-class',
    );
  });
});

describe('long defaults, answers and descriptions at 80 columns (trial finding 94)', () => {
  it("puts the SES use case's default and its answer on lines of their own, wrapped by words under the question", async () => {
    const { prompter, shown, answer } = terminal(80);
    const blueprint = await loadBlueprint('blueprints/opensarlab');
    const ses = blueprint.steps.find((step) => step.id === 'ses') as unknown as SesConfig;
    const asked = askRequest(prompter, ses, undefined, undefined, 'https://opensarlab.example.edu');
    await answer('What kind of email', '\r');
    await answer('Website of the service', '\r');
    await answer('How will you use SES?', '\r');
    await answer('Other addresses AWS may contact', '\r');
    await answer('Language AWS should answer in', '\r');
    const request = await asked;
    expect(request.useCaseDescription).toBe(ses.useCase);
    const screen = shown();
    // The choice's description, by words: it went on at the first column mid-word ("ac" / "count.").
    expect(screen).toContain(
      'Sign-up and verification codes, password resets, notices about the user’s own\naccount.',
    );
    // The default under the question, in its brackets, each line under the question's text.
    expect(screen).toMatch(
      /\? How will you use SES\? \(use case and email policies\) ?\n {2}\(OpenSARlab sends account sign-up verification codes, password resets and\n {2}storage lifecycle notices \(volumes about to be deleted for inactivity\) to the\n {2}registered users of one class or project, and notices to its administrators\.\)/,
    );
    // The answer taken, likewise under it.
    expect(screen).toMatch(
      /✔ How will you use SES\? \(use case and email policies\) ?\n {2}OpenSARlab sends account sign-up verification codes, password resets and\n {2}storage lifecycle notices \(volumes about to be deleted for inactivity\) to the\n {2}registered users of one class or project, and notices to its administrators\.\n/,
    );
    // A short default and a short answer stay on the question's line.
    expect(screen).toContain('  reviewers) https://opensarlab.example.edu\n');
  });

  it('echoes an answer too long for the question’s line under it, whole (the iCal URL)', async () => {
    const { prompter, shown, answer } = terminal(80);
    const typed = prompter.input({
      message: 'Public iCal URL of the notification calendar',
      validate: () => true,
    });
    await answer('notification calendar', 'https://calendar.example.edu/geo.ics\r');
    expect(await typed).toBe('https://calendar.example.edu/geo.ics');
    expect(shown()).toMatch(
      /✔ Public iCal URL of the notification calendar ?\n {2}https:\/\/calendar\.example\.edu\/geo\.ics\n?$/,
    );
    // One that fits stays on the line.
    const again = terminal(80);
    const short = again.prompter.input({ message: 'Public iCal URL', validate: () => true });
    await again.answer('? Public iCal URL', 'https://c.example/x.ics\r');
    await short;
    expect(again.shown()).toMatch(/✔ Public iCal URL https:\/\/c\.example\/x\.ics\n?$/);
  });
});
