import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsSession } from '../../src/aws/aws-context.ts';
import type { Question } from '../../src/blueprint/blueprint-schema.ts';
import { loadBlueprint } from '../../src/blueprint/load-blueprint.ts';
import { StackguideError } from '../../src/errors.ts';
import { nameAvailability } from '../../src/install/deployment-name-check.ts';
import type { Prompter } from '../../src/install/prompter.ts';
import { askDeploymentName, askQuestions, changeAnswer } from '../../src/install/questionnaire.ts';
import { lockParameterName } from '../../src/lock/deployment-lock.ts';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';

/**
 * A prompter that answers from a script by message, records what was asked, and runs each input's
 * checks as the terminal does on Enter: `validate`, then `verify` (which may ask AWS). `refused` holds
 * the messages shown under the prompt, in order; each refused value is followed by the next one typed.
 */
function scripted(typed: Record<string, string[]>): Prompter & { asked: string[]; refused: string[] } {
  const asked: string[] = [];
  const refused: string[] = [];
  return {
    asked,
    refused,
    section: () => undefined,
    confirm: async (question) => {
      asked.push(question.message);
      return question.default ?? true;
    },
    select: async (question) => {
      asked.push(question.message);
      const answer = typed[question.message]?.shift();
      return (answer ?? question.default ?? question.choices[0]?.value) as never;
    },
    password: async (question) => {
      asked.push(question.message);
      return typed[question.message]?.shift() ?? '';
    },
    input: async (question) => {
      asked.push(question.message);
      for (;;) {
        const value = typed[question.message]?.shift() ?? question.default ?? '';
        let verdict = question.validate(value);
        if (verdict === true && question.verify) verdict = await question.verify(value);
        if (verdict === true) return value;
        refused.push(verdict);
        if ((typed[question.message]?.length ?? 0) === 0) throw new Error(`No more answers: ${verdict}`);
      }
    },
  };
}

const request = async (extra: Record<string, unknown> = {}) => ({
  blueprint: await loadBlueprint('blueprints/demo'),
  sets: {},
  env: {},
  ...extra,
});

describe('the questionnaire', () => {
  it('names the value it refuses in every message, and a secret only as a secret', async () => {
    const prompter = scripted({
      'How many seconds may a worker take for one job?': ['abc', '12.5', '60'],
      'Administrator email address': ['', 'ops', 'ops@example.com'],
    });
    await askQuestions(await request(), undefined, prompter);
    expect(prompter.refused).toEqual([
      '"abc" is not a whole number. Give a whole number.',
      '"12.5" is not a whole number. Give a whole number.',
      // Nothing typed is named too (trial finding 95), with the rule the question's help gives.
      'The answer is empty: this question needs one. Use an email address such as ops@example.com.',
      '"ops" does not have the expected form. Use an email address such as ops@example.com.',
    ]);

    // Unattended, the answers file's value is named the same way, once.
    const error = await askQuestions(
      await request({ sets: { jobTimeoutSeconds: 'abc', environment: 'qa' } }),
      undefined,
      undefined,
    ).catch((caught: unknown) => caught);
    expect((error as StackguideError).details.map((detail) => detail.message)).toEqual([
      '"qa" is not one of the choices',
      '"abc" is not a whole number',
    ]);
  });

  it('names an empty answer as such, with what each kind of question takes (trial finding 95)', async () => {
    const base = await request();
    const questions = [
      { id: 'token', type: 'secret', prompt: 'API token', required: true },
      { id: 'zones', type: 'list', prompt: 'Zones', required: true },
      { id: 'size', type: 'number', prompt: 'Size', required: true, integer: true, min: 1, max: 9 },
      { id: 'net', type: 'cidr', prompt: 'Network', required: true },
    ] as Question[];
    const prompter = scripted({
      Zones: ['', 'a, b'],
      Size: ['', '3'],
      Network: ['', '10.0.0.0/16'],
    });
    // The secret's check is run on an empty answer as the terminal would, then a value is typed.
    const secrets: string[] = [];
    const asking: Prompter = {
      ...prompter,
      password: async (question) => {
        const verdict = question.validate('');
        if (typeof verdict === 'string') secrets.push(verdict);
        return 's3cret';
      },
    };
    await askQuestions({ ...base, blueprint: { ...base.blueprint, questions } }, undefined, asking);
    expect(secrets).toEqual([
      'The secret typed is empty: this question needs one. Type it; it is not shown.',
    ]);
    expect(prompter.refused).toEqual([
      'The answer is empty: this question needs one. Give at least one, separated by commas.',
      'The answer is empty: this question needs one. Use a number from 1 to 9.',
      'The answer is empty: this question needs one. Give an IPv4 network in CIDR form, such as 10.0.0.0/16.',
    ]);
  });

  it('names the deployment name it refuses, an empty one too (trial finding 95)', async () => {
    const prompter = scripted({ 'Deployment name': ['', 'Lab', 'lab'] });
    expect(await askDeploymentName(await request(), undefined, prompter)).toBe('lab');
    expect(prompter.refused).toEqual([
      'The deployment name is empty. Give the deployment a name.',
      expect.stringMatching(/^The deployment name "Lab" is not allowed\. Use lowercase letters/),
    ]);
  });

  it('with an answers file, asks only what it lacks that has to be answered', async () => {
    const prompter = scripted({ 'Administrator email address': ['ops@example.com'] });
    const saved = {
      blueprint: 'demo',
      deployment: 'lab',
      region: 'us-east-1',
      answers: { environment: 'prod' },
    };
    const answers = await askQuestions(await request(), saved as never, prompter);
    // Defaults are taken as an unattended run takes them; the one required answer with none is asked.
    expect(prompter.asked).toEqual(['Administrator email address']);
    expect(answers).toMatchObject({
      environment: 'prod',
      jobTimeoutSeconds: 300,
      adminEmail: 'ops@example.com',
    });
  });

  it('changes one answer from the review, offering the current one, and checks it against the others', async () => {
    const { blueprint } = await request();
    const answers = { environment: 'prod', jobTimeoutSeconds: 300, adminEmail: 'ops@example.com' };
    const prompter = scripted({ 'How many seconds may a worker take for one job?': ['x', '120'] });
    const changed = await changeAnswer(prompter, blueprint.questions, answers, 'jobTimeoutSeconds');
    expect(changed).toEqual({ ...answers, jobTimeoutSeconds: 120 });
    // Where it was, in the blueprint's order: the review, its picker and the answers file list it there.
    expect(Object.keys(changed)).toEqual(['environment', 'jobTimeoutSeconds', 'adminEmail']);
    expect(prompter.refused).toEqual(['"x" is not a whole number. Give a whole number.']);

    // A requires-rule between answers is checked as the new answer is typed.
    const questions: Question[] = [
      { id: 'proxy', type: 'boolean', prompt: 'Proxy?', required: false, requires: ['host'] } as Question,
      { id: 'host', type: 'string', prompt: 'Proxy host', required: false } as Question,
      { id: 'port', type: 'string', prompt: 'Port', required: false, requires: ['host'] } as Question,
    ];
    const relation = scripted({ Port: ['8080'] });
    await expect(changeAnswer(relation, questions, { proxy: false }, 'port')).rejects.toThrow(
      /No more answers/,
    );
    expect(relation.refused).toEqual([expect.stringMatching(/^host is needed because port is set/)]);

    await expect(changeAnswer(relation, questions, {}, 'nope')).rejects.toBeInstanceOf(StackguideError);
  });
});

