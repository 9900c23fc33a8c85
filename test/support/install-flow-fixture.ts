import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AwsContext } from '../../src/aws/aws-context.ts';
import { ssmPort } from '../../src/aws/ssm-port.ts';
import type { Prompter } from '../../src/install/prompter.ts';
import { projectRoot } from './run-cli.ts';

/**
 * What the install, upgrade and destroy flow tests share: a blueprint folder with the checklist
 * fixture's template, an AWS that answers only what the ask phase reads (who the caller is, the stacks
 * by name, the lock), the prompters of a run that must ask nothing (or only who the caller is), and the
 * lock another run holds.
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

/** A prompter for a run that must ask nothing: any question fails the test, naming it. */
export const silentPrompter: Prompter = {
  section: () => undefined,
  confirm: async (question) => {
    throw new Error(`asked: ${question.message}`);
  },
  select: async (question) => {
    throw new Error(`asked: ${question.message}`);
  },
  input: async (question) => {
    throw new Error(`asked: ${question.message}`);
  },
  password: async (question) => {
    throw new Error(`asked: ${question.message}`);
  },
};

/**
 * A guided run's prompter that answers yes to the identity confirmation (the question that starts with
 * `identityQuestion`, 'Install into account' or 'Upgrade in account') and fails the test on any other.
 */
export function confirmingIdentityOnly(identityQuestion: string): Prompter {
  return {
    ...silentPrompter,
    confirm: async (question) => {
      if (!question.message.startsWith(identityQuestion)) throw new Error(`asked: ${question.message}`);
      return true;
    },
  };
}

/** The deployment lock as another run, `command` by user/other on host elsewhere, holds it. */
export function lockHeldByAnotherRun(deployment: string, command: string) {
  return {
    id: '7d0c6a52-3f0e-4f43-9a51-2d6c0b1f9e21',
    deployment,
    principal: 'arn:aws:iam::123456789012:user/other',
    host: 'elsewhere',
    pid: 4242,
    command,
    startedAt: '2026-12-03T12:22:36.368Z',
  };
}
