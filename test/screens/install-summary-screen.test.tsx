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

/** opensarlab's summary as its install ends in the lab: two steps pending on AWS, four done, three stacks. */
const OPENSARLAB = {
  deployment: 'geo-class',
  steps: [
    {
      id: 'ses',
      title: 'Take AWS SES out of sandbox',
      done: false,
      pending: "AWS's review of SES production access in us-east-1 (case 17000000001), usually 24-48 hours",
    },
    {
      id: 'costTag',
      title: 'Create an AWS cost allocation tag',
      done: false,
      pending:
        'Billing to list the tag key osl-deployment, about 24 hours after the first stack carries it; then run stackguide install again to activate it',
    },
    { id: 'dockerhub', title: 'Add Docker Hub credentials to AWS Secrets Manager', done: true },
    { id: 'calendar', title: 'Set up an iCal calendar for notifications', done: true, confirmed: true },
    { id: 'certificate', title: 'Store your CA certificate', done: true },
    { id: 'codecommit', title: 'Prepare the CodeCommit repositories', done: true, confirmed: true },
  ],
  stacks: [
    { name: 'geo-class-container', status: 'CREATE_COMPLETE', outputs: {} },
    {
      name: 'geo-class',
      status: 'CREATE_COMPLETE',
      outputs: {
        HubRepository: 'geo-class/hub',
        PipelineArtifactsBucket: 'codepipeline-us-east-1-geo-class',
      },
    },
    { name: 'geo-class-cluster-pipeline', status: 'CREATE_COMPLETE', outputs: {} },
  ],
  warnings: ['The certificate for opensarlab.example.edu expires in 20 days: import its renewal before then'],
  afterInstall: [
    {
      title:
        "Update deployment_url in the cluster repository's opensarlab/opensarlab.yaml if you started with the load balancer's name",
      details: ['Then point your DNS record for opensarlab.example.edu at the load balancer.'],
    },
    {
      title: 'Add the cost allocation tag to the EKS cluster',
      details: [
        'aws eks tag-resource --region us-east-1 --resource-arn arn:aws:eks:us-east-1:123456789012:cluster/geo-class-cluster --tags osl-deployment=geo-class',
      ],
    },
    {
      title: 'Prime the Auto Scaling group of each profile (desired capacity 1) unless users are active',
      details: [
        'aws autoscaling update-auto-scaling-group --region us-east-1 --auto-scaling-group-name <profile group> --desired-capacity 1',
      ],
    },
    {
      title: 'Let your IAM identity manage the cluster, and configure kubectl',
      details: [
        'Add your role or user to the trust policy of the cluster-access role the cluster stack created.',
        'aws eks update-kubeconfig --region us-east-1 --name geo-class-cluster --role-arn <cluster-access role ARN>',
      ],
    },
    {
      title: 'Create a test notification in the calendar',
      details: ['A <meta> section (profile: MY PROFILE, type: info) and a <message> section.'],
    },
    {
      title: 'Sign up as the admin user, then add a group for each profile and for sudo',
      details: [
        'Sign up at https://opensarlab.example.edu with the admin_user_name of opensarlab.yaml and admin@example.edu.',
        "Groups page → Add New Group, named as in helm_config.yaml's group_list.",
      ],
    },
  ],
  afterInstallPath: '/tmp/stackguide-lab-opensarlab-gFdUsv/.stackguide/geo-class/after-install.md',
  answersPath: 'geo-class.answers.yaml',
  answersSaved: true,
  nextCommand: 'stackguide install --blueprint blueprints/opensarlab --config geo-class.answers.yaml --yes',
  eventLogPath: '/tmp/stackguide-lab-opensarlab-gFdUsv/.stackguide/geo-class/events.ndjson',
};

