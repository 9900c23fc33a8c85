import { accessSync, constants, statSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ExitCode, StackguideError } from '../errors.ts';
import { type InstallPlan, secretValues } from '../install/install-plan.ts';
import type { DeployedStack } from '../stacks/deploy-stack.ts';

/** One stack as `--outputs-file` writes it. */
export interface StackOutputs {
  /** The blueprint's stack id: the file's key. */
  id: string;
  name: string;
  stackId: string;
  status: string;
  outputs: Record<string, string>;
}

export interface OutputsFileContent {
  deployment: string;
  region: string;
  account: string;
  /** By blueprint stack id, in the blueprint's order. */
  stacks: Record<string, Omit<StackOutputs, 'id'>>;
  /** Outputs left out because their value holds a secret answer: named, never shown. */
  withheld: Array<{ stack: string; output: string; reason: string }>;
}

/**
 * The content of `--outputs-file`: every stack's outputs (as `cdk deploy --outputs-file` writes them,
 * by stack), except any whose value holds a secret answer, which a template can echo into an output
 * (`!Ref DbPassword`): that one is named under `withheld`, its value never written.
 */
function outputsFileContent(
  deployment: { deployment: string; region: string; account: string },
  stacks: readonly StackOutputs[],
  secrets: readonly string[],
): OutputsFileContent {
  const withheld: OutputsFileContent['withheld'] = [];
  const secretValues = secrets.filter((secret) => secret.length > 0);
  const content: OutputsFileContent = { ...deployment, stacks: {}, withheld };
  for (const stack of stacks) {
    const outputs: Record<string, string> = {};
    for (const [key, value] of Object.entries(stack.outputs)) {
      if (secretValues.some((secret) => value.includes(secret)))
        withheld.push({ stack: stack.id, output: key, reason: 'its value holds a secret answer' });
      else outputs[key] = value;
    }
    content.stacks[stack.id] = { name: stack.name, stackId: stack.stackId, status: stack.status, outputs };
  }
  return content;
}

/**
 * `install --outputs-file` and `upgrade --outputs-file`: the stacks as the run left them, in the plan's
 * order, written as one file with the secret answers of the plan withheld.
 */
export async function writeDeployedOutputs(
  path: string,
  command: 'install' | 'upgrade',
  run: {
    plan: Pick<InstallPlan, 'deployment' | 'region' | 'account' | 'stacks' | 'secretAnswerIds' | 'answers'>;
    stacks: Readonly<Record<string, DeployedStack>>;
  },
): Promise<void> {
  const { plan, stacks } = run;
  const deployed = plan.stacks.map((stack) => ({
    id: stack.id,
    name: stack.name,
    stackId: stacks[stack.id]?.stackId ?? '',
    status: stacks[stack.id]?.status ?? 'UNKNOWN',
    outputs: stacks[stack.id]?.outputs ?? {},
  }));
  const { deployment, region, account } = plan;
  await writeOutputsFile(
    path,
    outputsFileContent({ deployment, region, account }, deployed, secretValues(plan)),
    command,
  );
}

/**
 * Written whole or not at all: a temporary file beside the target, then a rename, so a script reading
 * the file never sees half of it and a failed write leaves the previous one in place.
 */
async function writeOutputsFile(
  path: string,
  content: OutputsFileContent,
  command: 'install' | 'upgrade',
): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(content, null, 2)}\n`, 'utf8');
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new StackguideError(`Could not write the outputs file ${path}: ${(error as Error).message}`, {
      code: 'outputs-file.write',
      kind: 'user',
      // The stacks were deployed: not a usage error that changed nothing.
      exitCode: ExitCode.failed,
      cause: error,
      details: [
        {
          path,
          message: (error as Error).message,
          fix: 'Give --outputs-file a path in a folder you can write to.',
        },
      ],
      nextSteps: [`The ${command} itself succeeded: stackguide status shows the outputs again.`],
    });
  }
}

/**
 * `--outputs-file` checked before anything reaches AWS (exit 2): its folder must exist and be writable
 * and the path must not be a folder, or an install or upgrade would succeed and then fail to say its
 * outputs. Not given: undefined.
 */
export function checkOutputsFileTarget(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const target = resolve(path);
  const problem = (message: string, fix: string) =>
    new StackguideError(`--outputs-file ${path} cannot be written`, {
      code: 'usage.outputs-file',
      kind: 'user',
      details: [{ path: '--outputs-file', message, fix }],
    });
  try {
    if (statSync(target, { throwIfNoEntry: false })?.isDirectory())
      throw problem(`${target} is a folder`, 'Name a file, such as outputs.json, in that folder.');
    accessSync(dirname(target), constants.W_OK);
  } catch (error) {
    if (error instanceof StackguideError) throw error;
    throw problem(
      `its folder ${dirname(target)} ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'is not writable'}`,
      'Create the folder first, or name a file in a folder you can write to.',
    );
  }
  return target;
}
