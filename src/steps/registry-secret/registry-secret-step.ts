import type { SecretDescription } from '../../aws/secrets-manager-port.ts';
import { secretsManagerPort } from '../../aws/secrets-manager-port.ts';
import { DEPLOYMENT_TAG } from '../../deployment-tags.ts';
import { type ErrorDetail, StackguideError } from '../../errors.ts';
import type { Prompter } from '../../install/prompter.ts';
import {
  type AskContext,
  type CheckResult,
  defineStep,
  type PlannedChange,
  resourceCreated,
  type StepContext,
} from '../step.ts';
import { type LoginVerification, verifyRegistryLogin } from './registry-login.ts';
import { type RegistrySecretConfig, registrySecretConfig } from './registry-secret-config.ts';
import { SecretText } from './secret-text.ts';

/**
 * Registry credentials in Secrets Manager (seed 001, "Add dockerhub credentials to AWS Secrets
 * Manager"): the platform's builds pull public images through an account of their own, because Docker
 * Hub rate-limits anonymous pulls from the build servers' shared addresses. The password is typed
 * masked (or, unattended, read from STACKGUIDE_SECRET_<STEPID>_PASSWORD), optionally tried against the
 * registry's login endpoint, and stored in the blueprint's format; only the secret's ARN is kept. The
 * password is never saved, emitted, logged or put in an error: it travels in a SecretText, which
 * prints and serialises as a placeholder.
 *
 * An existing secret is kept or rotated by choice (unattended: kept unless STACKGUIDE_ROTATE_<STEPID>=1);
 * it is often shared by several deployments (the seed says so), so stackguide never deletes or re-tags
 * one it did not create.
 */

type Action = 'create' | 'keep' | 'rotate' | 'restore';

interface RegistryInputs {
  /** Decided in ask from what Secrets Manager holds; absent when ask did not run (status). */
  action?: Action;
  username?: string;
  password?: SecretText;
  /** Credentials that were needed but not given (unattended): what to set. */
  missing?: ErrorDetail[];
  verification?: LoginVerification;
  /** The operator chose to store credentials the registry rejected. Never saved. */
  storeRejected?: boolean;
  /** Preflight in a terminal: the credentials were not asked; install asks for them. */
  askedByInstall?: boolean;
}

/** STACKGUIDE_SECRET_<STEPID>_PASSWORD: the step id upper-cased, e.g. STACKGUIDE_SECRET_DOCKERHUB_PASSWORD. */
export function passwordVariable(stepId: string): string {
  return `STACKGUIDE_SECRET_${envId(stepId)}_PASSWORD`;
}

/** STACKGUIDE_ROTATE_<STEPID>=1 replaces an existing secret in an unattended run. */
export function rotateVariable(stepId: string): string {
  return `STACKGUIDE_ROTATE_${envId(stepId)}`;
}

/** Named in the fixes; read into `settings.registryLoginUrl` by src/settings.ts. */
const LOGIN_URL_VARIABLE = 'STACKGUIDE_REGISTRY_LOGIN_URL';

