import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadBlueprint } from '../../src/blueprint/load-blueprint.ts';
import { schemaHint } from '../../src/blueprint/schema-problems.ts';
import { StackguideError } from '../../src/errors.ts';
import { projectRoot } from '../support/run-cli.ts';
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
    expect(problem).toEqual({
      path: expect.stringMatching(/^blueprint\.yaml:\d+ stacks\[1\]\.dependOn$/),
      message: 'unknown key "dependOn" (did you mean "dependsOn"? It is set here already.)',
      fix: 'Remove "dependOn", or merge what it holds into "dependsOn".',
    });
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
    expect(found.map((p) => p.path.replace(/^blueprint\.yaml:\d+ /, '')).sort()).toEqual([
      'deployment.maxLength',
      'stacks[1].parameters',
      'stacks[1].parameters.JobTimeoutSeconds',
    ]);
    expect(found.find((p) => p.path.endsWith('maxLength'))).toMatchObject({
      message: 'is the text "many", where a number is expected',
      fix: 'Make it a number.',
    });
    expect(found.find((p) => p.path.endsWith('JobTimeoutSeconds'))?.fix).toContain('jobTimeoutSeconds');
    expect(found.find((p) => p.path.endsWith('parameters'))?.message).toContain('AdminEmail has no default');
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

