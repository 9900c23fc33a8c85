import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/policy/operator-policy.ts';
import {
  actionsOf,
  createUsers,
  type IamUsers,
  type LifecycleCommand,
  motoShaped,
  printedPolicy,
  runLifecycle,
  USER_SETUP_CALLS,
  withoutAction,
} from '../support/enforced-iam.ts';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { type CliResult, projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * Issue 19's proof: moto with its IAM enforcement on, a user holding exactly the operator policy
 * `stackguide policy` prints for the demo (moto-shaped: test/support/enforced-iam.ts says what moto
 * cannot evaluate), and install, status, upgrade and destroy run as that user. Then, for each action,
 * the same runs with that one action removed: the first command that needs it fails with exit 3 and a
 * message naming it.
 *
 * Which actions: by default a representative set, first needed by install or destroy (status and
 * upgrade need nothing install did not) and two checked on their S3 resource; each case reinstalls the
 * demo. STACKGUIDE_IAM_FULL_LOOP=1 runs every one of stackguide's own 34 actions (about 5 minutes
 * here, too long for every run of the suite): 21 fail the first command that needs them, and the 13
 * whose removal fails nothing on moto must be exactly those listed in NOT_CALLED_ON_MOTO.
 */
const blueprint = join(projectRoot, 'blueprints', 'demo');
const FULL_LOOP = process.env.STACKGUIDE_IAM_FULL_LOOP === '1';
type Command = LifecycleCommand;

/** The representative set: the command that first needs each action. */
const REPRESENTATIVE: Record<string, Command> = {
  'ssm:PutParameter': 'install',
  'ec2:DescribeInstanceTypeOfferings': 'install',
  'iam:CreateServiceLinkedRole': 'install',
  'cloudformation:CreateChangeSet': 'install',
  'cloudformation:ListExports': 'destroy',
  // Granted for install too (a stack a failed create left behind), but first made by destroy.
  'cloudformation:DeleteStack': 'destroy',
  's3:GetBucketTagging': 'destroy',
  'tagging:GetResources': 'destroy',
};

/**
 * Actions of the printed policy whose removal fails no command on moto in this run, each with why; the
 * full loop checks this list is exact (an action listed here that a command does need fails it).
 */
const NOT_CALLED_ON_MOTO: Record<string, string> = {
  'cloudformation:CancelUpdateStack': 'only when an interrupted run is stopped',
  'cloudformation:DescribeEvents': 'only after a failure (root cause)',
  'cloudformation:DetectStackDrift': 'status --drift only',
  'cloudformation:DescribeStackDriftDetectionStatus': 'status --drift only',
  'cloudformation:ListChangeSets': 'only for a stack an earlier run left',
  'cloudformation:ListImports': 'only when a stack exports',
  'cloudformation:GetTemplate':
    'destroy reads the templates for its plan and goes on without them, saying so (destroy.template-unreadable); install and upgrade read one only when nothing else changed',
  'cloudformation:TagResource': "moto's CloudFormation does not check it",
  'ssm:AddTagsToResource': 'moto checks PutParameter only',
  's3:DeleteObject': 'the demo buckets are empty',
  's3:DeleteObjectVersion': 'the demo buckets are empty',
  'ec2:DeleteVolume': 'no tagged volume',
  'ec2:DeleteSnapshot': 'no tagged snapshot',
};

let moto: MotoServer;
let work: { path: string; remove: () => Promise<void> };
// Printed when the file is collected, so the full loop has one case per action.
const policy: PolicyDocument = motoShaped(
  await printedPolicy([blueprint, '--config', join(blueprint, 'answers.yaml')]),
);
let answers: string;
let upgraded: string;

beforeAll(async () => {
  work = await tempDir();
  answers = join(work.path, 'demo.answers.yaml');
  upgraded = join(work.path, 'demo-staging.answers.yaml');
  const sample = await readFile(join(blueprint, 'answers.yaml'), 'utf8');
  await writeFile(answers, sample);
  // The upgrade changes an answer, so it creates and executes a change set.
  await writeFile(upgraded, sample.replace('environment: dev', 'environment: staging'));
  // The first calls are free: exactly the ones that create the users.
  moto = await startMotoServer({ INITIAL_NO_AUTH_ACTION_COUNT: String(USER_SETUP_CALLS) });
});
afterAll(async () => {
  await moto?.stop();
  await work?.remove();
});

/** A fresh account whose operator has `operatorPolicy`; moto's state and its free calls are reset. */
async function freshAccount(operatorPolicy: PolicyDocument, first: boolean): Promise<IamUsers> {
  if (!first) {
    await moto.reset();
    await moto.resetAuth(USER_SETUP_CALLS);
  }
  const users = await createUsers(moto.endpoint, operatorPolicy);
  moto.signProxyCallsWith(users.admin);
  return users;
}