export const registrySecretStep = defineStep<typeof registrySecretConfig.configSchema, RegistryInputs>({
  ...registrySecretConfig,

  async ask(context, config, saved) {
    const existing = await context.aws.use(secretsManagerPort).describeSecret(config.secretName);
    const savedUsername = typeof saved?.username === 'string' ? saved.username : undefined;
    // The answers file holds the username: the credentials were stored by an earlier run, and what it
    // lacks follows the unattended rule (README, "The answers file") rather than a question.
    const fromFile = savedUsername !== undefined && context.reask !== true;
    const action = await chooseAction(context, config, existing, fromFile);
    if (action === 'keep') return { action, ...(savedUsername ? { username: savedUsername } : {}) };
    const prompter = context.prompter;
    if (!prompter) return credentialsFromEnvironment(context, config, action, savedUsername);
    if (context.readOnly === true) {
      // Preflight stores nothing, so it never asks for a password: one in the environment is checked,
      // else the check says that install asks for it.
      const given = await credentialsFromEnvironment(context, config, action, savedUsername);
      if (!given.missing) return given;
      return { action, ...(savedUsername ? { username: savedUsername } : {}), askedByInstall: true };
    }
    // The username from the file, the password from the environment when given: nothing to ask.
    if (fromFile && context.env[passwordVariable(context.stepId)])
      return credentialsFromEnvironment(context, config, action, savedUsername);
    return askCredentials(context, prompter, config, action, savedUsername, fromFile);
  },

  saveable(inputs) {
    // The username only: the password is never written anywhere.
    return inputs.username ? { username: inputs.username } : {};
  },

  async check(context, config, inputs): Promise<CheckResult[]> {
    const existing = await context.aws.use(secretsManagerPort).describeSecret(config.secretName);
    const results = [secretResult(context, config, inputs, existing)];
    if (inputs.verification)
      results.push(loginResult(context, config, inputs.verification, inputs.storeRejected === true));
    return results;
  },

  async plan(context, config, inputs): Promise<PlannedChange[]> {
    const existing = await context.aws.use(secretsManagerPort).describeSecret(config.secretName);
    const resource = `secret ${config.secretName}`;
    if (!hasCredentials(inputs)) return [];
    if (!existing) {
      return [
        {
          step: context.stepId,
          action: 'create',
          resource,
          detail: `${config.registry} credentials of ${inputs.username}, tagged stackguide:deployment=${context.deployment}`,
        },
      ];
    }
    if (inputs.action === 'keep') return [];
    return [
      {
        step: context.stepId,
        action: 'update',
        resource,
        detail: existing.deletedDate
          ? `restore it (scheduled for deletion) and store the credentials of ${inputs.username}`
          : `a new version with the credentials of ${inputs.username}`,
      },
    ];
  },

  async apply(context, config, inputs) {
    const secrets = context.aws.use(secretsManagerPort);
    const existing = await secrets.describeSecret(config.secretName);
    if (inputs.action === 'keep' || !hasCredentials(inputs)) {
      if (existing && !existing.deletedDate && inputs.action !== 'rotate') {
        progress(context, `Kept the secret ${config.secretName}`, existing.arn);
        return outputs(config, existing.arn);
      }
      throw missingCredentialsError(context, config, inputs, existing);
    }
    const value = new SecretText(secretValue(config.format, inputs.username, inputs.password));
    if (!existing) {
      progress(context, `Creating the secret ${config.secretName}`);
      const { arn } = await secrets.createSecret({
        name: config.secretName,
        secretString: value.reveal(),
        description: `${config.registry} credentials for the builds of ${context.deployment} (stored by stackguide)`,
        tags: { [DEPLOYMENT_TAG]: context.deployment },
      });
      resourceCreated(context, { kind: 'secret', id: arn, name: config.secretName });
      progress(context, `Created the secret ${config.secretName}`, arn);
      return outputs(config, arn);
    }
    if (existing.deletedDate) {
      progress(
        context,
        `Restoring the secret ${config.secretName}, which was scheduled for deletion`,
        existing.arn,
      );
      await secrets.restoreSecret(existing.arn || config.secretName);
    }
    // Idempotent: a re-run with the same credentials adds no version.
    if ((await secrets.getSecretString(existing.arn || config.secretName)) === value.reveal()) {
      progress(context, `The secret ${config.secretName} already holds these credentials`, existing.arn);
      return outputs(config, existing.arn);
    }
    progress(context, `Storing new credentials in the secret ${config.secretName}`, existing.arn);
    const { arn } = await secrets.putSecretValue(existing.arn || config.secretName, value.reveal());
    progress(context, `Stored new credentials in the secret ${config.secretName}`, arn || existing.arn);
    return outputs(config, arn || existing.arn);
  },
});

