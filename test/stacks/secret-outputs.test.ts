import { describe, expect, it } from 'vitest';
import { maskSecretOutputs, secretOutputNames } from '../../src/stacks/secret-outputs.ts';

/** Which outputs status and watch mask by name (the CLI path is in test/cli/deploy-options.test.ts). */
function blueprintWith(
  outputs: Record<string, unknown>,
  parameters: Record<string, { noEcho: boolean }> = {},
): Parameters<typeof secretOutputNames>[0] {
  return {
    questions: [
      { id: 'password', type: 'secret' },
      { id: 'name', type: 'string' },
    ],
    stacks: [{ id: 'app', parameters: { Pw: '{{answers.password}}', Name: '{{answers.name}}', Port: 5432 } }],
    templates: {
      app: {
        summary: { parameters: { Pw: { noEcho: false }, Name: { noEcho: false }, ...parameters } },
        document: { Outputs: outputs },
      },
    },
  } as unknown as Parameters<typeof secretOutputNames>[0];
}

describe('secretOutputNames', () => {
  it('names the outputs that refer to a secret answer or a NoEcho parameter, in every form', () => {
    const names = secretOutputNames(
      blueprintWith(
        {
          Plain: { Value: { Ref: 'Pw' } },
          // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's own ${} syntax
          InSub: { Value: { 'Fn::Sub': 'postgres://admin:${Pw}@db:5432/app' } },
          // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's own ${} syntax
          SubVariable: { Value: { 'Fn::Sub': ['x-${Inner}', { Inner: { Ref: 'Pw' } }] } },
          InJoin: { Value: { 'Fn::Join': ['', ['a', { Ref: 'Pw' }]] } },
          Hidden: { Value: { Ref: 'Token' } },
          // Not secret: another parameter, a literal `${!Pw}` (CloudFormation writes "${Pw}"), a string.
          Name: { Value: { Ref: 'Name' } },
          // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's own ${} syntax
          Literal: { Value: { 'Fn::Sub': 'see ${!Pw}' } },
          Text: { Value: 'Pw' },
          Empty: null,
        },
        { Token: { noEcho: true } },
      ),
      'app',
    );
    expect([...names].sort()).toEqual(['Hidden', 'InJoin', 'InSub', 'Plain', 'SubVariable']);
  });

  it('names none for a stack without a template file, an unknown stack, or no secret parameter', () => {
    const blueprint = blueprintWith({ Plain: { Value: { Ref: 'Pw' } } });
    expect(secretOutputNames(blueprint, 'other').size).toBe(0);
    expect(secretOutputNames({ ...blueprint, templates: {} }, 'app').size).toBe(0);
    expect(secretOutputNames({ ...blueprint, questions: [] }, 'app').size).toBe(0);
  });
});

describe('maskSecretOutputs', () => {
  it('masks the named outputs and keeps the rest', () => {
    expect(maskSecretOutputs({ Dsn: 'postgres://a:b@h', Url: 'https://x' }, new Set(['Dsn']))).toEqual({
      Dsn: '•••••••• (secret)',
      Url: 'https://x',
    });
  });
});
