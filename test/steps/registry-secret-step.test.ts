import { inspect } from 'node:util';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StackguideError } from '../../src/errors.ts';
import {
  passwordVariable,
  registrySecretStep,
  rotateVariable,
} from '../../src/steps/registry-secret/registry-secret-step.ts';
import { SecretText } from '../../src/steps/registry-secret/secret-text.ts';
import { type RegistryLoginStandIn, startRegistryLoginStandIn } from '../standins/registry-login-server.ts';
import {
  type AccountStepContext,
  accountStepContext,
  configOf,
  scriptedPrompter,
  useEndpoints,
} from '../support/account-step-context.ts';
import { freePort } from '../support/free-port.ts';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';

// Secrets Manager is moto's, reached through AWS_ENDPOINT_URL; the registry login is a loopback
// stand-in, reached through STACKGUIDE_REGISTRY_LOGIN_URL or the step's verifyLoginUrl (never Docker Hub).
let moto: MotoServer;
let hub: RegistryLoginStandIn;
let secrets: SecretsManagerClient;
let restoreEnv: () => void;

beforeAll(async () => {
  [moto, hub] = await Promise.all([startMotoServer(), startRegistryLoginStandIn()]);
  restoreEnv = useEndpoints({ moto: moto.endpoint });
  secrets = new SecretsManagerClient({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
});
afterAll(async () => {
  restoreEnv?.();
  secrets?.destroy();
  await Promise.all([hub?.stop(), moto?.stop()]);
});
beforeEach(async () => {
  await moto.reset();
  hub.reset();
  hub.addUser('alice', PASSWORD);
});

const PASSWORD = 'dckr_pat-Wr0ng!Horse#Battery';
const NEW_PASSWORD = 'dckr_pat-Corr3ct$Staple%2';
const config = (raw: Record<string, unknown> = {}) => configOf(registrySecretStep, raw);

function run(options: { env?: Record<string, string>; prompter?: ReturnType<typeof scriptedPrompter> } = {}) {
  return accountStepContext({
    stepId: 'dockerhub',
    env: { STACKGUIDE_REGISTRY_LOGIN_URL: hub.loginUrl, ...options.env },
    ...(options.prompter ? { prompter: options.prompter } : {}),
  });
}

async function secretValue(): Promise<string | undefined> {
  return (await secrets.send(new GetSecretValueCommand({ SecretId: 'dockerhub/creds' }))).SecretString;
}

async function versionCount(): Promise<number> {
  const listed = await secrets.send(new ListSecretVersionIdsCommand({ SecretId: 'dockerhub/creds' }));
  return listed.Versions?.length ?? 0;
}

/** Everything a run emitted or handed back, as any printer, journal or answers file could see it. */
function everything(context: AccountStepContext, ...values: unknown[]): string {
  return [
    JSON.stringify(context.events),
    ...values.map((value) => `${JSON.stringify(value)} ${inspect(value, { depth: 8 })}`),
  ].join('\n');
}

describe('registrySecret step against moto', () => {
  it('creates the secret from a masked password, keeps it on a re-run, rotates it by choice, and never lets the password out', async () => {
    expect(passwordVariable('dockerhub')).toBe('STACKGUIDE_SECRET_DOCKERHUB_PASSWORD');
    const prompter = scriptedPrompter([
      {
        input: 'alice',
        match: /^Docker Hub username$/,
        invalid: [
          ['', /^The username is empty$/],
          ['alice smith', /^The username "alice smith" contains spaces/],
        ],
      },
      {
        password: PASSWORD,
        match: /password or access token for alice/,
        invalid: [
          ['', /^The password is empty$/],
          ['two words', /^The password contains ".+", which .* uses as the separator/],
        ],
      },
    ]);
    const first = run({ prompter });
    const inputs = (await registrySecretStep.ask?.(first, config(), undefined)) ?? {};
    expect(prompter.asked.map((question) => question.kind)).toEqual(['input', 'password']);
    expect(hub.attempts).toEqual(['alice']);

    const saved = registrySecretStep.saveable?.(inputs);
    expect(saved).toEqual({ username: 'alice' });
    const checks = await registrySecretStep.check(first, config(), inputs);
    expect(checks.map((result) => [result.id, result.status, result.summary])).toEqual([
      ['dockerhub.secret', 'warn', 'missing: install creates it with the credentials of alice'],
      ['dockerhub.login', 'pass', `${new URL(hub.loginUrl).host} accepted the login for alice`],
    ]);
    const plan = await registrySecretStep.plan?.(first, config(), inputs);
    expect(plan).toEqual([expect.objectContaining({ action: 'create', resource: 'secret dockerhub/creds' })]);
    const outputs = await registrySecretStep.apply?.(first, config(), inputs);

    // What Secrets Manager holds: the blueprint's format, tagged for the deployment; the ARN is the output.
    expect(await secretValue()).toBe(`alice ${PASSWORD}`);
    const described = await secrets.send(new DescribeSecretCommand({ SecretId: 'dockerhub/creds' }));
    expect(described.Tags).toContainEqual({ Key: 'stackguide:deployment', Value: 'test' });
    expect(outputs).toEqual({ secretArn: described.ARN, secretName: 'dockerhub/creds' });
    expect(first.events).toContainEqual({
      type: 'step.resource-created',
      step: expect.any(String),
      resource: { kind: 'secret', id: described.ARN, name: 'dockerhub/creds' },
    });
    expect(everything(first, inputs, saved, checks, plan, outputs)).not.toContain(PASSWORD);

    // Re-run unattended with nothing but the answers file: kept as it is, no password needed.
    const second = run();
    const kept = (await registrySecretStep.ask?.(second, config(), saved)) ?? {};
    expect(kept).toEqual({ action: 'keep', username: 'alice' });
    expect((await registrySecretStep.check(second, config(), kept))[0]).toMatchObject({
      status: 'pass',
      summary: `exists (${described.ARN})`,
    });
    expect(await registrySecretStep.plan?.(second, config(), kept)).toEqual([]);
    expect(await registrySecretStep.apply?.(second, config(), kept)).toEqual(outputs);
    expect(await versionCount()).toBe(1);
    expect(await secretValue()).toBe(`alice ${PASSWORD}`);

    // Rotation, unattended: asked for by STACKGUIDE_ROTATE_DOCKERHUB=1, the password from the environment.
    const env = { [rotateVariable('dockerhub')]: '1', [passwordVariable('dockerhub')]: NEW_PASSWORD };
    hub.addUser('alice', NEW_PASSWORD);
    const third = run({ env });
    const rotated = (await registrySecretStep.ask?.(third, config(), saved)) ?? {};
    expect(await registrySecretStep.plan?.(third, config(), rotated)).toEqual([
      expect.objectContaining({ action: 'update', resource: 'secret dockerhub/creds' }),
    ]);
    expect(await registrySecretStep.apply?.(third, config(), rotated)).toEqual(outputs);
    expect(await secretValue()).toBe(`alice ${NEW_PASSWORD}`);
    expect(await versionCount()).toBe(2);
    // The same rotation again adds no version.
    await registrySecretStep.apply?.(third, config(), rotated);
    expect(await versionCount()).toBe(2);
    const checks3 = await registrySecretStep.check(third, config(), rotated);
    const all = everything(third, rotated, registrySecretStep.saveable?.(rotated), checks3);
    expect(all).not.toContain(NEW_PASSWORD);
    expect(all).not.toContain(PASSWORD);
  });

  it('offers keep or rotate for an existing secret, interactively', async () => {
    await secrets.send(
      new CreateSecretCommand({ Name: 'dockerhub/creds', SecretString: 'bob hunter2hunter2' }),
    );
    const keep = scriptedPrompter([{ select: 'keep', match: /dockerhub\/creds already exists/ }]);
    expect(await registrySecretStep.ask?.(run({ prompter: keep }), config(), undefined)).toEqual({
      action: 'keep',
    });
    expect(keep.asked[0]).toMatchObject({ choices: ['keep', 'rotate'], default: 'keep' });
    // Keep means keep, whatever else the inputs carry.
    await registrySecretStep.apply?.(run(), config(), {
      action: 'keep',
      username: 'alice',
      password: new SecretText(PASSWORD),
    });
    expect(await secretValue()).toBe('bob hunter2hunter2');

    // Asked again from the review: the file's username is offered, not taken.
    const rotate = scriptedPrompter([{ select: 'rotate' }, { input: 'alice' }, { password: PASSWORD }]);
    const context = { ...run({ prompter: rotate }), reask: true };
    const inputs = (await registrySecretStep.ask?.(context, config(), { username: 'bob' })) ?? {};
    expect(rotate.asked[1]).toMatchObject({ kind: 'input', default: 'bob' });
    await registrySecretStep.apply?.(context, config(), inputs);
    expect(await secretValue()).toBe(`alice ${PASSWORD}`);
    // A secret stackguide did not create is not tagged as the deployment's (destroy must not take it).
    const described = await secrets.send(new DescribeSecretCommand({ SecretId: 'dockerhub/creds' }));
    expect(described.Tags ?? []).not.toContainEqual(
      expect.objectContaining({ Key: 'stackguide:deployment' }),
    );
  });

  it('asks nothing the answers file holds, in a terminal too (trial findings 21 and 38)', async () => {
    await secrets.send(
      new CreateSecretCommand({ Name: 'dockerhub/creds', SecretString: `alice ${PASSWORD}` }),
    );
    // The file names the username: the secret is kept, as unattended, with no question.
    const none = scriptedPrompter([]);
    expect(await registrySecretStep.ask?.(run({ prompter: none }), config(), { username: 'alice' })).toEqual({
      action: 'keep',
      username: 'alice',
    });
    expect(none.asked).toEqual([]);
    // A password in the environment without STACKGUIDE_ROTATE_DOCKERHUB=1: kept, and the check says so.
    const given = run({ prompter: none, env: { [passwordVariable('dockerhub')]: NEW_PASSWORD } });
    const kept = (await registrySecretStep.ask?.(given, config(), { username: 'alice' })) ?? {};
    const [secret] = await registrySecretStep.check(given, config(), kept);
    expect(secret?.summary).toMatch(
      /\); STACKGUIDE_SECRET_DOCKERHUB_PASSWORD is not stored \(STACKGUIDE_ROTATE_DOCKERHUB=1 stores it\)$/,
    );
    expect(JSON.stringify(secret)).not.toContain(NEW_PASSWORD);

    // STACKGUIDE_ROTATE_DOCKERHUB=1 with the password in the environment: stored, still no question.
    hub.addUser('alice', NEW_PASSWORD);
    const env = { [rotateVariable('dockerhub')]: '1', [passwordVariable('dockerhub')]: NEW_PASSWORD };
    const rotating = run({ env, prompter: none });
    const rotated = (await registrySecretStep.ask?.(rotating, config(), { username: 'alice' })) ?? {};
    expect(none.asked).toEqual([]);
    await registrySecretStep.apply?.(rotating, config(), rotated);
    expect(await secretValue()).toBe(`alice ${NEW_PASSWORD}`);

    // No secret yet and no password in the environment: only the password is asked, masked.
    await moto.reset();
    hub.addUser('alice', PASSWORD);
    const password = scriptedPrompter([{ password: PASSWORD, match: /password or access token for alice/ }]);
    const created = run({ prompter: password });
    const inputs = (await registrySecretStep.ask?.(created, config(), { username: 'alice' })) ?? {};
    expect(password.asked.map((question) => question.kind)).toEqual(['password']);
    await registrySecretStep.apply?.(created, config(), inputs);
    expect(await secretValue()).toBe(`alice ${PASSWORD}`);
  });

  it('preflight in a terminal never asks for a password: the check says install asks for it (trial finding 42)', async () => {
    const none = scriptedPrompter([]);
    const context = { ...run({ prompter: none }), readOnly: true };
    const inputs = (await registrySecretStep.ask?.(context, config(), { username: 'alice' })) ?? {};
    expect(none.asked).toEqual([]);
    expect((await registrySecretStep.check(context, config(), inputs))[0]).toMatchObject({
      status: 'warn',
      summary: 'missing: install asks for the Docker Hub credentials and creates it',
    });
    expect(await registrySecretStep.plan?.(context, config(), inputs)).toEqual([]);

    // An existing secret: kept, no question either (what to store is install's to ask).
    await secrets.send(
      new CreateSecretCommand({ Name: 'dockerhub/creds', SecretString: `alice ${PASSWORD}` }),
    );
    const existing = (await registrySecretStep.ask?.(context, config(), undefined)) ?? {};
    expect(existing).toEqual({ action: 'keep' });
    expect(none.asked).toEqual([]);
    // A password in the environment is what preflight checks with.
    const given = {
      ...run({ prompter: none, env: { [passwordVariable('dockerhub')]: PASSWORD } }),
      readOnly: true,
    };
    await moto.reset();
    const checked = (await registrySecretStep.ask?.(given, config(), { username: 'alice' })) ?? {};
    expect((await registrySecretStep.check(given, config(), checked)).map((result) => result.status)).toEqual(
      ['warn', 'pass'],
    );
    expect(none.asked).toEqual([]);
  });

  it('unattended without the password: a failing check and an error that name what to set', async () => {
    const context = run();
    const inputs = (await registrySecretStep.ask?.(context, config(), undefined)) ?? {};
    const [secret] = await registrySecretStep.check(context, config(), inputs);
    expect(secret).toMatchObject({
      id: 'dockerhub.secret',
      status: 'fail',
      required: true,
      summary: 'The secret dockerhub/creds does not exist and there are no credentials to create it with',
    });
    expect(secret?.fix).toContain('STACKGUIDE_SECRET_DOCKERHUB_PASSWORD');
    expect(secret?.fix).toContain('steps.dockerhub.username');
    const error = await registrySecretStep
      .apply?.(context, config(), inputs)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StackguideError);
    expect((error as StackguideError).code).toBe('step.registry-secret.credentials-missing');
    expect((error as StackguideError).details.map((detail) => detail.path)).toEqual([
      'steps.dockerhub.username',
      'STACKGUIDE_SECRET_DOCKERHUB_PASSWORD',
    ]);
    // Nothing was created.
    const missing = await secrets
      .send(new DescribeSecretCommand({ SecretId: 'dockerhub/creds' }))
      .catch((caught: { name: string }) => caught.name);
    expect(missing).toBe('ResourceNotFoundException');
  });

  it('fails the login check for a wrong password without ever showing it, and re-asks interactively', async () => {
    const wrong = 'not-the-Pa55word!';
    const env = { [passwordVariable('dockerhub')]: wrong };
    const context = run({ env });
    const inputs = (await registrySecretStep.ask?.(context, config(), { username: 'alice' })) ?? {};
    const checks = await registrySecretStep.check(context, config(), inputs);
    const login = checks.find((result) => result.id === 'dockerhub.login');
    expect(login).toMatchObject({
      status: 'fail',
      required: true,
      summary: `${new URL(hub.loginUrl).host} rejected the username or password for alice (HTTP 401)`,
    });
    expect(everything(context, inputs, checks)).not.toContain(wrong);

    const prompter = scriptedPrompter([
      { input: 'alice' },
      { password: wrong },
      { select: 'again', match: /rejected the username or password for alice \(HTTP 401\)\. What now\?/ },
      { input: 'alice' },
      { password: PASSWORD },
    ]);
    const interactive = run({ prompter });
    const retried = (await registrySecretStep.ask?.(interactive, config(), undefined)) ?? {};
    expect(prompter.remaining()).toBe(0);
    await registrySecretStep.apply?.(interactive, config(), retried);
    expect(await secretValue()).toBe(`alice ${PASSWORD}`);
    // Stored anyway at the operator's choice: a warning, not a failure that stops the install.
    const anyway = scriptedPrompter([
      { select: 'rotate' },
      { input: 'alice' },
      { password: wrong },
      { select: 'store' },
    ]);
    const stored = run({ prompter: anyway });
    const storedInputs = (await registrySecretStep.ask?.(stored, config(), undefined)) ?? {};
    expect((await registrySecretStep.check(stored, config(), storedInputs))[1]).toMatchObject({
      status: 'warn',
      summary: expect.stringContaining('stored anyway, as you chose'),
    });
    const seen = everything(interactive, retried, prompter.asked, storedInputs);
    expect(seen).not.toContain(wrong);
    expect(seen).not.toContain(PASSWORD);
  });

  it('says to use an access token when the account has two-factor authentication', async () => {
    hub.addUser('carol', PASSWORD, { twoFactor: true });
    const context = run({ env: { [passwordVariable('dockerhub')]: PASSWORD } });
    const inputs = (await registrySecretStep.ask?.(context, config(), { username: 'carol' })) ?? {};
    const login = (await registrySecretStep.check(context, config(), inputs))[1];
    expect(login).toMatchObject({
      status: 'fail',
      summary: expect.stringContaining('personal access token'),
    });
  });

  it('skips the check with a warning, never a failure, when the endpoint cannot be reached or is failing', async () => {
    const closed = `http://127.0.0.1:${await freePort()}/v2/users/login`;
    const offline = run({
      env: { STACKGUIDE_REGISTRY_LOGIN_URL: closed, [passwordVariable('dockerhub')]: PASSWORD },
    });
    const inputs = (await registrySecretStep.ask?.(offline, config(), { username: 'alice' })) ?? {};
    expect(offline.events).toEqual([
      {
        type: 'warning',
        code: 'registry.login-unchecked',
        message: `The registry login was not checked: could not reach ${new URL(closed).host} (ECONNREFUSED). The credentials are stored as given.`,
      },
    ]);
    const checks = await registrySecretStep.check(offline, config(), inputs);
    expect(checks[1]).toMatchObject({ id: 'dockerhub.login', status: 'warn' });
    await registrySecretStep.apply?.(offline, config(), inputs);
    expect(await secretValue()).toBe(`alice ${PASSWORD}`);

    hub.failNext(503);
    // The secret exists now: rotation makes the run take (and check) credentials again.
    const failing = run({
      env: { [passwordVariable('dockerhub')]: PASSWORD, [rotateVariable('dockerhub')]: '1' },
    });
    const again = (await registrySecretStep.ask?.(failing, config(), { username: 'alice' })) ?? {};
    expect((await registrySecretStep.check(failing, config(), again))[1]).toMatchObject({
      status: 'warn',
      summary: `${new URL(hub.loginUrl).host} answered HTTP 503; the login was not checked`,
    });
  });

  it('takes the endpoint from the config, lets STACKGUIDE_REGISTRY_LOGIN_URL override it, and can skip it', async () => {
    const fromConfig = accountStepContext({
      stepId: 'dockerhub',
      env: { [passwordVariable('dockerhub')]: PASSWORD },
    });
    await registrySecretStep.ask?.(fromConfig, config({ verifyLoginUrl: hub.loginUrl }), {
      username: 'alice',
    });
    expect(hub.attempts).toEqual(['alice']);

    // The default (Docker Hub itself) is replaced by the variable: the stand-in is asked, not the internet.
    expect(config().verifyLoginUrl).toBe('https://hub.docker.com/v2/users/login');
    await registrySecretStep.ask?.(run({ env: { [passwordVariable('dockerhub')]: PASSWORD } }), config(), {
      username: 'alice',
    });
    expect(hub.attempts).toEqual(['alice', 'alice']);

    const skipped = await registrySecretStep.ask?.(
      run({ env: { STACKGUIDE_REGISTRY_LOGIN_URL: 'off', [passwordVariable('dockerhub')]: PASSWORD } }),
      config(),
      { username: 'alice' },
    );
    const off = await registrySecretStep.ask?.(
      accountStepContext({ stepId: 'dockerhub', env: { [passwordVariable('dockerhub')]: PASSWORD } }),
      config({ verifyLoginUrl: false }),
      { username: 'alice' },
    );
    expect(hub.attempts).toHaveLength(2);
    expect(skipped).not.toHaveProperty('verification');
    expect(off).not.toHaveProperty('verification');
  });

  it('stores the blueprint format under the blueprint name, and restores a secret scheduled for deletion', async () => {
    const raw = { secretName: 'registry/build', format: '{"user":"{username}","pass":"{password}"}' };
    await secrets.send(new CreateSecretCommand({ Name: 'registry/build', SecretString: 'old' }));
    await secrets.send(new DeleteSecretCommand({ SecretId: 'registry/build', RecoveryWindowInDays: 7 }));
    const context = run({ env: { [passwordVariable('dockerhub')]: PASSWORD } });
    const inputs = (await registrySecretStep.ask?.(context, config(raw), { username: 'alice' })) ?? {};
    expect(inputs).toMatchObject({ action: 'restore' });
    expect((await registrySecretStep.check(context, config(raw), inputs))[0]).toMatchObject({
      status: 'warn',
      summary: 'scheduled for deletion: install restores it and stores the credentials of alice',
    });
    const outputs = await registrySecretStep.apply?.(context, config(raw), inputs);
    expect(outputs?.secretName).toBe('registry/build');
    const value = await secrets.send(new GetSecretValueCommand({ SecretId: 'registry/build' }));
    expect(JSON.parse(value.SecretString ?? '')).toEqual({ user: 'alice', pass: PASSWORD });
    const described = await secrets.send(new DescribeSecretCommand({ SecretId: 'registry/build' }));
    expect(described.DeletedDate).toBeUndefined();
  });

  it('refuses a configuration whose format has no {password}', () => {
    expect(() => config({ format: '{username}' })).toThrow(/must contain \{password\}/);
  });
});
