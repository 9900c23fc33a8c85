import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadBlueprint } from '../../src/blueprint/load-blueprint.ts';
import { StackguideError } from '../../src/errors.ts';
import { tempDir } from '../support/temp-dir.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A copy of the demo blueprint whose blueprint.yaml has been edited by `edit`. */
async function demoWith(edit: (yaml: string) => string): Promise<string> {
  const dir = await tempDir();
  cleanups.push(dir.remove);
  await cp('blueprints/demo', dir.path, { recursive: true });
  const file = join(dir.path, 'blueprint.yaml');
  await writeFile(file, edit(await readFile(file, 'utf8')));
  return dir.path;
}

async function problems(dir: string): Promise<Array<{ path: string; message: string; fix?: string }>> {
  const error = await loadBlueprint(dir).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(StackguideError);
  const failure = error as StackguideError;
  expect(failure.code).toBe('blueprint.invalid');
  expect(failure.exitCode).toBe(2);
  return failure.details.map((detail) => ({ ...detail }));
}

describe('loadBlueprint', () => {
  it('loads the demo blueprint with its templates summarised', async () => {
    const blueprint = await loadBlueprint('blueprints/demo');
    expect(blueprint.product).toMatchObject({ id: 'demo', version: '1.0.0' });
    expect(blueprint.stacks.map((stack) => stack.id)).toEqual(['data', 'app']);
    expect(Object.keys(blueprint.templates.app?.summary.resources ?? {})).toEqual([
      'JobQueue',
      'WorkerRole',
      'AlertsTopic',
    ]);
    expect(blueprint.templates.data?.summary.outputs).toContain('BucketName');
  });

  it('reports an unknown key by path and line, with the fix', async () => {
    const dir = await demoWith((yaml) =>
      yaml.replace('    dependsOn: [data]', '    dependsOn: [data]\n    dependOn: [data]'),
    );
    const [problem] = await problems(dir);
    expect(problem?.path).toMatch(/^blueprint\.yaml:\d+ stacks\[1\]$/);
    expect(problem?.message).toContain('dependOn');
    expect(problem?.fix).toContain('Remove dependOn');
  });

  it('reports every problem at once: bad reference, unmapped template parameter, wrong type', async () => {
    const dir = await demoWith((yaml) =>
      yaml
        .replace(
          "JobTimeoutSeconds: '{{answers.jobTimeoutSeconds}}'",
          "JobTimeoutSeconds: '{{answers.jobTimeout}}'",
        )
        .replace("      AdminEmail: '{{answers.adminEmail}}'\n", '')
        .replace('  maxLength: 24', '  maxLength: many'),
    );
    const found = await problems(dir);
    const byPath = Object.fromEntries(found.map((p) => [p.path.replace(/^blueprint\.yaml:\d+ /, ''), p]));
    expect(Object.keys(byPath).sort()).toEqual(['deployment.maxLength']);
    // Schema errors stop the semantic pass (its input would be malformed); fix them and the rest shows.
    const second = await problems(
      await demoWith((yaml) =>
        yaml
          .replace(
            "JobTimeoutSeconds: '{{answers.jobTimeoutSeconds}}'",
            "JobTimeoutSeconds: '{{answers.jobTimeout}}'",
          )
          .replace("      AdminEmail: '{{answers.adminEmail}}'\n", ''),
      ),
    );
    expect(second.map((p) => p.path.replace(/^blueprint\.yaml:\d+ /, '')).sort()).toEqual([
      'stacks[1].parameters',
      'stacks[1].parameters.JobTimeoutSeconds',
    ]);
    expect(second.find((p) => p.path.endsWith('JobTimeoutSeconds'))?.fix).toContain('jobTimeoutSeconds');
    expect(second.find((p) => p.path.endsWith('parameters'))?.message).toContain('AdminEmail has no default');
  });

  it('refuses an output reference to a stack that is not a dependency', async () => {
    const dir = await demoWith((yaml) => yaml.replace('    dependsOn: [data]\n', ''));
    const [problem] = await problems(dir);
    expect(problem?.path).toContain('stacks[1].parameters.DataBucketName');
    expect(problem?.fix).toBe('Add "data" to dependsOn of stack "app".');
  });

  it('checks defaults against their own question', async () => {
    const dir = await demoWith((yaml) => yaml.replace('default: 10.20.0.0/16', 'default: 10.20.0.1/16'));
    const [problem] = await problems(dir);
    expect(problem?.path).toMatch(/questions\[1\]\.default$/);
    expect(problem?.message).toContain('host bits set');
  });

  it("refuses a platform tag whose value is the same for every deployment: destroy would reach another's", async () => {
    const dir = await demoWith(
      (yaml) =>
        `${yaml}\ndecommission:\n  platformTags:\n    osl-stackname: production\n    team: '{{deployment}}'\n`,
    );
    const found = await problems(dir);
    expect(found).toHaveLength(1);
    expect(found[0]?.path).toMatch(/decommission\.platformTags\.osl-stackname/);
    expect(found[0]?.message).toContain('must contain {{deployment}}');
  });

  it('explains a YAML syntax error with its line', async () => {
    const dir = await demoWith((yaml) => yaml.replace('regions: [us-east-1,', 'regions: [us-east-1, {'));
    const [problem] = await problems(dir);
    expect(problem?.path).toMatch(/^blueprint\.yaml:\d+$/);
  });

  it('says where to look when there is no blueprint', async () => {
    await expect(loadBlueprint('blueprints/nope')).rejects.toMatchObject({
      code: 'blueprint.not-found',
      exitCode: 2,
    });
  });
});