async function chooseAction(
  context: AskContext,
  config: RegistrySecretConfig,
  existing: SecretDescription | undefined,
  fromFile: boolean,
): Promise<Action> {
  if (!existing) return 'create';
  if (existing.deletedDate) return 'restore';
  // Unattended, from an answers file, or in preflight (which stores nothing): kept unless
  // STACKGUIDE_ROTATE_<STEPID>=1.
  if (!context.prompter || fromFile || context.readOnly === true)
    return context.env[rotateVariable(context.stepId)] === '1' ? 'rotate' : 'keep';
  const changed = existing.lastChangedDate ? `, last changed ${existing.lastChangedDate.slice(0, 10)}` : '';
  context.prompter.section(`${config.registry} credentials`);
  return context.prompter.select<Action>({
    message: `The secret ${config.secretName} already exists${changed}. Keep it or store new credentials?`,
    choices: [
      {
        value: 'keep',
        name: 'Keep it',
        description: 'Other deployments may use it too; nothing is changed.',
      },
      {
        value: 'rotate',
        name: 'Store new credentials in it',
        description: 'A new version of the same secret, for every deployment that reads it.',
      },
    ],
    default: 'keep',
  });
}

async function askCredentials(
  context: AskContext,
  prompter: Prompter,
  config: RegistrySecretConfig,
  action: Action,
  savedUsername: string | undefined,
  /** The answers file's username is used as it is: only the password is asked (at first). */
  usernameKnown: boolean,
): Promise<RegistryInputs> {
  if (action === 'create' || usernameKnown) prompter.section(`${config.registry} credentials`);
  const loginUrl = loginUrlOf(context, config);
  let suggested = savedUsername;
  let known = usernameKnown ? savedUsername : undefined;
  for (;;) {
    const username =
      known ??
      (
        await prompter.input({
          message: `${config.registry} username`,
          help: `Stored with the password in the secret ${config.secretName}; the username is saved in the answers file, the password never.`,
          ...(suggested ? { default: suggested } : {}),
          validate: (value) => usernameProblem(value.trim()) ?? true,
        })
      ).trim();
    known = undefined;
    const password = new SecretText(
      await prompter.password({
        message: `${config.registry} password or access token for ${username}`,
        help: 'Typed masked; stored only in Secrets Manager.',
        validate: (value) => passwordProblem(config, value) ?? true,
      }),
    );
    if (!loginUrl) return { action, username, password };
    const verification = await verifyRegistryLogin(loginUrl, username, password, context.signal);
    if (verification.status === 'skipped') warnSkipped(context, verification);
    if (verification.status !== 'rejected') return { action, username, password, verification };
    const next = await prompter.select<'again' | 'store' | 'stop'>({
      message: `${verification.detail}. What now?`,
      choices: [
        { value: 'again', name: 'Type the username and password again' },
        {
          value: 'store',
          name: 'Store them anyway',
          description: 'The builds will fail to log in if they are wrong.',
        },
        { value: 'stop', name: 'Stop here', description: 'Nothing has been changed.' },
      ],
      default: 'again',
    });
    if (next === 'store') return { action, username, password, verification, storeRejected: true };
    if (next === 'stop') {
      throw new StackguideError('Stopped at your request: nothing was changed', {
        code: 'cancelled',
        kind: 'cancelled',
      });
    }
    suggested = username;
  }
}

async function credentialsFromEnvironment(
  context: AskContext,
  config: RegistrySecretConfig,
  action: Action,
  savedUsername: string | undefined,
): Promise<RegistryInputs> {
  const variable = passwordVariable(context.stepId);
  const raw = context.env[variable];
  const missing: ErrorDetail[] = [];
  if (!savedUsername) {
    missing.push({
      path: `steps.${context.stepId}.username`,
      message: `the ${config.registry} username is not in the answers file`,
      fix: `Set steps.${context.stepId}.username in the answers file.`,
    });
  } else if (usernameProblem(savedUsername)) {
    missing.push({
      path: `steps.${context.stepId}.username`,
      message: usernameProblem(savedUsername) ?? '',
      fix: `Set steps.${context.stepId}.username to the ${config.registry} username.`,
    });
  }
  if (!raw) {
    missing.push({
      path: variable,
      message: `the ${config.registry} password is not set`,
      fix: `Set the environment variable ${variable} (a password or access token); secrets are never read from files.`,
    });
  } else if (passwordProblem(config, raw)) {
    missing.push({ path: variable, message: passwordProblem(config, raw) ?? '' });
  }
  if (missing.length > 0 || !savedUsername || !raw)
    return { action, ...(savedUsername ? { username: savedUsername } : {}), missing };
  const password = new SecretText(raw);
  const loginUrl = loginUrlOf(context, config);
  if (!loginUrl) return { action, username: savedUsername, password };
  const verification = await verifyRegistryLogin(loginUrl, savedUsername, password, context.signal);
  if (verification.status === 'skipped') warnSkipped(context, verification);
  return { action, username: savedUsername, password, verification };
}

