import { describe, expect, it, vi } from 'vitest';
import { InstallSummaryScreen, type InstallSummaryScreenProps } from '../../screens/InstallSummaryScreen.tsx';
import { demoClosingLines, demoClosingRows } from '../../scripts/demo-closing-lines.ts';
import { rowsOf } from '../../src/output/wrap.ts';
import { renderInTerminal } from '../support/render-terminal.tsx';

const folder = '/tmp/stackguide-lab-demo-LpQkg2';
const demo = { folder, blueprint: 'demo', answers: 'demo.answers.yaml' };
/** The answers files a guided demo install may write: a name of 1 to 24 characters (the blueprint's maxLength). */
const guidedAnswers = Array.from({ length: 24 }, (_, index) => `${'n'.repeat(index + 1)}.answers.yaml`);

/** The summary of the guided demo as it ends (defaults and an admin email), as seen in tmux at 80x24. */
const guidedSummary: InstallSummaryScreenProps = {
  deployment: 'demo',
  stacks: [
    {
      name: 'demo-data',
      status: 'CREATE_COMPLETE',
      outputs: {
        BucketName: 'demo-data-databucket-yx1jgmiof9uo',
        SettingsParameterName: '/demo/settings/network-cidr',
      },
    },
    {
      name: 'demo-app',
      status: 'CREATE_COMPLETE',
      outputs: {
        JobQueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/demo-jobs',
        WorkerRoleArn: 'arn:aws:iam::123456789012:role/demo-app-WorkerRole-IS8BHNGZNAT2',
      },
    },
  ],
  steps: [
    { id: 'instanceTypes', title: "Worker instance types in the region's zones", done: true },
    { id: 'autoscalingRole', title: 'Service-linked role for Auto Scaling', done: true },
  ],
  warnings: [],
  answersPath: 'demo.answers.yaml',
  answersSaved: true,
  nextCommand: 'stackguide install --blueprint demo --config demo.answers.yaml --yes',
  eventLogPath: `${folder}/.stackguide/demo/events.ndjson`,
  afterInstall: [],
};

/**
 * The 80x24 screen at the end of the demo: the summary as Ink prints it, the empty line Ink leaves
 * under it, the demo's lines and the row the cursor waits on; the last 24 rows of that are what is
 * seen. Rows are counted as the terminal wraps them.
 */
async function endOfDemo(props: InstallSummaryScreenProps): Promise<{ seen: string[]; rows: number }> {
  const view = renderInTerminal(<InstallSummaryScreen {...props} />, { columns: 80, rows: 24 });
  await vi.waitFor(() => expect(view.lastFrame()).toContain('Run the same install unattended with:'));
  const summary = view.lastFrame().replace(/\n+$/, '').split('\n');
  view.unmount();
  const rows = [...summary, '', ...demoClosingLines(demo, 80), ''].flatMap((line) =>
    line.length <= 80 ? [line] : (line.match(/.{1,80}/g) ?? []),
  );
  return { seen: rows.slice(-24), rows: rows.length - rows.indexOf('✔ demo is installed') };
}

