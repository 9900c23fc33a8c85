import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LabPreparation, labRecipes } from '../../scripts/lab/lab-recipes.ts';
import type { PolicyDocument } from '../../src/policy/operator-policy.ts';
import { type AccountPrepTarget, startAccountPrepTarget } from '../support/account-prep-target.ts';
import {
  createUsers,
  type IamUsers,
  type LifecycleCommand,
  motoShaped,
  printedPolicy,
  runLifecycle,
  USER_SETUP_CALLS,
  withoutAction,
} from '../support/enforced-iam.ts';
import { projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * The same proof for a seed blueprint with preparation steps: codeocean-vpc (shared AMI, service-linked
 * roles, region, quotas, network, hosted zone, certificate, manual steps; an RDS live check on upgrade),
 * prepared by its lab recipe (scripts/lab/lab-recipes.ts). moto enforces IAM; the Service Quotas
 * stand-in does not, so servicequotas:* is granted but not proved here.
 *
 * The cases without one action are a representative set, one per kind of call: a step's check
 * (ec2:DescribeImages), a step's change (route53:CreateHostedZone), the upgrade's live check
 * (rds:DescribeDBInstances, first needed by upgrade) and destroy's removal of what a step made
 * (acm:DeleteCertificate). Each reinstalls the blueprint (about 20 s).
 */
const blueprint = join(projectRoot, 'blueprints', 'codeocean-vpc');
const recipe = labRecipes['codeocean-vpc'];
/** The lab recipe shares the AMI with two EC2 calls, made while moto still lets calls through. */
const PREPARE_CALLS = 2;
type Command = LifecycleCommand;

const REPRESENTATIVE: Record<string, Command> = {
  'ec2:DescribeImages': 'install',
  'route53:CreateHostedZone': 'install',
  'rds:DescribeDBInstances': 'upgrade',
  'acm:DeleteCertificate': 'destroy',
};

const policy: PolicyDocument = motoShaped(
  await printedPolicy([blueprint, '--config', join(blueprint, 'answers.yaml')]),
);
let target: AccountPrepTarget;
let preparation: LabPreparation | undefined;
let work: { path: string; remove: () => Promise<void> };
let newTemplate: string;

beforeAll(async () => {
  work = await tempDir();
  // The upgrade's manual steps are confirmed in the answers file an unattended upgrade reads.
  const answers = await readFile(join(blueprint, 'answers.yaml'), 'utf8');
  await writeFile(
    join(work.path, 'answers.yaml'),
    `${answers}  leastPrivilegeRole:\n    confirmed: true\n  maintenance:\n    confirmed: true\n`,
  );
  newTemplate = join(work.path, 'codeocean-vpc-3.3.yaml');
  const template = await readFile(join(blueprint, 'templates', 'main.yaml'), 'utf8');
  await writeFile(
    newTemplate,
    template.replace(
      'Stand-in for the Code Ocean VPC template',
      'Stand-in for the Code Ocean VPC template 3.3',
    ),
  );
  target = await startAccountPrepTarget({
    ...recipe?.motoEnv,
    INITIAL_NO_AUTH_ACTION_COUNT: String(PREPARE_CALLS + USER_SETUP_CALLS),
  });
});
afterAll(async () => {
  await preparation?.stop?.();
  await target?.stop();
  await work?.remove();
});

async function freshAccount(operatorPolicy: PolicyDocument, first: boolean): Promise<IamUsers> {
  if (!first) {
    await target.moto.reset();
    await target.moto.resetAuth(PREPARE_CALLS + USER_SETUP_CALLS);
  }
  await preparation?.stop?.();
  preparation = await recipe?.prepare(target, work.path);
  const users = await createUsers(target.moto.endpoint, operatorPolicy);
  target.moto.signProxyCallsWith(users.admin);
  return users;
}

async function lifecycle(operatorPolicy: PolicyDocument, first: boolean, until: Command = 'destroy') {
  const users = await freshAccount(operatorPolicy, first);
  const state = join(work.path, `state-${Math.random().toString(36).slice(2)}`);
  const args: Record<Command, string[]> = {
    install: ['install', '--yes'],
    status: ['status'],
    upgrade: ['upgrade', '--template', newTemplate, '--stack', 'main', '--yes'],
    destroy: ['destroy', '--yes', '--confirm', 'codeocean'],
  };
  return runLifecycle(
    (command) =>
      runCli([...args[command], '--blueprint', blueprint, '--config', 'answers.yaml', '--state-dir', state], {
        cwd: work.path,
        env: {
          ...target.env,
          ...preparation?.env,
          AWS_ACCESS_KEY_ID: users.operator.accessKeyId,
          AWS_SECRET_ACCESS_KEY: users.operator.secretAccessKey,
        },
        timeoutMs: 240_000,
      }),
    until,
  );
}

describe('codeocean-vpc under enforced IAM, as a user with exactly the printed operator policy', () => {
  it('prepares the account, installs, reports status, upgrades and destroys', async () => {
    const { failed, results } = await lifecycle(policy, true);
    expect(failed?.result.stderr, `${failed?.command} failed`).toBeUndefined();
    expect(results.install?.stderr).toMatch(/codeocean: CREATE_COMPLETE/);
    expect(results.status?.stdout).toMatch(/✔ Certificate for codeocean\.example\.test: [^\n]*ISSUED/);
    expect(results.upgrade?.stderr).toMatch(/codeocean: UPDATE_COMPLETE/);
    expect(results.destroy?.stderr).toMatch(/hosted zone codeocean\.example\.test \(\S+\): deleted/);
  }, 900_000);

  it.each(Object.entries(REPRESENTATIVE))(
    'without %s, %s fails with exit 3 naming it',
    async (action, expected) => {
      const { failed } = await lifecycle(withoutAction(policy, action), false, expected);
      expect(failed?.command, `nothing failed without ${action}`).toBe(expected);
      expect(failed?.result.code, failed?.result.stderr).toBe(3);
      expect(failed?.result.stderr).toContain(`AWS refused ${action}`);
      expect(failed?.result.stderr).toContain(`stackguide policy ${blueprint} --config answers.yaml`);
    },
    900_000,
  );
});