/** The login endpoint to try, or undefined when verification is off. */
function loginUrlOf(context: StepContext, config: RegistrySecretConfig): string | undefined {
  const override = context.settings.registryLoginUrl;
  if (override !== undefined) return override === false ? undefined : override;
  return config.verifyLoginUrl === false ? undefined : config.verifyLoginUrl;
}

function warnSkipped(context: StepContext, verification: LoginVerification): void {
  context.emit({
    type: 'warning',
    code: 'registry.login-unchecked',
    message: `The registry login was not checked: ${verification.detail}. The credentials are stored as given.`,
  });
}

function hasCredentials(
  inputs: RegistryInputs,
): inputs is RegistryInputs & { username: string; password: SecretText; action: Action } {
  return inputs.action !== undefined && inputs.username !== undefined && inputs.password !== undefined;
}

/** `{username}` and `{password}` filled in one pass, so neither value is read as a placeholder. */
function secretValue(format: string, username: string, password: SecretText): string {
  return format.replace(/\{(username|password)\}/g, (_match, key: string) =>
    key === 'username' ? username : password.reveal(),
  );
}

/** Names the value refused (trial finding 95), under the prompt and in an answers file's problem alike. */
function usernameProblem(value: string): string | undefined {
  if (value === '') return 'The username is empty';
  return /\s/.test(value)
    ? `The username ${JSON.stringify(value)} contains spaces; use it without them`
    : undefined;
}

/** Names the password as such, never quoting it: the message may be shown, logged or put in an error. */
function passwordProblem(config: RegistrySecretConfig, value: string): string | undefined {
  if (value === '') return 'The password is empty';
  if (/[\r\n]/.test(value)) return 'The password is more than one line; it must be one';
  const separator = /\{username\}(.*)\{password\}|\{password\}(.*)\{username\}/s.exec(config.format);
  const between = separator?.[1] ?? separator?.[2] ?? '';
  if (between !== '' && value.includes(between))
    return `The password contains "${between}", which the secret's format ${JSON.stringify(config.format)} uses as the separator: use an access token without it`;
  return undefined;
}

function secretResult(
  context: StepContext,
  config: RegistrySecretConfig,
  inputs: RegistryInputs,
  existing: SecretDescription | undefined,
): CheckResult {
  const base = {
    id: `${context.stepId}.secret`,
    step: context.stepId,
    title: `${config.registry} credentials in the secret ${config.secretName}`,
    required: true,
  };
  const facts = {
    secretName: config.secretName,
    ...(existing ? { secretArn: existing.arn } : {}),
    ...(existing?.lastChangedDate ? { lastChangedDate: existing.lastChangedDate } : {}),
    ...(existing?.deletedDate ? { deletedDate: existing.deletedDate } : {}),
    ...(inputs.action ? { action: inputs.action } : {}),
  };
  const live = existing && !existing.deletedDate;
  if (live && inputs.action !== 'rotate') {
    // The documented rule keeps it even when a password is given: say so, or the operator believes the
    // password in the environment was stored.
    const ignored = context.env[passwordVariable(context.stepId)]
      ? `; ${passwordVariable(context.stepId)} is not stored (${rotateVariable(context.stepId)}=1 stores it)`
      : '';
    // What it found, not what install decides: status and preflight show this too (trial finding 84).
    return { ...base, status: 'pass', summary: `exists (${existing.arn})${ignored}`, facts };
  }
  if (inputs.askedByInstall) {
    const summary = live
      ? `exists (${existing.arn}); install asks for the new credentials (${rotateVariable(context.stepId)}=1) and stores them in it`
      : existing
        ? `scheduled for deletion: install asks for the ${config.registry} credentials, restores it and stores them`
        : `missing: install asks for the ${config.registry} credentials and creates it`;
    return {
      ...base,
      status: live ? 'pass' : 'warn',
      summary,
      facts,
      ...(live
        ? {}
        : { fix: 'Run stackguide install, which asks for the credentials (masked) and stores them.' }),
    };
  }
  if (hasCredentials(inputs)) {
    const summary = live
      ? `exists (${existing.arn}); install stores the new credentials of ${inputs.username} in it`
      : existing
        ? `scheduled for deletion: install restores it and stores the credentials of ${inputs.username}`
        : `missing: install creates it with the credentials of ${inputs.username}`;
    return {
      ...base,
      status: live ? 'pass' : 'warn',
      summary,
      facts,
      ...(live ? {} : { plannedByInstall: true, fix: 'Run stackguide install, which stores it.' }),
    };
  }
  const error = missingCredentialsError(context, config, inputs, existing);
  return {
    ...base,
    status: 'fail',
    summary: error.message,
    fix: error.nextSteps.join(' '),
    facts,
  };
}

