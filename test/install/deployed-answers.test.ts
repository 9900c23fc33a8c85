import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StackDescription } from '../../src/aws/cloudformation-port.ts';
import type { BlueprintDocument } from '../../src/blueprint/blueprint-schema.ts';
import { loadBlueprint } from '../../src/blueprint/load-blueprint.ts';
import { BLUEPRINT_TAG, DEPLOYMENT_TAG } from '../../src/deployment-tags.ts';
import { StackguideError } from '../../src/errors.ts';
import { EventBus } from '../../src/events.ts';
import { deployedAnswers } from '../../src/install/deployed-answers.ts';
import { checkDeploymentRequest, resolveDeployment } from '../../src/install/deployment-resolution.ts';
import { NO_ECHO_VALUE } from '../../src/install/install-plan.ts';
import type { Prompter } from '../../src/install/prompter.ts';
import { readSettings } from '../../src/settings.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { askingAws } from '../support/install-flow-fixture.ts';
import { projectRoot } from '../support/run-cli.ts';

/**
 * A guided re-install of a deployment that exists, without its answers file (trial finding 51): each
 * question offers what the stacks run, not the blueprint's default, so Enter keeps the deployed value.
 */
function stack(name: string, parameters: Record<string, string>, owner = 'demo'): StackDescription {
  return {
    stackId: `arn:aws:cloudformation:us-east-1:123456789012:stack/${name}/id`,
    stackName: name,
    status: 'UPDATE_COMPLETE',
    outputs: {},
    parameters,
    tags: { [DEPLOYMENT_TAG]: owner, [BLUEPRINT_TAG]: 'demo' },
    terminationProtection: false,
  };
}

/** The operator types the name `demo` and presses Enter on every other question: its default is taken. */
function pressingEnter(offered: Record<string, unknown>): Prompter {
  return {
    section: () => undefined,
    confirm: async (question) => {
      offered[question.message] = question.default;
      return question.default ?? true;
    },
    select: async (question) => {
      offered[question.message] = question.default;
      return (question.default ?? question.choices[0]?.value) as never;
    },
    input: async (question) => {
      if (question.message === 'Deployment name') return 'demo';
      offered[question.message] = question.default;
      return question.default ?? 'ops@example.com';
    },
    password: async () => '',
  };
}

async function guidedAnswers(
  stacks: Record<string, StackDescription>,
  describeStack: (name: string) => Promise<unknown> = async (name) => stacks[name],
) {
  const blueprint = await loadBlueprint(join(projectRoot, 'blueprints', 'demo'));
  const request = {
    command: 'install',
    blueprint,
    region: 'us-east-1',
    sets: {},
    yes: false,
    env: {},
    settings: readSettings({}),
  };
  const checked = await checkDeploymentRequest(request, { interactive: true, clock: new FakeClock() });
  const offered: Record<string, unknown> = {};
  const aws = askingAws({ describeStack });
  const resolved = await resolveDeployment(checked, {
    prompter: pressingEnter(offered),
    connect: () => aws,
    events: new EventBus(),
    signal: new AbortController().signal,
  });
  return { answers: resolved.answers, offered };
}

describe('a guided re-install without an answers file', () => {
  it("offers each answer as the deployment's stacks run it, and Enter keeps it", async () => {
    const { answers, offered } = await guidedAnswers({
      'demo-data': stack('demo-data', {
        DeploymentName: 'demo',
        Environment: 'staging',
        NetworkCidr: '10.30.0.0/16',
      }),
      'demo-app': stack('demo-app', {
        DeploymentName: 'demo',
        DataBucketName: 'demo-data-bucket',
        JobTimeoutSeconds: '600',
        EnableAlerts: 'false',
        AdminEmail: 'lab@example.org',
      }),
    });
    expect(offered).toMatchObject({
      'Which kind of environment is this?': 'staging',
      'Which network range will the platform use?': '10.30.0.0/16',
      'How many seconds may a worker take for one job?': '600',
      'Create an alerts topic?': false,
      'Administrator email address': 'lab@example.org',
    });
    expect(answers).toEqual({
      environment: 'staging',
      networkCidr: '10.30.0.0/16',
      jobTimeoutSeconds: 600,
      enableAlerts: false,
      adminEmail: 'lab@example.org',
    });
  });

  it("offers the blueprint's defaults for a new deployment, and never what another deployment's stacks hold", async () => {
    const { offered } = await guidedAnswers({
      'demo-app': stack('demo-app', { JobTimeoutSeconds: '600' }, 'someone-else'),
    });
    expect(offered['How many seconds may a worker take for one job?']).toBe('300');
    expect(offered['Which kind of environment is this?']).toBe('dev');
  });

  it("offers the blueprint's defaults when the stacks cannot be read (the name check says why later)", async () => {
    const { offered } = await guidedAnswers({}, async () => {
      throw new StackguideError('Access denied to cloudformation:DescribeStacks', {
        code: 'aws.access-denied',
        kind: 'aws',
      });
    });
    expect(offered['How many seconds may a worker take for one job?']).toBe('300');
  });
});

describe('deployedAnswers', () => {
  const blueprint = {
    product: { id: 'demo' },
    questions: [
      { id: 'size', type: 'number', prompt: 'Size', required: true, min: 1, max: 10 },
      { id: 'password', type: 'secret', prompt: 'Password', required: true },
      { id: 'token', type: 'string', prompt: 'Token', required: true },
      { id: 'disk', type: 'number', prompt: 'Disk', required: true },
      { id: 'level', type: 'number', prompt: 'Level', required: true, max: 5 },
    ],
    stacks: [
      { name: '{{answers.size}}-named', parameters: { Size: '{{answers.size}}' } },
      {
        name: '{{deployment}}-main',
        parameters: {
          Size: '{{answers.size}}',
          Password: '{{answers.password}}',
          Token: '{{ answers.token }}',
          Disk: '{{answers.disk}}GB',
          Level: '{{answers.level}}',
          Fixed: 3,
        },
      },
    ],
  } as unknown as BlueprintDocument;
  const scope = { deployment: 'demo', region: 'us-east-1', account: '123456789012' };

  it('reads only answers a parameter holds alone, never a secret, a NoEcho value or one its question refuses', async () => {
    const described: string[] = [];
    const aws = askingAws({
      describeStack: async (name) => {
        described.push(name);
        return stack(name, {
          Size: '4',
          Password: 'hunter2-secret',
          Token: NO_ECHO_VALUE,
          Disk: '20GB',
          Level: '9',
          Fixed: '3',
        });
      },
    });
    expect(await deployedAnswers(blueprint, scope, aws)).toEqual({ size: 4 });
    // A stack whose name is built from an answer cannot be found before the answer is known.
    expect(described).toEqual(['demo-main']);
  });

  it('lets an error that is not AWS’s through', async () => {
    const aws = askingAws({
      describeStack: async () => {
        throw new TypeError('a bug');
      },
    });
    await expect(deployedAnswers(blueprint, scope, aws)).rejects.toThrow('a bug');
  });
});
