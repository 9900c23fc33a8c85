import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { InstallSummaryScreen } from '../../screens/InstallSummaryScreen.tsx';

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