describe('InstallSummaryScreen fitted to the window (issue 14: read at 80x24 without scrolling back)', () => {
  it("folds opensarlab's summary into 22 rows at 80x24: the outcome, what is pending, the warning, the file and the command stay", async () => {
    const view = renderInTerminal(<InstallSummaryScreen {...OPENSARLAB} />, { columns: 80, rows: 24 });
    await vi.waitFor(() => expect(view.lastFrame()).toContain('is installed'));
    const lines = view.lastFrame().replace(/\n$/, '').split('\n');
    // 24 rows: the summary, the empty line Ink leaves under it, and the shell's prompt.
    expect(lines.length, lines.join('\n')).toBeLessThanOrEqual(22);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    const text = lines.join('\n');
    expect(lines[0]).toBe('✔ geo-class is installed');
    expect(text).toContain("  ◷ Take AWS SES out of sandbox: pending, waiting for AWS's review of SES");
    expect(text).toContain('then run stackguide install again to activate it');
    // The finished steps in one counted line that names them by title, as their rows do; the manual
    // steps apart: the operator confirmed them, nothing checked them (trial finding 100).
    const words = text.replace(/\s+/g, ' ');
    expect(words).toContain(
      '✔ 2 steps done: Add Docker Hub credentials to AWS Secrets Manager, Store your CA certificate',
    );
    expect(words).toContain(
      '☑ 2 steps confirmed by you: Set up an iCal calendar for notifications, Prepare the CodeCommit repositories',
    );
    expect(text).not.toContain('dockerhub');
    expect(text).toContain('  ⚠ The certificate for opensarlab.example.edu expires in 20 days');
    // The file's path whole on a line, where the details and commands left out are.
    expect(lines).toContain(`  ${OPENSARLAB.afterInstallPath}`);
    expect(text).not.toContain('aws eks tag-resource');
    expect(text).toContain('Answers saved to geo-class.answers.yaml. Run the same install unattended with:');
    const start = lines.findIndex((line) => line.startsWith('  stackguide install'));
    expect(`${lines[start]?.replace(/ \\$/, '')} ${lines[start + 1]?.trim()}`).toBe(
      `  ${OPENSARLAB.nextCommand}`,
    );
    view.unmount();
  });

  it('folds only the checklist details when that is enough: steps, stacks and outputs stay in full', async () => {
    const view = renderInTerminal(<InstallSummaryScreen {...OPENSARLAB} warnings={[]} />, {
      columns: 100,
      rows: 36,
    });
    await vi.waitFor(() => expect(view.lastFrame()).toContain('is installed'));
    const lines = view.lastFrame().replace(/\n$/, '').split('\n');
    expect(lines.length, lines.join('\n')).toBeLessThanOrEqual(34);
    const text = lines.join('\n');
    // In full, a manual step the operator confirmed says so, with its own mark (trial finding 100).
    expect(text).toContain('  ☑ Set up an iCal calendar for notifications: confirmed by you');
    expect(text).toContain('Still to do by hand (details and commands in the file below):');
    expect(text).toContain('  ☐ Add the cost allocation tag to the EKS cluster');
    expect(text).not.toContain('aws eks tag-resource');
    expect(text).toContain('  ✔ Store your CA certificate');
    expect(text).toContain('    HubRepository: geo-class/hub');
    expect(text).toContain(`Event log: ${OPENSARLAB.eventLogPath}`);
    view.unmount();
  });

  it('folds nothing at 200x50: every step, output, detail and command, the file named', async () => {
    const view = renderInTerminal(<InstallSummaryScreen {...OPENSARLAB} />, { columns: 200, rows: 50 });
    await vi.waitFor(() => expect(view.lastFrame()).toContain('is installed'));
    const lines = view.lastFrame().replace(/\n$/, '').split('\n');
    expect(lines.length).toBeLessThanOrEqual(48);
    const text = lines.join('\n');
    for (const step of OPENSARLAB.steps) expect(text).toContain(step.title);
    expect(text).toContain('  ✔ Add Docker Hub credentials to AWS Secrets Manager');
    expect(text).toContain('    PipelineArtifactsBucket: codepipeline-us-east-1-geo-class');
    for (const item of OPENSARLAB.afterInstall) {
      expect(text).toContain(`  ☐ ${item.title}`);
      for (const detail of item.details) expect(text).toContain(`    ${detail}`);
    }
    expect(text).toContain('Still to do by hand (also in the file below):');
    expect(lines).toContain(`  ${OPENSARLAB.afterInstallPath}`);
    expect(text).toContain(`Event log: ${OPENSARLAB.eventLogPath}`);
    expect(text).not.toMatch(/steps done|outputs, stackguide status/);
    view.unmount();
  });

  it('keeps every detail when the file could not be written, and counts the checklist only as the last fold', async () => {
    const { afterInstallPath: _none, ...unwritten } = OPENSARLAB;
    const view = renderInTerminal(<InstallSummaryScreen {...unwritten} />, { columns: 80, rows: 24 });
    await vi.waitFor(() => expect(view.lastFrame()).toContain('is installed'));
    const text = view.lastFrame();
    // Nowhere else to read them: the commands stay, whatever the height.
    expect(text).toContain('aws eks tag-resource --region us-east-1 --resource-arn \\');
    expect(text).toContain('Still to do by hand:');
    view.unmount();

    const small = renderInTerminal(<InstallSummaryScreen {...OPENSARLAB} />, { columns: 80, rows: 16 });
    await vi.waitFor(() => expect(small.lastFrame()).toContain('is installed'));
    const folded = small.lastFrame();
    expect(folded).toContain('Still to do by hand: 6 items, details and commands in the file below:');
    expect(folded).not.toContain('☐');
    expect(folded).toContain('3 stacks CREATE_COMPLETE: geo-class-container, geo-class (2 outputs)');
    small.unmount();
  });

  it('says one of each in the singular, keeps a failed step in full, and names each status when the stacks differ', async () => {
    const props = {
      ...OPENSARLAB,
      warnings: [],
      steps: [
        { id: 'dockerhub', title: 'Add Docker Hub credentials to AWS Secrets Manager', done: true },
        { id: 'calendar', title: 'Set up an iCal calendar for notifications', done: false },
      ],
      stacks: [
        { name: 'geo-class', status: 'UPDATE_COMPLETE', outputs: { HubRepository: 'geo-class/hub' } },
        { name: 'geo-class-container', status: 'CREATE_COMPLETE', outputs: {} },
      ],
      afterInstall: OPENSARLAB.afterInstall.slice(1, 2),
    };
    const counted = renderInTerminal(<InstallSummaryScreen {...props} />, { columns: 80, rows: 12 });
    await vi.waitFor(() => expect(counted.lastFrame()).toContain('is installed'));
    const text = counted.lastFrame();
    expect(text.replace(/\n$/, '').split('\n').length, text).toBeLessThanOrEqual(10);
    expect(text).toContain('  ✔ Step done: Add Docker Hub credentials to AWS Secrets Manager');
    expect(text).toContain('  ✖ Set up an iCal calendar for notifications');
    expect(text).toContain('  geo-class UPDATE_COMPLETE (1 output), geo-class-container CREATE_COMPLETE;');
    expect(text).toContain('Still to do by hand: 1 item, details and commands in the file below:');
    counted.unmount();

    // Its empty lines are drawn as no row by Ink, and counted so: at 16 rows nothing of this folds.
    const one = renderInTerminal(<InstallSummaryScreen {...props} stacks={props.stacks.slice(0, 1)} />, {
      columns: 80,
      rows: 14,
    });
    await vi.waitFor(() => expect(one.lastFrame()).toContain('is installed'));
    expect(one.lastFrame()).toContain('  geo-class UPDATE_COMPLETE: 1 output, stackguide status shows them');
    one.unmount();
  });
});
