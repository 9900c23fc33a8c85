import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { commandLines } from '../../src/output/command-lines.ts';
import { hangingWrap } from '../../src/output/wrap.ts';
import { startAccountPrepTarget } from '../../test/support/account-prep-target.ts';
import { labRecipes } from './lab-recipes.ts';

/**
 * A lab: everything one shipped blueprint needs, on loopback, for trying stackguide by hand the way an
 * operator would. moto and the stand-ins for the services it lacks, plus what the blueprint's guide asks
 * the operator to have beforehand (a shared image, quotas, a delegated domain, a CA certificate). It
 * writes `lab.env` into a scratch folder: sourcing it points every AWS and DNS setting at the lab and
 * defines `stackguide` as this repository's build, so the printed commands run as written.
 */
export interface Lab {
  blueprint: string;
  folder: string;
  /** Environment a CLI run needs to reach the lab (credentials, region, endpoints, DNS). */
  env: Record<string, string>;
  /** The lab's answers file: a copy of the blueprint's sample, beside the files it names. */
  answersPath: string;
  /** What to run, in order, ready to print. */
  instructions(width?: number): string;
  stop(): Promise<void>;
}

export const projectRoot = resolve(import.meta.dirname, '..', '..');

export function labBlueprints(): string[] {
  return Object.keys(labRecipes);
}

export async function startLab(blueprint: string): Promise<Lab> {
  const recipe = labRecipes[blueprint];
  if (!recipe) throw new Error(`No lab for "${blueprint}". Labs: ${labBlueprints().join(', ')}`);
  const folder = await mkdtemp(join(tmpdir(), `stackguide-lab-${blueprint}-`));
  const target = await startAccountPrepTarget(recipe.motoEnv);
  let preparation: Awaited<ReturnType<typeof recipe.prepare>>;
  try {
    preparation = await recipe.prepare(target, folder);
  } catch (error) {
    await target.stop();
    throw error;
  }
  const env: Record<string, string> = {
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    ...target.env,
    ...preparation.env,
  };
  // moto builds its CloudFormation service on the first request to it (5 s and more on a busy machine):
  // asked now, in the background, the operator's first deployment-name check does not wait for it.
  const warming = warmUp(env);
  const blueprintPath = join(projectRoot, 'blueprints', blueprint);
  const answersPath = join(folder, 'answers.yaml');
  await writeFile(
    answersPath,
    labAnswers(await readFile(join(blueprintPath, 'answers.yaml'), 'utf8'), blueprintPath),
  );
  const node = join(projectRoot, 'node_modules', '.bin', 'node');
  const cli = join(projectRoot, 'dist', 'cli.js');
  await writeFile(
    join(folder, 'lab.env'),
    [
      `# stackguide lab for blueprints/${blueprint}: source this file, then run the commands npm run lab printed.`,
      ...Object.entries(env).map(([key, value]) => `export ${key}='${value}'`),
      `stackguide() { '${node}' '${cli}' "$@"; }`,
      '',
    ].join('\n'),
  );
  const secrets = Object.entries(recipe.unattendedSecrets ?? {})
    .map(([key, value]) => `${key}=${value} `)
    .join('');
  const deploymentOf = `--config answers.yaml`;
  return {
    blueprint,
    folder,
    env,
    answersPath,
    instructions: (width?: number) =>
      labInstructions(
        { blueprint, folder, notes: preparation.notes, secrets, blueprintPath, answers: deploymentOf },
        width,
      ),
    async stop() {
      await warming;
      await Promise.all([target.stop(), preparation.stop?.()]);
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/**
 * The sample answers as the lab's copy holds them: their comment's command names the blueprint and the
 * file as they are from the repository's root, which the lab folder is not (no blueprints/ there), so
 * it is rewritten to run from the lab folder after `source lab.env` (trial finding 85).
 */
export function labAnswers(text: string, blueprintPath: string): string {
  return text.replace(
    /^# Unattended: (.*)--blueprint \S+ --config \S+(.*)$/m,
    `# Unattended, from this folder after \`source lab.env\`: $1--blueprint ${blueprintPath} --config answers.yaml$2`,
  );
}

/**
 * What to run, for a terminal of `width` columns (none: every line whole): each command on lines of its
 * own, cut before an option with a trailing `\` as the product prints its commands (trial finding 60), so
 * that pasted it still runs as one command; what each is for on a comment line above it.
 */
export function labInstructions(
  lab: {
    blueprint: string;
    folder: string;
    notes: readonly string[];
    secrets: string;
    blueprintPath: string;
    answers: string;
  },
  width = Number.POSITIVE_INFINITY,
): string {
  const command = (text: string) => commandLines(text, width, '  ');
  const { blueprint, folder, blueprintPath, answers } = lab;
  return [
    ...hangingWrap('', `Lab for blueprints/${blueprint} is up in ${folder}`, '  ', width),
    ...lab.notes.flatMap((note) => hangingWrap('  ', note, '    ', width)),
    '',
    'In another terminal:',
    ...command(`cd ${folder} && source lab.env`),
    '  # guided:',
    ...command(`stackguide install --blueprint ${blueprintPath}`),
    '  # unattended, from the sample answers:',
    ...command(`${lab.secrets}stackguide install --blueprint ${blueprintPath} ${answers} --yes`),
    ...command(`stackguide status --blueprint ${blueprintPath} ${answers}`),
    ...command(`stackguide destroy --blueprint ${blueprintPath} ${answers}`),
    ...hangingWrap(
      '',
      '(after a guided install, use the answers file it wrote instead of answers.yaml)',
      '  ',
      width,
    ),
  ].join('\n');
}

/** The first calls an install makes of moto, made once so that moto has set up those services. */
async function warmUp(env: Record<string, string>): Promise<void> {
  const config = {
    region: env.AWS_REGION ?? 'us-east-1',
    ...(env.AWS_ENDPOINT_URL ? { endpoint: env.AWS_ENDPOINT_URL } : {}),
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'testing',
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'testing',
    },
  };
  const cloudFormation = new CloudFormationClient(config);
  const ssm = new SSMClient(config);
  // Each answers "does not exist"; only the answering matters.
  await Promise.allSettled([
    cloudFormation.send(new DescribeStacksCommand({ StackName: 'stackguide-lab-warm-up' })),
    ssm.send(new GetParameterCommand({ Name: '/stackguide/lab/warm-up' })),
  ]);
  cloudFormation.destroy();
  ssm.destroy();
}
