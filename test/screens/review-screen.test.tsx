import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { ReviewScreen } from '../../screens/ReviewScreen.tsx';
import { loadBlueprint } from '../../src/blueprint/load-blueprint.ts';
import { buildInstallPlan } from '../../src/install/install-plan.ts';

async function demoPlan() {
  const blueprint = await loadBlueprint('blueprints/demo');
  const plan = buildInstallPlan(blueprint, {
    deployment: 'lab',
    region: 'eu-central-1',
    account: '111122223333',
    answers: {
      environment: 'prod',
      networkCidr: '10.9.0.0/16',
      jobTimeoutSeconds: 60,
      enableAlerts: true,
      adminEmail: 'a@b.co',
    },
  });
  // A secret answer, as a blueprint with a `secret` question would have one.
  return {
    ...plan,
    answers: { ...plan.answers, registryPassword: 'Kq7vZ2xWp9Lm4Rt' },
    secretAnswerIds: ['registryPassword'],
  };
}

const frameAfter = async (lastFrame: () => string | undefined): Promise<string> => {
  await vi.waitFor(() => expect(lastFrame()).toContain('Create these'));
  return lastFrame() ?? '';
};

describe('ReviewScreen', () => {
  it('shows account, region, answers, stacks in order with parameters, tags and the IAM acknowledgement', async () => {
    const { lastFrame, unmount } = render(<ReviewScreen plan={await demoPlan()} onDecision={() => {}} />);
    const frame = await frameAfter(lastFrame);
    expect(frame).toContain('demo 1.0.0 as deployment lab in account 111122223333, eu-central-1');
    expect(frame).toMatch(/1\. lab-data \(2 resources\)[\s\S]*2\. lab-app \(3 resources\) after data/);
    expect(frame).toContain('NetworkCidr = 10.9.0.0/16');
    expect(frame).toContain('DataBucketName = <output BucketName of stack data>');
    expect(frame).toContain('stackguide:deployment=lab');
    expect(frame).toContain('deployment_name=lab');
    expect(frame).toContain('lab-app create IAM resources (CAPABILITY_IAM)');
    unmount();
  });

  it('never shows a secret answer in clear', async () => {
    const { lastFrame, unmount } = render(<ReviewScreen plan={await demoPlan()} onDecision={() => {}} />);
    const frame = await frameAfter(lastFrame);
    // Not one fragment of four characters of it, and nothing that tells its length.
    const secret = 'Kq7vZ2xWp9Lm4Rt';
    for (let i = 0; i + 4 <= secret.length; i++) expect(frame).not.toContain(secret.slice(i, i + 4));
    expect(frame).toContain('registryPassword: •••••••• (secret)');
    unmount();
  });

  it('goes ahead on y and stops on n', async () => {
    const decisions: boolean[] = [];
    const plan = await demoPlan();
    const first = render(<ReviewScreen plan={plan} onDecision={(d) => decisions.push(d)} />);
    await frameAfter(first.lastFrame);
    first.stdin.write('y');
    first.unmount();
    const second = render(<ReviewScreen plan={plan} onDecision={(d) => decisions.push(d)} />);
    await frameAfter(second.lastFrame);
    second.stdin.write('n');
    second.unmount();
    expect(decisions).toEqual([true, false]);
  });
});