/** Trial finding 36: one run names every independent problem, in a vendor's words, with its fix. */
describe('validate in one round', () => {
  const without = (path: string) => path.replace(/^blueprint\.yaml:\d+ /, '');

  it('names a misspelt key with the key it was meant to be, and a stack id typo beside it, in one run', async () => {
    const dir = await demoWith((yaml) =>
      yaml
        .replace('    prompt: Administrator email address', '    promt: Administrator email address')
        .replace('    dependsOn: [data]', '    dependsOn: [dta]'),
    );
    const error = await loadBlueprint(dir).catch((thrown: unknown) => thrown as StackguideError);
    expect(error).toMatchObject({ code: 'blueprint.invalid', exitCode: 2 });
    const found = (error as StackguideError).details;
    expect(found.find((p) => without(p.path) === 'questions[4].promt')).toEqual({
      path: expect.stringMatching(/^blueprint\.yaml:5\d /),
      message: 'unknown key "promt" (did you mean "prompt"?)',
      fix: 'Rename "promt" to "prompt".',
    });
    expect(found.find((p) => without(p.path) === 'stacks[1].dependsOn[0]')).toMatchObject({
      message: '"dta" is not a stack id',
      fix: 'Use one of: data, app (did you mean "data"?).',
    });
    // The spelling is the problem; "prompt is missing" would be the same one said twice, in zod's words.
    expect(found.map((p) => without(p.path))).not.toContain('questions[4].prompt');
    expect(found.map((p) => p.message).join('\n')).not.toMatch(/Invalid input|Unrecognized key/);
    // The next step names the folder as given, not a placeholder.
    expect((error as StackguideError).nextSteps).toEqual([
      `Fix each problem above, then run \`stackguide validate ${dir}\` until it reports none.`,
    ]);
  });

  it('lists the keys allowed where an unknown key has no likely spelling', async () => {
    const dir = await demoWith((yaml) =>
      yaml.replace(
        '    prompt: Create an alerts topic?',
        '    prompt: Create an alerts topic?\n    colour: blue',
      ),
    );
    const [problem, ...rest] = await problems(dir);
    expect(rest).toEqual([]);
    expect(without(problem?.path ?? '')).toBe('questions[3].colour');
    expect(problem?.message).toBe('unknown key "colour"');
    expect(problem?.fix).toBe(
      'Remove it, or use one of the keys allowed here: id, prompt, description, section, required, requires, excludes, type, default.',
    );
  });

  it('sets a broken question aside: its own problem once, no echo where it is used, later indexes kept', async () => {
    const dir = await demoWith((yaml) =>
      yaml
        .replace('    type: number\n', '    type: nmber\n')
        .replace("pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$'", "pattern: '^[^@]+('")
        .replace('    dependsOn: [data]', '    dependsOn: [dta]'),
    );
    const found = await problems(dir);
    expect(found.map((p) => without(p.path))).toEqual([
      'questions[2].type',
      'questions[4].pattern',
      'stacks[1].dependsOn[0]',
      'stacks[1].parameters.DataBucketName',
    ]);
    expect(found[0]).toMatchObject({
      message: 'type "nmber" is not one stackguide knows',
      fix: expect.stringContaining('(did you mean "number"?)'),
    });
    expect(found[1]?.message).toBe('"^[^@]+(" is not a valid regular expression');
    // {{answers.jobTimeoutSeconds}} is used by stack app: not "refers to no question", the question is there.
    expect(found.map((p) => p.message).join('\n')).not.toContain('refers to no question');
  });

  it('refuses a secret answer in the after-install checklist, a text shown to the operator', async () => {
    const dir = await demoWith(
      (yaml) =>
        `${yaml.replace(
          'questions:\n',
          'questions:\n  - id: dbPassword\n    type: secret\n    prompt: Database password\n    required: true\n',
        )}afterInstall:\n  - title: Log in to the database\n    details: ['psql -U admin --password {{answers.dbPassword}}']\n`,
    );
    const found = await problems(dir);
    expect(found).toEqual([
      {
        path: expect.stringContaining('afterInstall[0].details[0]'),
        message: '{{answers.dbPassword}} would show the secret answer "dbPassword" on the screen',
        fix: 'Pass the secret to a stack parameter, and leave it out of the steps and the after-install checklist.',
      },
    ]);
  });

  it('says what a value of the wrong kind holds and how to write it', async () => {
    const dir = await demoWith((yaml) =>
      yaml
        .replace('  title: Demo platform', '  title: 5')
        .replace('    - { value: staging }', '    - { valu: staging }'),
    );
    const found = await problems(dir);
    expect(found.find((p) => without(p.path) === 'product.title')).toMatchObject({
      message: 'is the number 5, where text is expected',
      fix: 'Quote it: "5" (YAML reads it as a number otherwise).',
    });
    expect(found.find((p) => without(p.path) === 'questions[0].choices[1].valu')).toMatchObject({
      message: 'unknown key "valu" (did you mean "value"?)',
      fix: 'Rename "valu" to "value".',
    });
  });

  it('words every kind of schema problem for the file, all at once, even with nothing left to read past them', async () => {
    const dir = await tempDir();
    cleanups.push(dir.remove);
    await writeFile(
      join(dir.path, 'blueprint.yaml'),
      [
        'schemaVersion: 2',
        "product: { id: Demo, title: '', version: 1.0.0 }",
        'deployment: { maxLength: 500 }',
        'costTag: { key: 12 }',
        'regions: us-east-1',
        'questions:',
        '  - { id: size, prompt: Size? }',
        'decommission:',
        `  platformTags: { ${'k'.repeat(130)}: '{{deployment}}' }`,
        'stacks: []',
        '',
      ].join('\n'),
    );
    const found = await problems(dir.path);
    const byPath = Object.fromEntries(
      found.map((p) => [without(p.path), { message: p.message, fix: p.fix }]),
    );
    expect(byPath).toEqual({
      schemaVersion: { message: 'the number 2 is not allowed here', fix: 'Use 1.' },
      'product.id': {
        message: 'must be lowercase letters, digits and dashes',
        fix: 'Change the value as the message says.',
      },
      'product.title': { message: 'is empty', fix: 'Write a value here.' },
      'deployment.maxLength': { message: 'is above 128', fix: 'Give at most 128.' },
      'costTag.key': {
        message: 'is the number 12, where text is expected',
        fix: 'Quote it: "12" (YAML reads it as a number otherwise).',
      },
      regions: {
        message: 'is the text "us-east-1", where a list is expected',
        fix: 'Make it a list: [us-east-1].',
      },
      'questions[0].type': {
        message: '"type" is missing',
        fix: 'Add type: one of string, number, boolean, choice, cidr, list, cron, secret.',
      },
      [`decommission.platformTags.${'k'.repeat(130)}`]: {
        message: 'the key is longer than 128 characters',
        fix: 'Give at most 128.',
      },
      stacks: { message: 'needs at least 1 item(s)', fix: 'Give at least 1.' },
    });
  });

  it('points at the JSON Schema the blueprint names, else the installed one, never at this repository', async () => {
    const named = await tempDir();
    cleanups.push(named.remove);
    await writeFile(join(named.path, 'schema.json'), '{}');
    expect(schemaHint('# yaml-language-server: $schema=schema.json\n', {}, named.path)).toBe(
      'the JSON Schema your blueprint names (schema.json)',
    );
    expect(schemaHint('', { $schema: 'https://example.com/s.json' }, named.path)).toBe(
      'the JSON Schema your blueprint names (https://example.com/s.json)',
    );
    // A copy of a shipped blueprint keeps "$schema=../blueprint.schema.json", which points nowhere there.
    const installed = join(projectRoot, 'blueprints', 'blueprint.schema.json');
    expect(schemaHint('# yaml-language-server: $schema=../blueprint.schema.json\n', {}, named.path)).toBe(
      `the blueprint JSON Schema (${installed})`,
    );
  });
});
