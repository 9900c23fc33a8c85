import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Blueprint, loadBlueprint } from '../blueprint/load-blueprint.ts';
import { ExitCode, StackguideError } from '../errors.ts';
import { commandEvents } from '../output/run-events.ts';
import { supportBundleText } from '../output/support-bundle-text.ts';
import { gatherSupportBundle } from '../support/support-bundle.ts';
import { writeArchive } from '../support/write-archive.ts';
import { awsSessionFor } from './command-context.ts';
import type { CommonOptions } from './common-options.ts';

/** Replaced by the build with package.json's version; running from source says so. */
declare const __STACKGUIDE_VERSION__: string | undefined;
const VERSION = typeof __STACKGUIDE_VERSION__ === 'string' ? __STACKGUIDE_VERSION__ : '0.0.0-source';

export interface SupportBundleOptions extends CommonOptions {
  out?: string;
  force?: boolean;
}

/**
 * `stackguide support-bundle --out FILE`: one redacted `.tar.gz` of a deployment for the vendor's
 * support (src/support/support-bundle.ts says what it holds). The deployment is chosen as `status`
 * chooses it: --name (and --region), or --config, else the last one written in the state folder. It is
 * meant for a deployment in trouble, so it reads leniently: a blueprint that does not load, a corrupt
 * journal, an answers file the install would refuse or AWS out of reach are said in the manifest, and
 * the rest is still written. Exit 0 written, 2 nothing to bundle or --out exists, 1 could not write.
 */
export async function supportBundleCommand(options: SupportBundleOptions): Promise<number> {
  const out = options.out;
  if (!out)
    throw new StackguideError('support-bundle needs --out <file>', {
      code: 'usage.out',
      kind: 'user',
      nextSteps: ['Add --out support.tar.gz'],
    });
  const stateDir = options.stateDir ?? '.stackguide';
  const { blueprint, problem } = await loadBlueprint(options.blueprint ?? '.').then(
    (loaded): { blueprint: Blueprint | undefined; problem?: string } => ({ blueprint: loaded }),
    (error: unknown) => ({ blueprint: undefined, problem: (error as Error).message }),
  );
  const answers = options.config ? await namedInAnswers(options.config) : {};
  const deployment =
    options.name ?? answers.deployment ?? (await lastWritten(stateDir, blueprint?.product.id));
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
  const region =
    options.region ??
    (await journaledRegion(stateDir, deployment)) ??
    answers.region ??
    options.awsRegion?.value;
  const answersPath =
    options.config ?? (existsSync(`${deployment}.answers.yaml`) ? `${deployment}.answers.yaml` : undefined);
  const session = awsSessionFor(options);
  const bundle = await gatherSupportBundle({
    stateDir,
    deployment,
    region,
    blueprint,
    ...(problem ? { blueprintProblem: problem } : {}),
    answersPath,
    env: process.env,
    sharedFiles: options.aws ? [options.aws.credentialsFile, options.aws.configFile] : [],
    aws: region
      ? () => {
          const aws = session.forRegion(region);
          return { cloudFormation: aws.cloudFormation, identity: aws.identity };
        }
      : undefined,
    toolVersion: VERSION,
    nodeVersion: process.version,
    now: new Date(),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const { bytes } = await writeArchive(out, bundle.folder, bundle.entries, { force: options.force === true });
  const event = {
    type: 'support.bundle' as const,
    path: out,
    bytes,
    files: bundle.entries.map((entry) => entry.path),
    aws: { reached: bundle.aws.reached, ...(bundle.aws.reason ? { reason: bundle.aws.reason } : {}) },
    redactions: bundle.redactions,
    notes: bundle.notes,
  };
  // --output json: the NDJSON printer writes it; text: the report is the result, on stdout.
  commandEvents(options).emit(event);
  if (options.output !== 'json') process.stdout.write(supportBundleText(event, deployment, region));
  return ExitCode.ok;
}

/** The deployment and region an answers file names, read leniently: it may be why support is needed. */
async function namedInAnswers(path: string): Promise<{ deployment?: string; region?: string }> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const pick = (key: string) => new RegExp(`^${key}:\\s*['"]?([A-Za-z0-9-]+)['"]?\\s*$`, 'm').exec(text)?.[1];
  const deployment = pick('deployment');
  const region = pick('region');
  return { ...(deployment ? { deployment } : {}), ...(region ? { region } : {}) };
}

async function journaledRegion(stateDir: string, deployment: string): Promise<string | undefined> {
  const parsed = await readJournalLoosely(join(stateDir, deployment, 'state.json'));
  return typeof parsed?.region === 'string' ? parsed.region : undefined;
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
