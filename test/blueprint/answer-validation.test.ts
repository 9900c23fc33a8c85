import { describe, expect, it } from 'vitest';
import {
  deploymentNameProblem,
  relationProblems,
  validateAnswer,
} from '../../src/blueprint/answer-validation.ts';
import { type Question, questionSchema } from '../../src/blueprint/blueprint-schema.ts';
import { ipv4NetworkProblem } from '../../src/cidr.ts';

const question = (raw: Record<string, unknown>): Question =>
  questionSchema.parse({ id: 'q', prompt: 'Q?', ...raw });

describe('validateAnswer', () => {
  it('checks numbers against range and integrality, from text or YAML', () => {
    const q = question({ type: 'number', min: 1, max: 100, integer: true });
    expect(validateAnswer(q, '42')).toEqual({ ok: true, value: 42 });
    expect(validateAnswer(q, 7)).toEqual({ ok: true, value: 7 });
    expect(validateAnswer(q, '0')).toMatchObject({ ok: false, fix: 'Use a number from 1 to 100.' });
    expect(validateAnswer(q, '1.5')).toMatchObject({ ok: false, message: 'is not a whole number' });
    expect(validateAnswer(q, 'ten')).toMatchObject({ ok: false });
  });

  it('checks CIDR form, host bits and prefix bounds', () => {
    const q = question({ type: 'cidr', minPrefix: 16, maxPrefix: 24 });
    expect(validateAnswer(q, '10.1.0.0/16')).toEqual({ ok: true, value: '10.1.0.0/16' });
    expect(validateAnswer(q, '10.0.0.0/8')).toMatchObject({
      ok: false,
      fix: 'Use a prefix of /16 or longer.',
    });
    expect(validateAnswer(q, '10.1.2.0/28')).toMatchObject({ ok: false });
    expect(ipv4NetworkProblem('10.1.2.3/16')).toContain('network address is 10.1.0.0/16');
    expect(ipv4NetworkProblem('300.1.0.0/16')).toContain('not in CIDR form');
    expect(ipv4NetworkProblem('10.1.0.0/33')).toContain('not in CIDR form');
    expect(ipv4NetworkProblem('10.1.0.0')).toContain('not in CIDR form');
    expect(ipv4NetworkProblem('2600:1f18:abcd::/56')).toBe(
      '"2600:1f18:abcd::/56" is an IPv6 network; an IPv4 one is needed here',
    );
    expect(validateAnswer(q, '2600:1f18:abcd::/56')).toMatchObject({ ok: false });
  });

  it('accepts only listed choices and says which', () => {
    const q = question({ type: 'choice', choices: ['on_demand', 'spot', { value: 'mixed' }] });
    expect(validateAnswer(q, 'spot')).toEqual({ ok: true, value: 'spot' });
    expect(validateAnswer(q, 'cheap')).toMatchObject({
      ok: false,
      fix: 'Use one of: on_demand, spot, mixed.',
    });
  });

  it('splits lists given as text and checks their size and items', () => {
    const q = question({ type: 'list', minItems: 3, itemPattern: '^[a-z]{2}-[a-z]+-\\d[a-z]$' });
    expect(validateAnswer(q, 'us-east-1a, us-east-1b,us-east-1c')).toEqual({
      ok: true,
      value: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    });
    expect(validateAnswer(q, ['us-east-1a', 'us-east-1b'])).toMatchObject({
      ok: false,
      fix: 'Give at least 3, separated by commas.',
    });
    expect(validateAnswer(q, 'us-east-1a,us-east-1b,nowhere')).toMatchObject({
      ok: false,
      message: '"nowhere" does not have the expected form',
    });
  });

  it('uses the pattern hint in the fix', () => {
    const q = question({ type: 'string', pattern: '^[^@]+@[^@]+$', patternHint: 'an email address' });
    expect(validateAnswer(q, 'nobody')).toMatchObject({ ok: false, fix: 'Use an email address.' });
  });
});

describe('relationProblems', () => {
  it('enforces requires and excludes between answers', () => {
    const questions = [
      question({ id: 'vpc_id', type: 'string', required: false, requires: ['internet_gateway_id'] }),
      question({ id: 'internet_gateway_id', type: 'string', required: false }),
      question({ id: 'cidr', type: 'cidr', required: false, excludes: ['vpc_id'] }),
    ];
    expect(relationProblems(questions, { vpc_id: 'vpc-1' })).toEqual([
      {
        questionId: 'internet_gateway_id',
        message: 'is needed because vpc_id is set',
        fix: 'Answer internet_gateway_id too, or leave vpc_id empty.',
      },
    ]);
    expect(
      relationProblems(questions, { vpc_id: 'vpc-1', internet_gateway_id: 'igw-1', cidr: '10.0.0.0/16' }),
    ).toHaveLength(1);
    expect(relationProblems(questions, { cidr: '10.0.0.0/16' })).toEqual([]);
  });
});

describe('deploymentNameProblem', () => {
  const rules = {
    pattern: '^[a-z][a-z0-9-]*[a-z0-9]$',
    patternHint: 'lowercase letters',
    maxLength: 20,
    reservedSuffixes: ['cluster', 'cognito'],
  };

  it('refuses reserved suffixes, bad characters and long names', () => {
    expect(deploymentNameProblem(rules, 'class-2026')).toBeUndefined();
    expect(deploymentNameProblem(rules, 'class-cluster')?.message).toContain('reserved');
    expect(deploymentNameProblem(rules, 'Class_2026')?.fix).toBe('Use lowercase letters.');
    expect(deploymentNameProblem(rules, 'a'.repeat(21))?.message).toContain('21 characters');
  });
});

describe('cron answers', () => {
  const q = question({ type: 'cron' });
  it('accepts five UTC fields with ranges, lists and steps', () => {
    expect(validateAnswer(q, '0 18 * * 5')).toEqual({ ok: true, value: '0 18 * * 5' });
    expect(validateAnswer(q, '*/15 0-6,22 1 1-12/2 0')).toMatchObject({ ok: true });
  });
  it('names the field that is wrong', () => {
    expect(validateAnswer(q, '0 18 * *')).toMatchObject({
      ok: false,
      message: '"0 18 * *" has 4 fields, not 5',
    });
    expect(validateAnswer(q, '0 24 * * 5')).toMatchObject({
      ok: false,
      message: 'the hour field allows 0-23, not 24',
    });
    expect(validateAnswer(q, '0 18 * * fri')).toMatchObject({
      ok: false,
      message: expect.stringContaining('day of week'),
    });
  });
});
