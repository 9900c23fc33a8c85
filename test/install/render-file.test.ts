import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Question, questionSchema } from '../../src/blueprint/blueprint-schema.ts';
import { StackguideError } from '../../src/errors.ts';
import { lineDiff } from '../../src/install/line-diff.ts';
import { renderTemplate, writeRenderedFile } from '../../src/install/render-file.ts';

const questions: Question[] = [
  questionSchema.parse({ id: 'users', prompt: 'Users', type: 'list' }),
  questionSchema.parse({ id: 'zones', prompt: 'Zones', type: 'list' }),
  questionSchema.parse({ id: 'domain', prompt: 'Domain', type: 'string' }),
  questionSchema.parse({ id: 'secret', prompt: 'Secret', type: 'secret' }),
];
const context = {
  questions,
  scope: {
    deployment: 'lab',
    region: 'us-west-2',
    answers: {
      users: ['a@x.io:10000001:admin', 'b@x.io:10000002:users'],
      zones: ['us-west-2a', 'us-west-2b'],
      domain: 'x.io',
      secret: 'hunter2hunter2',
    },
    stackOutputs: {},
  },
};

describe('renderTemplate', () => {
  it('keeps the type of a whole-value reference and interpolates the rest', () => {
    expect(
      renderTemplate(
        { zones: '{{answers.zones}}', url: 'https://jupyter.{{answers.domain}}/hub', name: '{{deployment}}' },
        context,
      ),
    ).toEqual({
      zones: ['us-west-2a', 'us-west-2b'],
      url: 'https://jupyter.x.io/hub',
      name: 'lab',
    });
  });

  it('turns a list answer into a mapping or a list with $forEach, splitting items and typing numbers', () => {
    const template = {
      users: {
        $forEach: 'answers.users',
        $split: ':',
        $key: '{{item.0}}',
        $value: { uid: '{{item.1}}', primary_group: '{{item.2}}' },
      },
      names: { $forEach: 'answers.users', $split: ':', $value: '{{item.0}}' },
    };
    expect(renderTemplate(template, context)).toEqual({
      users: {
        'a@x.io': { uid: 10000001, primary_group: 'admin' },
        'b@x.io': { uid: 10000002, primary_group: 'users' },
      },
      names: ['a@x.io', 'b@x.io'],
    });
  });

  it('never writes a secret answer', () => {
    const rendered = JSON.stringify(
      renderTemplate({ client_secret: '{{answers.secret}}', note: 'x {{answers.secret}}' }, context),
    );
    expect(rendered).not.toContain('hunter2hunter2');
    expect(rendered).toContain('STACKGUIDE_SECRET_SECRET');
  });

  it('merges a $merge into its mapping, renders $when only when the answers match, and marks the first item', () => {
    const template = {
      groups: {
        general: { min: 1 },
        $merge: { $forEach: 'answers.users', $split: ':', $key: '{{item.0}}', $value: { uid: '{{item.1}}' } },
      },
      auth: {
        id: 'x',
        $merge: { $when: { domain: 'x.io' }, $value: { scope: ['openid'] } },
        other: { $when: { domain: 'y.io' }, $value: 'never' },
      },
      profiles: { $forEach: 'answers.zones', $value: { name: '{{item}}', default: '{{item.first}}' } },
    };
    expect(renderTemplate(template, context)).toEqual({
      groups: { general: { min: 1 }, 'a@x.io': { uid: 10000001 }, 'b@x.io': { uid: 10000002 } },
      auth: { id: 'x', scope: ['openid'] },
      profiles: [
        { name: 'us-west-2a', default: true },
        { name: 'us-west-2b', default: false },
      ],
    });
  });

  it('$when { given } leaves a key out when the optional answer is empty, and keeps it when given', () => {
    const template = {
      region: '{{region}}',
      availability_zones: { $when: { zones: { given: true } }, $value: '{{answers.zones}}' },
      note: { $when: { 'answers.zones': { given: false } }, $value: 'zones picked by the platform' },
    };
    const withAnswers = (answers: Record<string, string | string[]>) => ({
      ...context,
      scope: { ...context.scope, answers: { ...context.scope.answers, ...answers } },
    });
    expect(renderTemplate(template, context)).toEqual({
      region: 'us-west-2',
      availability_zones: ['us-west-2a', 'us-west-2b'],
    });
    // An optional question left empty holds '' (planAnswers), or an empty list from an answers file.
    for (const empty of ['', '  ', []])
      expect(renderTemplate(template, withAnswers({ zones: empty }))).toEqual({
        region: 'us-west-2',
        note: 'zones picked by the platform',
      });
    const { zones: _absent, ...others } = context.scope.answers;
    expect(renderTemplate(template, { ...context, scope: { ...context.scope, answers: others } })).toEqual({
      region: 'us-west-2',
      note: 'zones picked by the platform',
    });
    // A malformed condition (refused at load) never holds here.
    expect(renderTemplate({ a: { $when: { zones: { given: 'yes' } }, $value: 1 } }, context)).toEqual({});
  });
});

