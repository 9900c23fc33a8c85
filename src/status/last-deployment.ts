import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { StackguideError } from '../errors.ts';
import { readDeploymentState } from '../journal/journal.ts';

export interface KnownDeployment {
  deployment: string;
  region: string;
  blueprint: string;
  /** When its journal was last written. */
  updatedAt: Date;
}

/**
 * The deployment `status` shows when none is named: the only one in the state folder for this
 * blueprint, or the one whose journal was written last. Read-only; a folder without a readable journal
 * is not a deployment.
 */
export async function lastDeployment(stateDir: string, blueprintId: string): Promise<KnownDeployment> {
  const names = await readdir(stateDir).catch(() => [] as string[]);
  const found = (
    await Promise.all(
      names.map(async (name): Promise<KnownDeployment[]> => {
        const state = await readDeploymentState(stateDir, name);
        if (!state || state.deployment !== name) return [];
        const written = await stat(join(stateDir, name, 'state.json'));
        return [
          { deployment: name, region: state.region, blueprint: state.blueprint.id, updatedAt: written.mtime },
        ];
      }),
    )
  ).flat();
  const mine = found.filter((entry) => entry.blueprint === blueprintId);
  const latest = mine.sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())[0];
  if (latest) return latest;
  const others = found.map((entry) => `${entry.deployment} (${entry.blueprint})`).join(', ');
  throw new StackguideError(
    `status needs to know which deployment: none of blueprint ${blueprintId} is recorded in ${stateDir}`,
    {
      code: 'answers.missing',
      kind: 'user',
      details: [
        {
          path: '--name and --region (or --config)',
          message: others ? `the state folder holds only ${others}` : 'the state folder holds no deployment',
          fix: 'Name the deployment: --name <deployment> --region <region>, or --config <answers file>; or --state-dir where install kept its journal.',
        },
      ],
    },
  );
}
