import { describe, expect, it } from 'vitest';
import type { StackDescription } from '../../src/aws/cloudformation-port.ts';
import { loadBlueprint } from '../../src/blueprint/load-blueprint.ts';
import { compareDeployedParameters } from '../../src/status/parameter-comparison.ts';

const answers = {
  environment: 'dev',
  networkCidr: '10.20.0.0/16',
  jobTimeoutSeconds: 300,
  enableAlerts: true,
  adminEmail: 'ops@example.com',
};
const scope = { deployment: 'demo', region: 'us-east-1', account: '123456789012' };

function described(name: string, parameters: Record<string, string>, outputs: Record<string, string> = {}) {
  return {
    stackId: `arn:aws:cloudformation:us-east-1:123456789012:stack/${name}/1`,
    stackName: name,
    status: 'UPDATE_COMPLETE',
    outputs,
    parameters,
    tags: {},
    terminationProtection: false,
  } satisfies StackDescription;
}

describe('compareDeployedParameters', () => {
  it('renders the answers as install would, outputs of earlier stacks included, and names what differs', async () => {
    const blueprint = await loadBlueprint('blueprints/demo');
    const data = described(
      'demo-data',
      { DeploymentName: 'demo', Environment: 'dev', NetworkCidr: '10.20.0.0/16' },
      { BucketName: 'bucket-1' },
    );
    const app = described('demo-app', {
      DeploymentName: 'demo',
      DataBucketName: 'bucket-1',
      JobTimeoutSeconds: '450',
      EnableAlerts: 'true',
      AdminEmail: '****',
    });
    const compared = compareDeployedParameters(
      blueprint,
      { ...scope, answers },
      [
        { id: 'data', description: data },
        { id: 'app', description: app },
      ],
      {},
    );
    expect(compared).toEqual({
      data: { differ: [], notCompared: [] },
      app: {
        differ: [{ name: 'JobTimeoutSeconds', deployed: '450', answers: '300' }],
        notCompared: ['AdminEmail'],
      },
    });
  });

  it('compares nothing without saved answers, for a stack that does not exist, or when the answers make no plan', async () => {
    const blueprint = await loadBlueprint('blueprints/demo');
    const app = described('demo-app', { JobTimeoutSeconds: '450' });
    expect(
      compareDeployedParameters(
        blueprint,
        { ...scope, answers: undefined },
        [{ id: 'app', description: app }],
        {},
      ),
    ).toEqual({});
    expect(
      compareDeployedParameters(
        blueprint,
        { ...scope, answers },
        [{ id: 'app', description: undefined }],
        {},
      ),
    ).toEqual({});
    // The stacks' tags take the environment answer: without it there is no plan to compare with.
    const { environment: _left, ...partial } = answers;
    expect(
      compareDeployedParameters(
        blueprint,
        { ...scope, answers: partial },
        [{ id: 'app', description: app }],
        {},
      ),
    ).toEqual({});
  });
});
