import { describe, expect, it } from 'vitest';
import { type Question, questionSchema } from '../../src/blueprint/blueprint-schema.ts';
import { renderTemplate } from '../../src/install/render-file.ts';

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
});
