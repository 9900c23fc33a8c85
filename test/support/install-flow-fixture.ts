import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AwsContext } from '../../src/aws/aws-context.ts';
import { ssmPort } from '../../src/aws/ssm-port.ts';
import { projectRoot } from './run-cli.ts';

/**
 * What the install-flow tests share: a blueprint folder with the checklist fixture's template, and an
 * AWS that answers only what the ask phase reads (who the caller is, the stacks by name, the lock).
 */
export async function blueprintFolder(parent: string, blueprintYaml: string): Promise<string> {
  const path = join(parent, 'blueprint');
  await cp(join(projectRoot, 'test/fixtures/blueprints/checklist/templates'), join(path, 'templates'), {
    recursive: true,
  });
  await writeFile(join(path, 'blueprint.yaml'), blueprintYaml);
  return path;
}

export function askingAws(
  options: {
    describeStack?: (name: string) => Promise<unknown>;
    /** The lock parameter's value, when another run holds it. */
    lock?: string;
    /** Told each SSM parameter read. */
    read?: (name: string) => void;
  } = {},
): AwsContext {
  return {
    region: 'us-east-1',
    identity: {
      whoAmI: async () => ({
        account: '123456789012',
        arn: 'arn:aws:iam::123456789012:user/ops',
        userId: 'ops',
      }),
    },
    cloudFormation: { describeStack: options.describeStack ?? (async () => undefined) },
    use: (token: unknown) => {
      if (token !== ssmPort) throw new Error('only the lock is read while asking');
      return {
        getParameter: async (name: string) => {
          options.read?.(name);
          return options.lock ? { value: options.lock } : undefined;
        },
      };
    },
  } as unknown as AwsContext;
}
