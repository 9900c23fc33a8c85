import { StackguideError } from '../errors.ts';

/**
 * An IAM role's ARN as CloudFormation takes it for RoleARN: any partition, a 12-digit account, an
 * optional path, and a role name of IAM's characters (IAM API reference, `Role`: `RoleName` and `Path`).
 */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:[\x21-\x7e]*\/)?[\w+=,.@-]{1,64}$/;

/** What is wrong with a --role-arn value, in words; undefined when it is a role's ARN. */
function roleArnProblem(value: string): string | undefined {
  if (ROLE_ARN.test(value)) return undefined;
  const parts = value.split(':');
  if (parts[0] !== 'arn' || parts.length < 6)
    return 'it is not an ARN (arn:<partition>:iam::<account>:role/<name>)';
  if (parts[2] !== 'iam') return `it is an ARN of ${parts[2] || 'no service'}, not of IAM`;
  if (!/^\d{12}$/.test(parts[4] ?? '')) return `its account "${parts[4]}" is not 12 digits`;
  if (!(parts[5] ?? '').startsWith('role/'))
    return `it names an IAM ${(parts[5] ?? '').split('/')[0] || 'resource'}, not a role`;
  return 'its role name has characters IAM does not allow, or is over 64 characters';
}

/**
 * `--role-arn`, checked for shape before anything reaches AWS (exit 2): CloudFormation would take a
 * malformed value only to fail at the change set, after the questions and the review.
 */
function parseRoleArn(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const problem = roleArnProblem(value);
  if (!problem) return value;
  throw new StackguideError(`--role-arn ${value} is not an IAM role's ARN`, {
    code: 'usage.role-arn',
    kind: 'user',
    details: [
      {
        path: '--role-arn',
        message: problem,
        fix: "Give the service role's ARN, as `aws iam get-role --role-name <name> --query Role.Arn` prints it: arn:aws:iam::123456789012:role/<name>.",
      },
    ],
  });
}

/** What install and upgrade hand the stack engine from --role-arn and --disable-rollback. */
export interface DeployChoices {
  roleArn?: string;
  disableRollback?: boolean;
}

export function deployChoices(options: { roleArn?: string; disableRollback?: boolean }): DeployChoices {
  const roleArn = parseRoleArn(options.roleArn);
  return {
    ...(roleArn ? { roleArn } : {}),
    ...(options.disableRollback ? { disableRollback: true } : {}),
  };
}

/** The flags the printed next command repeats, so the re-run deploys with the same role. */
export function deployFlags(choices: DeployChoices): string[] {
  return choices.roleArn ? [`--role-arn ${choices.roleArn}`] : [];
}
