import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';

/** The answers file of a deployment that no --config named: which one, or where it was looked for. */
export type AnswersSource =
  | { path: string; from: 'journal' | 'beside' }
  | {
      path: undefined;
      looked: string[];
      /** Files that were there but are for another deployment or region (only when there are some). */
      others?: OtherAnswersFile[];
    };

/** An answers file found but not taken: what it is for. */
export interface OtherAnswersFile {
  path: string;
  deployment: string | undefined;
  region: string | undefined;
}

export interface AnswersLookup<T> {
  deployment: string;
  /** The deployment's region; undefined when nothing knows it, and a file for any region is taken. */
  region: string | undefined;
  /** The answers file (an absolute path) the deployment's journal records the last install or upgrade used. */
  recorded: string | undefined;
  /** Reads a file that is there: strictly for status and upgrade, leniently for support-bundle. */
  read: (path: string) => Promise<T>;
  /** Where `<name>.answers.yaml` is looked for, and paths are shown from: the current folder. */
  cwd?: string;
}

type NamedIn = { deployment?: string | undefined; region?: string | undefined };

/**
 * The answers file of a deployment when no --config names one, found the same way by status, upgrade
 * and support-bundle: the file its journal records the last install or upgrade applied (the lab's
 * install used answers.yaml, trial finding 81), else `<name>.answers.yaml` install writes in the current
 * folder; either only when it is for this deployment and region (a same-named deployment in another
 * region is not given its answers). Local only: no AWS call.
 */
export async function findDeploymentAnswersFile<T extends NamedIn>(
  lookup: AnswersLookup<T>,
): Promise<
  | { saved: T; source: AnswersSource & { path: string } }
  | { saved: undefined; source: AnswersSource & { path: undefined } }
> {
  const cwd = lookup.cwd ?? process.cwd();
  const beside = `${lookup.deployment}.answers.yaml`;
  const recorded = lookup.recorded ? shownPath(lookup.recorded, cwd) : undefined;
  const candidates = [
    ...(recorded ? [{ path: recorded, from: 'journal' as const }] : []),
    // The recorded file may be that one: it is read once.
    ...(recorded !== beside ? [{ path: beside, from: 'beside' as const }] : []),
  ];
  const others: OtherAnswersFile[] = [];
  for (const candidate of candidates) {
    if (!existsSync(resolve(cwd, candidate.path))) continue;
    const saved = await lookup.read(resolve(cwd, candidate.path));
    const ours =
      (saved.deployment ?? lookup.deployment) === lookup.deployment &&
      (lookup.region === undefined || (saved.region ?? lookup.region) === lookup.region);
    if (ours) return { saved, source: candidate };
    others.push({ path: candidate.path, deployment: saved.deployment, region: saved.region });
  }
  const looked = candidates.map(({ path }) => path);
  return { saved: undefined, source: { path: undefined, looked, ...(others.length > 0 ? { others } : {}) } };
}

/** A recorded absolute path as the operator would type it here: relative when it is under this folder. */
function shownPath(path: string, cwd: string): string {
  const shown = relative(cwd, path);
  return shown === '' || shown.startsWith('..') || isAbsolute(shown) ? path : shown;
}
