import { readFile } from 'node:fs/promises';
import type { Blueprint } from '../blueprint/load-blueprint.ts';
import { passwordVariable } from '../steps/registry-secret/registry-secret-step.ts';
import type { RedactionKind, SecretValue } from './redaction.ts';

/**
 * What the blueprint says is secret in an answers file: the answers to `secret` questions, answers that
 * feed a template parameter marked NoEcho (the template's own word that the value is sensitive), and
 * the passwords of registry-secret steps (`steps.<id>.password`, which install never writes).
 */
export interface SensitiveKeys {
  answers: ReadonlyMap<string, RedactionKind>;
  /** Step ids whose `password` is a registry password. */
  registrySteps: readonly string[];
}

const ANSWER_REFERENCE = /\{\{\s*answers\.([A-Za-z0-9_-]+)\s*\}\}/g;

export function sensitiveKeys(blueprint: Blueprint | undefined): SensitiveKeys {
  const answers = new Map<string, RedactionKind>();
  if (!blueprint) return { answers, registrySteps: [] };
  for (const stack of blueprint.stacks) {
    const parameters = blueprint.templates[stack.id]?.summary.parameters ?? {};
    for (const [name, value] of Object.entries(stack.parameters ?? {})) {
      if (!parameters[name]?.noEcho || typeof value !== 'string') continue;
      for (const match of value.matchAll(ANSWER_REFERENCE))
        if (match[1]) answers.set(match[1], 'sensitive answer');
    }
  }
  // A secret question is a secret answer even when it also feeds a NoEcho parameter.
  for (const question of blueprint.questions)
    if (question.type === 'secret') answers.set(question.id, 'secret answer');
  const registrySteps = [...blueprint.steps, ...blueprint.upgrade.before]
    .filter((step) => step.kind === 'registrySecret')
    .map((step) => step.id);
  return { answers, registrySteps };
}

/** Keys of the shared AWS files whose values are credentials. */
const SHARED_FILE_KEYS: Readonly<Record<string, RedactionKind>> = {
  aws_access_key_id: 'access key id',
  aws_secret_access_key: 'secret access key',
  aws_session_token: 'session token',
  aws_security_token: 'session token',
};

const ENVIRONMENT_KEYS: Readonly<Record<string, RedactionKind>> = {
  AWS_ACCESS_KEY_ID: 'access key id',
  AWS_SECRET_ACCESS_KEY: 'secret access key',
  AWS_SESSION_TOKEN: 'session token',
  AWS_SECURITY_TOKEN: 'session token',
};

export interface SecretSources {
  blueprint: Blueprint | undefined;
  keys: SensitiveKeys;
  /** The answers file as parsed (leniently): values under secret keys are secrets too. */
  answers: unknown;
  env: Readonly<Record<string, string | undefined>>;
  /** The shared config and credentials files in scope; a missing or unreadable one is skipped. */
  sharedFiles: readonly string[];
}

/**
 * Every secret value this machine has in scope for the deployment: the environment a re-run reads
 * (STACKGUIDE_SECRET_*, the AWS credential variables), what the answers file holds under secret keys,
 * and the credentials of every profile in the shared AWS files. None of them leaves this process: they
 * go to the Redactor and nowhere else.
 */
export async function secretValues(sources: SecretSources): Promise<SecretValue[]> {
  const values: SecretValue[] = [];
  const registryVariables = new Set(sources.keys.registrySteps.map(passwordVariable));
  for (const [name, value] of Object.entries(sources.env)) {
    if (!value) continue;
    const kind = ENVIRONMENT_KEYS[name];
    if (kind) values.push({ kind, value });
    else if (name.startsWith('STACKGUIDE_SECRET_'))
      values.push({
        kind:
          registryVariables.has(name) || name.endsWith('_PASSWORD') ? 'registry password' : 'secret answer',
        value,
      });
  }
  const file = asRecord(sources.answers);
  const answers = asRecord(file.answers);
  for (const [id, kind] of sources.keys.answers) {
    const value = answers[id];
    if (value !== undefined && value !== null && String(value) !== '')
      values.push({ kind, value: String(value) });
  }
  const steps = asRecord(file.steps);
  for (const id of sources.keys.registrySteps) {
    const password = asRecord(steps[id]).password;
    if (password !== undefined && password !== null && String(password) !== '')
      values.push({ kind: 'registry password', value: String(password) });
  }
  for (const path of sources.sharedFiles) values.push(...(await sharedFileSecrets(path)));
  return values;
}

/** `key = value` lines of an INI file whose key names a credential, in every profile. */
async function sharedFileSecrets(path: string): Promise<SecretValue[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const values: SecretValue[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([A-Za-z_]+)\s*=\s*(.+?)\s*$/.exec(line);
    const kind = match?.[1] ? SHARED_FILE_KEYS[match[1].toLowerCase()] : undefined;
    if (kind && match?.[2]) values.push({ kind, value: match[2] });
  }
  return values;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
