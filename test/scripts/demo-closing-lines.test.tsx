import { describe, expect, it, vi } from 'vitest';
import { InstallSummaryScreen } from '../../screens/InstallSummaryScreen.tsx';
import { demoClosingLines } from '../../scripts/demo-closing-lines.ts';
import { renderInTerminal } from '../support/render-terminal.tsx';

const folder = '/tmp/stackguide-lab-demo-LpQkg2';
const demo = { folder, blueprint: 'blueprints/demo', answers: 'demo.answers.yaml' };

describe('what npm run demo prints under the install summary', () => {
  it("keeps the guided summary's outcome on an 80x24 screen with it (trial finding 59)", async () => {
    // The summary of the guided demo as it ends (defaults and an admin email), seen in tmux at 80x24.
    const view = renderInTerminal(
      <InstallSummaryScreen
        deployment="demo"
        stacks={[
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
        ]}
        steps={[
          { id: 'instanceTypes', title: "Worker instance types in the region's zones", done: true },
          { id: 'autoscalingRole', title: 'Service-linked role for Auto Scaling', done: true },
        ]}
        warnings={[]}
        answersPath="demo.answers.yaml"
        answersSaved
        nextCommand="stackguide install --blueprint blueprints/demo --config demo.answers.yaml --yes"
        eventLogPath={`${folder}/.stackguide/demo/events.ndjson`}
        afterInstall={[]}
      />,
      { columns: 80, rows: 24 },
    );
    await vi.waitFor(() => expect(view.lastFrame()).toContain('Event log'));
    const summary = view.lastFrame().split('\n');
    view.unmount();
    const closing = demoClosingLines(demo, 80);
    // From the outcome down: the summary, the empty line Ink leaves under it, the demo's lines and the
    // row the cursor waits on.
    const outcome = summary.indexOf('✔ demo is installed');
    expect(outcome).toBeGreaterThanOrEqual(0);
    const rows = summary.length - outcome + 1 + closing.length + 1;
    expect(rows, [...summary, '', ...closing].join('\n')).toBeLessThanOrEqual(24);
  });

  it('fits 80 columns, each command pasting as one, with no empty line of its own', () => {
    const lines = demoClosingLines(demo, 80);
    for (const line of lines) {
      expect(line.length, line).toBeLessThanOrEqual(80);
      expect(line.trim()).not.toBe('');
    }
    expect(lines[0]).toContain('Ctrl+C here');
    expect(lines).toContain(`  cd ${folder} && source lab.env`);
    expect(lines).toContain('  stackguide status --blueprint blueprints/demo --config demo.answers.yaml');
    // The upgrade is cut before an option, as bash joins it back.
    const upgrade = lines.findIndex((line) => line.startsWith('  stackguide upgrade'));
    expect(lines[upgrade]).toMatch(/ \\$/);
    expect(
      [lines[upgrade], lines[upgrade + 1]].map((line) => line?.trim().replace(/ \\$/, '')).join(' '),
    ).toBe(
      'stackguide upgrade --blueprint blueprints/demo --config demo.answers.yaml --set jobTimeoutSeconds=600',
    );
  });

  it('puts cd and source on lines of their own when a long temporary folder would wrap them', () => {
    const long = '/var/folders/x7/5kq0cz2d1tb9x6zr7yk3w8mh0000gn/T/stackguide-lab-demo-LpQkg2';
    const lines = demoClosingLines({ ...demo, folder: long }, 80);
    expect(lines.slice(1, 3)).toEqual([`  cd ${long}`, '  source lab.env']);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
  });
});
