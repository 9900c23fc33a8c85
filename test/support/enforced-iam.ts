import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import type { PolicyDocument, PolicyStatement } from '../../src/policy/operator-policy.ts';
import { type CliResult, runCli } from './run-cli.ts';

/**
 * IAM as moto enforces it (moto/core/authorization.py and moto/iam/access_control.py, moto 5.2), for the
 * tests that run the CLI under exactly the policy `stackguide policy` prints:
 *
 * - With INITIAL_NO_AUTH_ACTION_COUNT=N, the first N requests go unchecked; every later one is signed
 *   with a user's access key (SigV4, checked) and allowed only if that user's policies allow its action.
 *   `POST /moto-api/reset-auth` sets N again and restarts the count.
 * - The action is `<signing name>:<API action>`: the Resource Groups Tagging API signs as `tagging`, so
 *   moto checks `tagging:GetResources` where IAM checks `tag:GetResources`.
 * - The resource is checked only for S3 (the bucket or object ARN, with moto's own action names, which
 *   match IAM's for the calls stackguide makes on the demo: GetBucketTagging, ListBucketVersions); every
 *   other service passes `*` as the resource, which a scoped Resource pattern never matches.
 * - Conditions are evaluated with no request context at all, so any Condition denies.
 * - CloudFormation creates the template's resources inside moto, unchecked: the resource handler
 *   permissions (the TemplateResources statement, and PassTemplateRoles for the roles they pass) cannot
 *   be proved on moto.
 *
 * `motoShaped` therefore keeps every action as printed, keeps the S3 statements' resources as printed
 * (moto checks those), and widens the others to `*` without their conditions: the actions are exactly
 * the printed ones, only the scoping moto cannot evaluate is left to AWS.
 */
export function motoShaped(policy: PolicyDocument): PolicyDocument {
  return {
    Version: policy.Version,
    Statement: policy.Statement.map((statement): PolicyStatement => {
      const action = statement.Action.map((a) => (a.startsWith('tag:') ? `tagging:${a.slice(4)}` : a));
      if (statement.Action.every((a) => a.startsWith('s3:'))) return { ...statement, Action: action };
      const { Condition: _condition, ...rest } = statement;
      return { ...rest, Action: action, Resource: '*' };
    }),
  };
}

/** The policy without one action (a statement left with none is dropped). */
export function withoutAction(policy: PolicyDocument, action: string): PolicyDocument {
  return {
    Version: policy.Version,
    Statement: policy.Statement.map((s) => ({ ...s, Action: s.Action.filter((a) => a !== action) })).filter(
      (s) => s.Action.length > 0,
    ),
  };
}

export interface IamUsers {
  admin: { accessKeyId: string; secretAccessKey: string };
  operator: { accessKeyId: string; secretAccessKey: string };
}

/** Requests `createUsers` makes: what INITIAL_NO_AUTH_ACTION_COUNT must leave free for it. */
export const USER_SETUP_CALLS = 6;

/**
 * An `admin` allowed everything (for what the test itself sets up or inspects later) and an `operator`
 * with exactly `policy`, each with an access key: six IAM calls, made while moto lets calls through.
 */
export async function createUsers(endpoint: string, policy: PolicyDocument): Promise<IamUsers> {
  const iam = new IAMClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  const user = async (name: string, document: unknown) => {
    await iam.send(new CreateUserCommand({ UserName: name }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: name,
        PolicyName: name,
        PolicyDocument: JSON.stringify(document),
      }),
    );
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
    return { accessKeyId: AccessKey?.AccessKeyId ?? '', secretAccessKey: AccessKey?.SecretAccessKey ?? '' };
  };
  try {
    const admin = await user('admin', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    });
    return { admin, operator: await user('operator', policy) };
  } finally {
    iam.destroy();
  }
}

/** The operator policy `stackguide policy` prints for these arguments. */
export async function printedPolicy(args: string[]): Promise<PolicyDocument> {
  const result = await runCli(['policy', ...args]);
  if (result.code !== 0) throw new Error(`stackguide policy failed (${result.code}): ${result.stderr}`);
  return JSON.parse(result.stdout) as PolicyDocument;
}

/** Every action of a policy, once. */
export function actionsOf(policy: PolicyDocument): string[] {
  return [...new Set(policy.Statement.flatMap((s) => s.Action))];
}

/** The commands the proofs run, in order. */
const LIFECYCLE = ['install', 'status', 'upgrade', 'destroy'] as const;
export type LifecycleCommand = (typeof LIFECYCLE)[number];

export interface LifecycleRun {
  /** The first command that did not exit 0, if one did not. */
  failed?: { command: LifecycleCommand; result: CliResult };
  results: Partial<Record<LifecycleCommand, CliResult>>;
}

/** Runs the lifecycle in order, up to `until`, and stops at the first command that fails. */
export async function runLifecycle(
  run: (command: LifecycleCommand) => Promise<CliResult>,
  until: LifecycleCommand = 'destroy',
): Promise<LifecycleRun> {
  const results: LifecycleRun['results'] = {};
  for (const command of LIFECYCLE.slice(0, LIFECYCLE.indexOf(until) + 1)) {
    const result = await run(command);
    results[command] = result;
    if (result.code !== 0) return { failed: { command, result }, results };
  }
  return { results };
}