function loginResult(
  context: StepContext,
  config: RegistrySecretConfig,
  verification: LoginVerification,
  storeRejected: boolean,
): CheckResult {
  const base = {
    id: `${context.stepId}.login`,
    step: context.stepId,
    title: `${config.registry} accepts the credentials`,
    required: true,
    summary: verification.detail,
    facts: { verification: verification.status },
  };
  switch (verification.status) {
    case 'verified':
      return { ...base, status: 'pass' };
    case 'skipped':
      return {
        ...base,
        status: 'warn',
        fix: `Nothing to do if the credentials are right; check them by logging in at the registry. ${LOGIN_URL_VARIABLE}=off skips the check.`,
      };
    case 'rejected':
      if (storeRejected) {
        return {
          ...base,
          status: 'warn',
          summary: `${verification.detail}; stored anyway, as you chose`,
          fix: 'If the builds cannot pull images, run stackguide install again and store the right credentials.',
        };
      }
      return {
        ...base,
        status: 'fail',
        fix: `Give the right username and password (or an access token): run stackguide install in a terminal, or set steps.${context.stepId}.username and ${passwordVariable(context.stepId)}. To store them unchecked, set ${LOGIN_URL_VARIABLE}=off.`,
      };
  }
}

function missingCredentialsError(
  context: StepContext,
  config: RegistrySecretConfig,
  inputs: RegistryInputs,
  existing: SecretDescription | undefined,
): StackguideError {
  const variable = passwordVariable(context.stepId);
  const details: ErrorDetail[] =
    inputs.missing && inputs.missing.length > 0
      ? inputs.missing
      : [
          {
            path: variable,
            message: `the ${config.registry} password is not set`,
            fix: `Set ${variable} and steps.${context.stepId}.username.`,
          },
        ];
  const what = !existing
    ? `The secret ${config.secretName} does not exist and there are no credentials to create it with`
    : existing.deletedDate
      ? `The secret ${config.secretName} is scheduled for deletion and there are no credentials to restore it with`
      : `New credentials for the secret ${config.secretName} were asked for (${rotateVariable(context.stepId)}=1) but not given`;
  return new StackguideError(what, {
    code: 'step.registry-secret.credentials-missing',
    kind: 'user',
    details,
    nextSteps: [
      `Run stackguide install in a terminal to type them (masked), or set steps.${context.stepId}.username in the answers file and the environment variable ${variable}.`,
      ...(existing?.deletedDate
        ? [`Or restore the old value: aws secretsmanager restore-secret --secret-id ${config.secretName}`]
        : []),
    ],
  });
}

function outputs(config: RegistrySecretConfig, arn: string): Record<string, string> {
  return { secretArn: arn, secretName: config.secretName };
}

function progress(context: StepContext, message: string, secretArn?: string): void {
  context.emit({
    type: 'step.progress',
    step: context.stepId,
    message,
    ...(secretArn ? { facts: { secretArn } } : {}),
  });
}

function envId(stepId: string): string {
  return stepId.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}
