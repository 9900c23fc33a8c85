import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { StackguideError } from '../errors.ts';
import { type AnswersSource, findDeploymentAnswersFile } from '../install/deployment-answers-file.ts';

export interface BundleTargetRequest {
  stateDir: string;
  /** `--config`: read leniently for the deployment and region it names. */
  configPath?: string;
  /** `--name`: wins over the answers file and the state folder. */
  deployment?: string;
  /** `--region`: wins over the journal, the answers file and the default region. */
  region?: string;
  /** AWS_REGION, AWS_DEFAULT_REGION or the profile's region: the last resort. */
  defaultRegion?: string;
  /** The blueprint's id when it loaded: its deployments are preferred in the state folder. */
  blueprintId: string | undefined;
}

/** The deployment a support bundle is of, its region when one is known, and its answers file if any. */
export interface BundleTarget {
  deployment: string;
  region: string | undefined;
  answersPath: string | undefined;
  /** Without --config, when no answers file of the deployment was found: where it was looked for. */
  answersLooked?: AnswersSource & { path: undefined };
}

/**
 * Which deployment `support-bundle` packs, chosen as `status` chooses it: --name (and --region), or
 * --config, else the last one written in the state folder. Meant for a deployment in trouble, so it
 * reads leniently: an answers file the install would refuse or a corrupt journal still name what they
 * can. Local only; refuses (exit 2) a name that climbs out of the state folder or has nothing there.
 */
export async function findBundleTarget(request: BundleTargetRequest): Promise<BundleTarget> {
  const { stateDir } = request;
  const answers = request.configPath ? await namedInAnswers(request.configPath) : {};
  const deployment =
    request.deployment ?? answers.deployment ?? (await lastWritten(stateDir, request.blueprintId));
  // A name is a folder of the state folder: nothing that climbs out of it.
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(deployment))
    throw new StackguideError(`"${deployment}" is not a deployment name`, {
      code: 'usage.name',
      kind: 'user',
      details: [{ path: '--name', message: 'letters, digits, dashes and underscores only' }],
    });
  if (!existsSync(join(stateDir, deployment)))
    throw new StackguideError(`Nothing to bundle: ${join(stateDir, deployment)} does not exist`, {
      code: 'support.no-deployment',
      kind: 'user',
      details: [
        {
          path: '--name and --state-dir',
          message: `no journal or event log of ${deployment} in ${stateDir}`,
          fix: 'Give --state-dir where install kept its journal, and the deployment name with --name.',
        },
      ],
    });
  const journal = await readJournalLoosely(join(stateDir, deployment, 'state.json'));
  const journaled = typeof journal?.region === 'string' ? journal.region : undefined;
  const region = request.region ?? journaled ?? answers.region ?? request.defaultRegion;
  if (request.configPath) return { deployment, region, answersPath: request.configPath };
  // The answers file status and upgrade would take (the journal's record, else <name>.answers.yaml),
  // of this deployment and the region --region or its journal says; read leniently, as all here.
  const { source } = await findDeploymentAnswersFile({
    deployment,
    region: request.region ?? journaled,
    recorded: typeof journal?.answersFile === 'string' ? journal.answersFile : undefined,
    read: namedInAnswers,
  });
  if (source.path === undefined) return { deployment, region, answersPath: undefined, answersLooked: source };
  return { deployment, region, answersPath: source.path };
}

/** The deployment and region an answers file names, read leniently: it may be why support is needed. */
async function namedInAnswers(path: string): Promise<{ deployment?: string; region?: string }> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const pick = (key: string) => new RegExp(`^${key}:\\s*['"]?([A-Za-z0-9-]+)['"]?\\s*$`, 'm').exec(text)?.[1];
  const deployment = pick('deployment');
  const region = pick('region');
  return { ...(deployment ? { deployment } : {}), ...(region ? { region } : {}) };
}

async function readJournalLoosely(file: string): Promise<Record<string, unknown> | undefined> {
  try {
    const value: unknown = JSON.parse(await readFile(file, 'utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The deployment whose journal or event log was written last in the state folder, preferring those of
 * the blueprint given (when it loaded); a corrupt journal still counts, by its folder's files.
 */
async function lastWritten(stateDir: string, blueprintId: string | undefined): Promise<string> {
  const names = await readdir(stateDir).catch(() => [] as string[]);
  const found: Array<{ name: string; blueprint: unknown; at: number }> = [];
  for (const name of names) {
    const times = await Promise.all(
      ['state.json', 'events.ndjson'].map((file) =>
        stat(join(stateDir, name, file)).then(
          (info) => info.mtimeMs,
          () => 0,
        ),
      ),
    );
    const at = Math.max(...times);
    if (at === 0) continue;
    const journal = await readJournalLoosely(join(stateDir, name, 'state.json'));
    const blueprint = (journal?.blueprint as { id?: unknown } | undefined)?.id;
    found.push({ name, blueprint, at });
  }
  const mine = found.filter((entry) => entry.blueprint === blueprintId);
  const latest = (mine.length > 0 ? mine : found).sort((a, b) => b.at - a.at)[0];
  if (latest) return latest.name;
  throw new StackguideError(`support-bundle needs to know which deployment: ${stateDir} holds none`, {
    code: 'answers.missing',
    kind: 'user',
    details: [
      {
        path: '--name (or --config)',
        message: 'the state folder holds no journal or event log',
        fix: 'Name the deployment with --name, or give --state-dir where install kept its journal.',
      },
    ],
  });
}
