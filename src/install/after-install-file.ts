import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AnswerValue, resolveValue } from '../blueprint/references.ts';
import type { StackguideEvent } from '../events.ts';
import { shownOutputs } from './install-plan.ts';

/** One item of the blueprint's after-install checklist, references filled in. */
export interface AfterInstallItem {
  title: string;
  details: string[];
}

/**
 * The blueprint's after-install checklist with the deployment, the answers and the stacks' outputs
 * filled in. An output whose value holds a secret answer (a template can echo one) is filled in
 * masked, as the summary shows outputs: the checklist is printed and written to a file. (A secret
 * answer itself cannot be referenced there: validate refuses it.)
 */
export function afterInstallChecklist(
  items: ReadonlyArray<{ title: string; details: readonly string[] }>,
  run: { deployment: string; region: string; account: string; answers: Record<string, AnswerValue> },
  stacks: Readonly<Record<string, { outputs: Readonly<Record<string, string>> }>>,
  secrets: readonly string[],
): AfterInstallItem[] {
  const scope = {
    ...run,
    stackOutputs: Object.fromEntries(
      Object.entries(stacks).map(([id, stack]) => [id, shownOutputs(stack.outputs, secrets)]),
    ),
  };
  // A stack publishes no value for an output whose Condition is false: the checklist line says so
  // rather than failing an install that succeeded, or passing the placeholder off as a value.
  const fill = (text: string): string => {
    try {
      return resolveValue(text, scope, 'afterInstall');
    } catch (error) {
      return `${text} (not filled in: ${error instanceof Error ? error.message : String(error)})`;
    }
  };
  return items.map((item) => ({ title: fill(item.title), details: item.details.map(fill) }));
}

/** The file's name in the deployment's state folder, beside the journal and the event log. */
const AFTER_INSTALL_FILE = 'after-install.md';

/**
 * `aws eks tag-resource --region …`, `qhub deploy -c qhub-config.yaml`: a checklist line that is a
 * command to run (a program name in lower case, then options). The summary cuts it only before an
 * option; the file puts it in a code block, to paste whole.
 */
export function isCommandLine(line: string): boolean {
  return /^[a-z][\w.-]* /.test(line) && / --?[a-z]/.test(line);
}

/**
 * The checklist as Markdown: a header naming the deployment, its account and region and when it was
 * written, then `- [ ] title` per item with its detail lines under it, each command in a fenced
 * block so it is copied whole however the window is. The summary in a small terminal shows only the
 * titles and names this file: everything it leaves out is here.
 */
export function afterInstallMarkdown(
  run: { deployment: string; blueprint: string; region: string; account: string; writtenAt: Date },
  items: readonly AfterInstallItem[],
): string {
  const lines = [
    `# After installing ${run.deployment}`,
    '',
    `Deployment ${run.deployment} (${run.blueprint}) in account ${run.account}, region ${run.region}.`,
    `Written by stackguide install at ${run.writtenAt.toISOString()}; each install replaces it.`,
    'What stays to do by hand once the stacks are up. The event log of the run, events.ndjson, is beside it.',
    '',
  ];
  for (const item of items) {
    lines.push(`- [ ] ${item.title}`);
    for (const detail of item.details) {
      lines.push('');
      if (isCommandLine(detail)) lines.push('  ```sh', `  ${detail}`, '  ```');
      else lines.push(`  ${detail}`);
    }
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/**
 * Writes `<dir>/after-install.md` whole or not at all (a temporary file beside it, then a rename, as
 * the outputs file is written), replacing the last install's; with no item, removes a last one, so
 * the folder never holds a checklist that is not this blueprint's. Resolves with its path, or
 * undefined when there is nothing to write.
 */
async function writeAfterInstallFile(
  dir: string,
  run: Parameters<typeof afterInstallMarkdown>[0],
  items: readonly AfterInstallItem[],
): Promise<string | undefined> {
  const path = join(dir, AFTER_INSTALL_FILE);
  if (items.length === 0) {
    await rm(path, { force: true });
    return undefined;
  }
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, afterInstallMarkdown(run, items), 'utf8');
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return path;
}

/**
 * The checklist written beside the event log, where the summary sends the operator when it has no room
 * for the details, and where it can be read again later; said by a `file.written` event. The install
 * has succeeded by now: a file that cannot be written is a warning (the summary then keeps every
 * detail on screen), not a failure.
 */
export async function saveAfterInstallFile(
  emit: (event: StackguideEvent) => void,
  dir: string,
  items: readonly AfterInstallItem[],
  run: Parameters<typeof afterInstallMarkdown>[0],
): Promise<string | undefined> {
  try {
    const path = await writeAfterInstallFile(dir, run, items);
    if (path) emit({ type: 'file.written', path, description: 'the after-install checklist' });
    return path;
  } catch (error) {
    emit({
      type: 'warning',
      code: 'after-install.write',
      message: `The after-install checklist could not be written to ${dir}: ${(error as Error).message}`,
    });
    return undefined;
  }
}

/**
 * Removes the checklist of a deployment that destroy took down: the state folder outlives it (the
 * journal records the destroy), and a checklist left there would describe stacks that are gone.
 */
export async function removeAfterInstallFile(dir: string): Promise<void> {
  await rm(join(dir, AFTER_INSTALL_FILE), { force: true });
}