async function run(command: Command, users: IamUsers, state: string): Promise<CliResult> {
  const args: Record<Command, string[]> = {
    install: ['install', '--yes', '--config', answers],
    status: ['status', '--config', answers],
    upgrade: ['upgrade', '--yes', '--config', upgraded],
    destroy: ['destroy', '--yes', '--confirm', 'demo', '--config', upgraded],
  };
  return runCli(
    [
      ...args[command],
      '--blueprint',
      blueprint,
      '--endpoint-url',
      moto.endpoint,
      '--state-dir',
      state,
      '--debug',
    ],
    {
      cwd: work.path,
      env: {
        AWS_ACCESS_KEY_ID: users.operator.accessKeyId,
        AWS_SECRET_ACCESS_KEY: users.operator.secretAccessKey,
      },
    },
  );
}

/** A fresh account, then the lifecycle as its operator until `until` or the first failure. */
async function lifecycle(operatorPolicy: PolicyDocument, first: boolean, until: Command = 'destroy') {
  const users = await freshAccount(operatorPolicy, first);
  const state = join(work.path, `state-${Math.random().toString(36).slice(2)}`);
  return runLifecycle((command) => run(command, users, state), until);
}

describe('the demo under enforced IAM, as a user with exactly the printed operator policy', () => {
  it('installs, reports status, upgrades and destroys', async () => {
    // iam:PassRole is printed for the demo's role only, never on any role.
    expect(policy.Statement.filter((s) => s.Action.includes('iam:PassRole')).map((s) => s.Sid)).toEqual([
      'PassTemplateRoles',
    ]);
    const { failed, results } = await lifecycle(policy, true);
    expect(failed?.result.stderr, `${failed?.command} failed`).toBeUndefined();
    // Each really ran: the change sets were made and executed, and destroy deleted both stacks.
    expect(results.install?.stderr).toContain('demo-app: CREATE_COMPLETE');
    expect(results.upgrade?.stderr).toMatch(/ExecuteChangeSet → 200/);
    expect(results.destroy?.stderr).toMatch(/DeleteStack → 200/);
  }, 600_000);

  it('without cloudformation:GetTemplate, destroy still deletes, and its plan says which templates it could not read and the fix', async () => {
    const { failed, results } = await lifecycle(withoutAction(policy, 'cloudformation:GetTemplate'), false);
    expect(failed?.result.stderr, `${failed?.command} failed`).toBeUndefined();
    const said = results.destroy?.stderr ?? '';
    expect(said).toContain('⚠ Templates not read (destroy.template-unreadable)');
    for (const stack of ['demo-app', 'demo-data']) {
      expect(said).toContain(`  ! ${stack}: AWS refused cloudformation:GetTemplate`);
      expect(said).toMatch(
        new RegExp(`fix: Grant cloudformation:GetTemplate on arn:aws:cloudformation:[^ ]+:stack/${stack}/`),
      );
    }
    expect(said).toMatch(/warning: demo-app: AWS refused cloudformation:GetTemplate/);
  }, 600_000);

  // The resource handlers (and the roles they pass) are CloudFormation's calls, which moto makes
  // unchecked: not looped over. test/policy/passed-roles.test.ts proves what PassTemplateRoles names.
  const own = actionsOf({
    ...policy,
    Statement: policy.Statement.filter((s) => s.Sid !== 'TemplateResources' && s.Sid !== 'PassTemplateRoles'),
  });
  it.each(FULL_LOOP ? own : Object.keys(REPRESENTATIVE))(
    'without %s, the first command that needs it fails with exit 3 naming it',
    async (action) => {
      const expected = REPRESENTATIVE[action];
      const { failed } = await lifecycle(withoutAction(policy, action), false, expected ?? 'destroy');
      if (!failed) {
        expect(NOT_CALLED_ON_MOTO[action], `nothing needed ${action}`).toBeDefined();
        return;
      }
      expect(NOT_CALLED_ON_MOTO[action], `${action} is listed as not needed`).toBeUndefined();
      expect(failed.result.code, failed.result.stderr).toBe(3);
      if (expected) expect(failed.command).toBe(expected);
      // moto names the action by its signing name; the explanation names the action AWS refused.
      expect(failed.result.stderr).toContain(`AWS refused ${action}`);
      expect(failed.result.stderr).toContain(`stackguide policy ${blueprint} --config`);
    },
    600_000,
  );
});
