import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { InstallSummaryScreen } from '../../screens/InstallSummaryScreen.tsx';
import { renderInTerminal } from '../support/render-terminal.tsx';

describe('InstallSummaryScreen', () => {
  it('lists every step and stack with its outcome and repeats every warning of the run', () => {
    const { lastFrame, unmount } = render(
      <InstallSummaryScreen
        deployment="lab"
        stacks={[{ name: 'lab-data', status: 'CREATE_COMPLETE', outputs: { BucketName: 'lab-data-b1' } }]}
        steps={[
          { id: 'zone', title: 'Hosted zone lab.example.test', done: true },
          { id: 'cert', title: 'TLS certificate', done: true },
        ]}
        warnings={['example.test has no NS records for lab.example.test: the certificate stays pending']}
        answersPath="lab.answers.yaml"
        answersSaved
        nextCommand="stackguide install --config lab.answers.yaml --yes"
        eventLogPath=".stackguide/lab/events.ndjson"
        afterInstall={[]}
      />,
    );
    const frame = lastFrame() ?? '';
    expect(frame).toMatch(
      /✔ lab is installed\n {2}✔ Hosted zone lab\.example\.test\n {2}✔ TLS certificate\n {2}lab-data CREATE_COMPLETE/,
    );
    expect(frame).toMatch(/Warnings:\n {2}⚠ example\.test has no NS records for lab\.example\.test/);
    expect(frame).toContain('Answers saved to lab.answers.yaml. Run the same install unattended with:');
    unmount();
  });

  it('shows a step pending on AWS as pending with what it waits for, not ticked done', () => {
    const { lastFrame, unmount } = render(
      <InstallSummaryScreen
        deployment="lab"
        stacks={[{ name: 'lab-data', status: 'CREATE_COMPLETE', outputs: {} }]}
        steps={[
          { id: 'roles', title: 'Service-linked roles', done: true },
          {
            id: 'ses',
            title: 'Take AWS SES out of sandbox',
            done: false,
            pending: "AWS's review of SES production access in us-east-1, usually 24-48 hours",
          },
        ]}
        warnings={[]}
        answersPath="lab.answers.yaml"
        answersSaved
        nextCommand="stackguide install --config lab.answers.yaml --yes"
        eventLogPath=".stackguide/lab/events.ndjson"
        afterInstall={[]}
      />,
    );
    const frame = lastFrame() ?? '';
    expect(frame).toContain('  ✔ Service-linked roles');
    expect(frame).toContain(
      "  ◷ Take AWS SES out of sandbox: pending, waiting for AWS's review of SES production access in",
    );
    expect(frame).not.toMatch(/✔ Take AWS SES/);
    unmount();
  });

  it('says nothing of saving when the answers file given was left as it was', () => {
    const { lastFrame, unmount } = render(
      <InstallSummaryScreen
        deployment="lab"
        stacks={[{ name: 'lab-data', status: 'CREATE_COMPLETE', outputs: {} }]}
        steps={[]}
        warnings={[]}
        answersPath="lab.answers.yaml"
        answersSaved={false}
        nextCommand="stackguide install --config lab.answers.yaml --yes"
        eventLogPath=".stackguide/lab/events.ndjson"
        afterInstall={[]}
      />,
    );
    const frame = lastFrame() ?? '';
    expect(frame).not.toContain('Answers saved');
    expect(frame).toContain('Run the same install unattended with:');
    unmount();
  });
});

