import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadBlueprint } from '../../src/blueprint/load-blueprint.ts';
import { StackguideError } from '../../src/errors.ts';
import { projectRoot } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * The directives of a file template are checked when the blueprint loads (validate, install, ...):
 * a `$when` that can never hold, or a directive the renderer does not know, would otherwise leave a key
 * out of the platform's configuration without a word.
 */
const fixture = join(projectRoot, 'test', 'fixtures', 'blueprints', 'broken', 'file-template');
let work: { path: string; remove: () => Promise<void> };

beforeEach(async () => {
  work = await tempDir();
  await cp(fixture, work.path, { recursive: true });
  // One more question, a choice, to test $when against its choices.
  const blueprint = join(work.path, 'blueprint.yaml');
  await writeFile(
    blueprint,
    (await readFile(blueprint, 'utf8')).replace(
      'files:',
      '  - { id: auth, type: choice, prompt: Provider, choices: [GitHub, Auth0], default: GitHub }\n  - { id: name, type: string, prompt: Name, default: x }\nfiles:',
    ),
  );
});
afterEach(() => work.remove());

async function problemsOf(template: string): Promise<Array<{ path: string; message: string }>> {
  await writeFile(join(work.path, 'templates', 'platform.template.yaml'), template);
  try {
    await loadBlueprint(work.path);
  } catch (error) {
    expect(error).toBeInstanceOf(StackguideError);
    return ((error as StackguideError).details ?? []).map(({ path, message }) => ({
      path: String(path),
      message,
    }));
  }
  return [];
}

describe('file template checks', () => {
  it('accepts equality and { given } conditions on existing questions', async () => {
    expect(
      await problemsOf(
        [
          'zones: { $when: { zones: { given: true } }, $value: "{{answers.zones}}" }',
          'auth: { $when: { answers.auth: Auth0, name: x }, $value: { scope: [openid] } }',
          'note: { $when: { zones: { given: false } }, $value: picked by the platform }',
          'list: { $forEach: answers.zones, $value: "{{item}}" }',
          'merged: { a: 1, $merge: { $when: { auth: GitHub }, $value: { b: 2 } } }',
        ].join('\n'),
      ),
    ).toEqual([]);
  });

  it('refuses a malformed condition, a value no choice has, an unknown directive or key, a non-list $forEach', async () => {
    const problems = await problemsOf(
      [
        'a: { $when: { zones: { given: yes } }, $value: 1 }',
        'b: { $when: { zones: { present: true } }, $value: 1 }',
        'c: { $when: {}, $value: 1 }',
        'd: { $when: { auth: auth0 }, $value: 1 }',
        'e: { $when: { auth: GitHub }, $value: 1, $else: 2 }',
        'f: { $forEach: answers.name, $value: "{{item}}" }',
        'g: { $forEach: answers.nothing, $value: "{{item}}" }',
        'h: { $unless: { auth: GitHub } }',
        'i: "{{answers.zoens}}"',
      ].join('\n'),
    );
    const at = (path: string) => problems.filter((problem) => problem.path.includes(path));
    const malformed =
      '$when must hold a value to compare the answer with, or { given: true } or { given: false }';
    expect(at('a.$when.zones')[0]?.message).toBe(malformed);
    expect(at('b.$when.zones')[0]?.message).toBe(malformed);
    expect(at('c.$when')[0]?.message).toContain('must name at least one answer');
    expect(at('d.$when.auth')[0]?.message).toBe(
      '$when tests "auth" for "auth0", which is not one of its choices',
    );
    expect(at('e.$else')[0]?.message).toBe('"$else" does not belong in a $when mapping');
    expect(at('f.$forEach')[0]?.message).toBe('$forEach: answers.name is a string question, not a list');
    expect(at('g.$forEach')[0]?.message).toBe('$forEach: answers.nothing names no question');
    expect(at('h.$unless')[0]?.message).toBe('"$unless" is not a directive the renderer knows');
    expect(at('i')[0]?.message).toBe('{{answers.zoens}} refers to no question');
    expect(problems).toHaveLength(9);
  });

  it('reports a template file that is missing or not YAML at files[].template', async () => {
    const problems = await problemsOf('a: [unclosed');
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toMatch(/blueprint\.yaml:\d+ files\[0\]\.template/);
    expect(problems[0]?.message).toContain('cannot be read as YAML');
  });
});