describe('what npm run demo prints under the install summary', () => {
  it('keeps the outcome on an 80x24 screen when the summary repeats warnings (trial finding 59)', async () => {
    const warned: InstallSummaryScreenProps = {
      ...guidedSummary,
      warnings: [
        'Auto Scaling service-linked role: the account allows 1000 roles and holds 998; remove unused ones before the next install.',
        "Worker instance types: t3.small is offered in 2 of the region's 6 zones; the workers run in those only.",
      ],
    };
    // Without the rows the demo prints under it, the summary fits the window alone and is pushed up
    // by them: the outcome goes off the top.
    const alone = await endOfDemo(warned);
    expect(alone.seen).not.toContain('✔ demo is installed');
    // Told how many rows follow (STACKGUIDE_SUMMARY_ROWS_BELOW, as the demo sets it), it folds to
    // leave them: outcome, warning, re-run and every command are on the 24 rows.
    const rowsBelow = demoClosingRows({ folder, blueprint: 'demo' }, guidedAnswers, 80);
    const told = await endOfDemo({ ...warned, rowsBelow });
    expect(told.rows).toBeLessThanOrEqual(24);
    expect(told.seen).toContain('✔ demo is installed');
    expect(told.seen.join('\n')).toContain('⚠ Auto Scaling service-linked role');
    expect(told.seen).toContain('  stackguide install --blueprint demo --config demo.answers.yaml --yes');
    expect(told.seen.at(-2)).toMatch(/^ {2}stackguide destroy --blueprint demo/);
  });

  it('leaves the guided summary whole at 80x24: outputs listed, the re-run on one row', async () => {
    const rowsBelow = demoClosingRows({ folder, blueprint: 'demo' }, guidedAnswers, 80);
    const { seen, rows } = await endOfDemo({ ...guidedSummary, rowsBelow });
    expect(rows).toBeLessThanOrEqual(24);
    expect(seen).toContain('✔ demo is installed');
    expect(seen).toContain('    BucketName: demo-data-databucket-yx1jgmiof9uo');
    // 80 columns: the re-run is one row, its --yes not on a row of its own.
    expect(seen).toContain('  stackguide install --blueprint demo --config demo.answers.yaml --yes');
    expect(seen).not.toContain('  --yes');
  });

  it('counts the rows its lines take for the longest answers file the install may write', () => {
    const short = rowsOf(demoClosingLines(demo, 80).join('\n'), 80);
    expect(demoClosingRows({ folder, blueprint: 'demo' }, ['demo.answers.yaml'], 80)).toBe(short);
    // A 24-character name puts status and destroy on two rows each.
    const longest = demoClosingRows({ folder, blueprint: 'demo' }, guidedAnswers, 80);
    expect(longest).toBe(short + 2);
    expect(
      rowsOf(demoClosingLines({ ...demo, answers: guidedAnswers.at(-1) ?? '' }, 80).join('\n'), 80),
    ).toBe(longest);
    // A narrow window wraps the line that introduces the commands: counted as the rows it takes.
    const narrow = demoClosingLines(demo, 60);
    expect(demoClosingRows({ folder, blueprint: 'demo' }, ['demo.answers.yaml'], 60)).toBe(
      rowsOf(narrow.join('\n'), 60),
    );
    expect(rowsOf(narrow.join('\n'), 60)).toBeGreaterThan(narrow.length);
    expect(demoClosingRows({ folder, blueprint: 'demo' }, [], 80)).toBe(0);
  });

  it('fits 80 columns, each command pasting as one, with no empty line of its own', () => {
    const lines = demoClosingLines(demo, 80);
    for (const line of lines) {
      expect(line.length, line).toBeLessThanOrEqual(80);
      expect(line.trim()).not.toBe('');
    }
    expect(lines[0]).toContain('Ctrl+C here');
    expect(lines).toContain(`  cd ${folder} && source lab.env`);
    expect(lines).toContain('  stackguide status --blueprint demo --config demo.answers.yaml');
    // The upgrade is cut before an option, as bash joins it back.
    const upgrade = lines.findIndex((line) => line.startsWith('  stackguide upgrade'));
    expect(lines[upgrade]).toMatch(/ \\$/);
    expect(
      [lines[upgrade], lines[upgrade + 1]].map((line) => line?.trim().replace(/ \\$/, '')).join(' '),
    ).toBe('stackguide upgrade --blueprint demo --config demo.answers.yaml --set jobTimeoutSeconds=600');
  });

  it('puts cd and source on lines of their own when a long temporary folder would wrap them', () => {
    const long = '/var/folders/x7/5kq0cz2d1tb9x6zr7yk3w8mh0000gn/T/stackguide-lab-demo-LpQkg2';
    const lines = demoClosingLines({ ...demo, folder: long }, 80);
    expect(lines.slice(1, 3)).toEqual([`  cd ${long}`, '  source lab.env']);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
  });
});