describe('writeRenderedFile', () => {
  let folder: string;
  let templatePath: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'render-file-'));
    templatePath = join(folder, 'template.yaml');
    await writeFile(templatePath, 'domain: "{{answers.domain}}"\nzones: "{{answers.zones}}"\n');
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });
  const other = {
    ...context,
    scope: { ...context.scope, answers: { ...context.scope.answers, domain: 'y.io' } },
  };

  it('writes, then leaves an unchanged file alone, then updates a file only stackguide touched', async () => {
    const target = join(folder, 'out', 'config.yaml');
    expect(await writeRenderedFile(templatePath, target, context)).toBe('created');
    expect(await readFile(target, 'utf8')).toMatch(
      /^# Written by stackguide[^\n]*\n# stackguide-sha256: [0-9a-f]{64}\ndomain: x\.io\n/,
    );
    expect(await writeRenderedFile(templatePath, target, context)).toBe('unchanged');
    expect(await writeRenderedFile(templatePath, target, other)).toBe('updated');
    expect(await readFile(target, 'utf8')).toContain('domain: y.io');
  });

  it('never replaces a hand-edited file silently: refused unattended, asked with the difference, or --overwrite', async () => {
    const target = join(folder, 'config.yaml');
    await writeRenderedFile(templatePath, target, context);
    const edited = (await readFile(target, 'utf8')).replace('zones:', 'extra: mine\nzones:');
    await writeFile(target, edited);

    const refused = await writeRenderedFile(templatePath, target, other).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StackguideError);
    expect((refused as StackguideError).code).toBe('file.edited');
    expect((refused as StackguideError).details[0]?.message).toContain('- extra: mine');
    expect((refused as StackguideError).details[0]?.message).toContain('+ domain: y.io');
    expect(await readFile(target, 'utf8')).toBe(edited);

    const shown: string[] = [];
    const kept = await writeRenderedFile(templatePath, target, other, {
      overwrite: false,
      confirm: async (_path, difference) => {
        shown.push(difference);
        return false;
      },
    });
    expect(kept).toBe('kept');
    expect(shown[0]).toContain('- domain: x.io');
    expect(await readFile(target, 'utf8')).toBe(edited);

    expect(await writeRenderedFile(templatePath, target, other, { overwrite: true })).toBe('updated');
    expect(await readFile(target, 'utf8')).not.toContain('extra: mine');
  });
});

describe('lineDiff', () => {
  it('marks removed and added lines with context and folds what is far from any change', () => {
    const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].join('\n');
    const after = ['a', 'b', 'c', 'D', 'e', 'f', 'g', 'h', 'i'].join('\n');
    expect(lineDiff(before, after, 1)).toBe(['  c', '- d', '+ D', '  e', '  …', '  h', '+ i'].join('\n'));
  });
});