describe('the deployment name, checked against AWS as it is typed', () => {
  let moto: MotoServer;
  beforeAll(async () => {
    // The adapters take credentials from the environment, as the CLI does.
    process.env.AWS_ACCESS_KEY_ID = 'testing';
    process.env.AWS_SECRET_ACCESS_KEY = 'testing';
    moto = await startMotoServer();
    const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
    const config = { region: 'us-east-1', endpoint: moto.endpoint, credentials };
    const cloudFormation = new CloudFormationClient(config);
    const ssm = new SSMClient(config);
    // A stack of the name another tool made, and a lock another run holds.
    await cloudFormation.send(
      new CreateStackCommand({
        StackName: 'taken-data',
        TemplateBody: JSON.stringify({
          Resources: { Topic: { Type: 'AWS::SNS::Topic' } },
        }),
      }),
    );
    await ssm.send(
      new PutParameterCommand({
        Name: lockParameterName('busy'),
        Type: 'String',
        Value: JSON.stringify({
          id: 'l1',
          deployment: 'busy',
          principal: 'arn:aws:iam::123456789012:user/ana',
          host: 'laptop',
          pid: 7,
          command: 'install',
          startedAt: '2026-01-01T00:00:00.000Z',
        }),
      }),
    );
    cloudFormation.destroy();
    ssm.destroy();
  });
  afterAll(async () => {
    await moto?.stop();
  });

  it('refuses a name whose stacks exist or whose lock is held, before any other question', async () => {
    const { blueprint } = await request();
    const aws = createAwsSession({ endpointUrl: moto.endpoint, maxAttempts: 1 }).forRegion('us-east-1');
    const available = nameAvailability(blueprint, { region: 'us-east-1', account: '123456789012' }, aws);
    const prompter = scripted({ 'Deployment name': ['taken', 'busy', 'fresh'] });
    const name = await askDeploymentName(await request(), undefined, prompter, available);
    expect(name).toBe('fresh');
    expect(prompter.refused).toEqual([
      expect.stringMatching(/^taken is taken: taken-data \(not created by stackguide\)\. Pick another/),
      'busy is being changed right now by install by arn:aws:iam::123456789012:user/ana on laptop (pid 7), started at 2026-01-01T00:00:00.000Z. Wait for it to end, or pick another name.',
    ]);
    // AWS out of reach refuses nothing: the check after the questions says why, with its fix.
    const unreachable = createAwsSession({ endpointUrl: 'http://127.0.0.1:9', maxAttempts: 1 }).forRegion(
      'us-east-1',
    );
    const offline = nameAvailability(blueprint, { region: 'us-east-1', account: '1' }, unreachable);
    expect(await offline('fresh')).toBeUndefined();
  });
});