describe('InstallSummaryScreen at 80 columns', () => {
  it('never breaks a command, a value or a warning where the terminal would: commands cut before an option', async () => {
    const command =
      'aws eks tag-resource --region us-east-1 --resource-arn arn:aws:eks:us-east-1:123456789012:cluster/geo-lab-cluster --tags osl-deployment=geo-lab';
    const arn = 'arn:aws:iam::123456789012:role/geo-lab-app-WorkerRole-44QHA7V1JQYXABCDEFGH';
    const rerun =
      'stackguide install --blueprint blueprints/opensarlab --config geo-lab.answers.yaml --set domain=opensarlab.example.edu --yes';
    const view = renderInTerminal(
      <InstallSummaryScreen
        deployment="geo-lab"
        stacks={[{ name: 'geo-lab-app', status: 'CREATE_COMPLETE', outputs: { WorkerRoleArn: arn } }]}
        steps={[]}
        warnings={[
          'example.test has no NS records for lab.example.test: the certificate stays pending until the records are in place',
        ]}
        answersPath="geo-lab.answers.yaml"
        answersSaved
        nextCommand={rerun}
        eventLogPath=".stackguide/geo-lab/events.ndjson"
        afterInstall={[{ title: 'Add the cost allocation tag to the EKS cluster', details: [command] }]}
      />,
      { columns: 80, rows: 24 },
    );
    await vi.waitFor(() => expect(view.lastFrame()).toContain('Event log'));
    const lines = view.lastFrame().split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    // Each command, its lines joined as bash joins them, is the command.
    const joined = (first: string): string => {
      const start = lines.findIndex((line) => line.trim().startsWith(first));
      const parts: string[] = [];
      for (const line of lines.slice(start)) {
        parts.push(line.trim().replace(/ \\$/, ''));
        if (!line.endsWith('\\')) break;
      }
      return parts.join(' ');
    };
    expect(joined('aws eks')).toBe(command);
    expect(joined('stackguide install')).toBe(rerun);
    // The value on a line of its own, whole and indented; the warning's second line indented too.
    expect(lines).toContain(`      ${arn}`);
    expect(lines.some((line) => /^ {4}the certificate stays pending|^ {4}\S/.test(line))).toBe(true);
    for (const line of lines.filter((each) => each.includes('certificate stays pending')))
      expect(line).toMatch(/^ {2}/);
    view.unmount();
  });

  it('goes on under its text when a line is longer than the window: no line restarts at the first column (trial finding 63)', async () => {
    const view = renderInTerminal(
      <InstallSummaryScreen
        deployment="geo-two"
        stacks={[{ name: 'geo-two-cluster-pipeline', status: 'CREATE_COMPLETE', outputs: {} }]}
        steps={[
          {
            id: 'dockerhub',
            title:
              'Add Docker Hub credentials to AWS Secrets Manager as the dockerhub/creds secret of this account',
            done: true,
          },
        ]}
        warnings={[]}
        answersPath="/tmp/stackguide-lab-opensarlab-9n6gBQ/geo-two.answers.yaml"
        answersSaved
        nextCommand="stackguide install --config geo-two.answers.yaml --yes"
        eventLogPath="/tmp/stackguide-lab-opensarlab-9n6gBQ/.stackguide/geo-two/events.ndjson"
        afterInstall={[
          {
            title:
              "Update deployment_url in the cluster repository's opensarlab/opensarlab.yaml if you started with the load balancer's name",
            details: ['Then point your DNS record for opensarlab.example.edu at the load balancer.'],
          },
          {
            title:
              'Prime the Auto Scaling group of each profile (desired capacity 1) unless users are active',
            details: [],
          },
        ]}
      />,
      { columns: 80, rows: 24 },
    );
    await vi.waitFor(() => expect(view.lastFrame()).toContain('Event log'));
    const lines = view.lastFrame().split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    // Only the headings start at the first column.
    const first = lines.filter((line) => /^\S/.test(line));
    expect(first.map((line) => line.replace(/ .*/, ''))).toEqual(['✔', 'Still', 'Answers', 'Run', 'Event']);
    const text = lines.join(' ').replace(/\s+/g, ' ');
    expect(text).toContain(
      "☐ Update deployment_url in the cluster repository's opensarlab/opensarlab.yaml if you started with the load balancer's name",
    );
    expect(text).toContain(
      '☐ Prime the Auto Scaling group of each profile (desired capacity 1) unless users are active',
    );
    expect(text).toContain(
      '✔ Add Docker Hub credentials to AWS Secrets Manager as the dockerhub/creds secret of this account',
    );
    expect(lines).toContain('  /tmp/stackguide-lab-opensarlab-9n6gBQ/.stackguide/geo-two/events.ndjson');
    // The line before the command is whole, on its own when the answers file's path is long.
    expect(lines).toContain('Run the same install unattended with:');
    view.unmount();
  });
});
