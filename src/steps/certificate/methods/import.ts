import { existsSync } from 'node:fs';
import { acmPort } from '../../../aws/acm-port.ts';
import { resolveValue } from '../../../blueprint/references.ts';
import { normalizeDnsName } from '../../../dns/compare-delegation.ts';
import { StackguideError } from '../../../errors.ts';
import {
  type AskContext,
  resourceCreated,
  type SavedStepInputs,
  type StepContext,
  type ValidateContext,
} from '../../step.ts';
import type { CertificateConfig } from '../certificate-config.ts';
import { findOwnCertificates, ownTags } from '../certificate-lookup.ts';
import { progress } from '../certificate-validation.ts';
import { missingInput, pemResult } from '../certificate-wording.ts';
import { requiredNames } from '../domain-coverage.ts';
import {
  importRefused,
  type PemFilesCheck,
  type PemPaths,
  pemFileProblem,
  readAndCheckPemFiles,
} from '../pem-check.ts';
import { type CertificateInputs, type CertificateMethod, plannedCertificate } from './certificate-method.ts';
import { checkOwnCertificate } from './requested.ts';

/**
 * `import`: PEM files from the operator, checked locally (key matches, dates, names) before any AWS
 * call, then imported; the private key is read, handed to ACM and forgotten.
 */
export const importMethod: CertificateMethod = {
  async validate(context, config, saved) {
    const paths = savedPaths(saved);
    if (paths.certificatePath === undefined && paths.privateKeyPath === undefined) return;
    await refuseUnusableFiles(context, config, paths);
  },

  async ask(context, config, saved) {
    const files = await askFiles(context, saved, namesKnownNow(context, config));
    await refuseUnusableFiles(context, config, files);
    return files;
  },

  async check(context, request) {
    const local = await readAndCheck(context, request.inputs, request.names);
    return [pemResult(context, local.check, local.paths), ...(await checkOwnCertificate(context, request))];
  },

  async plan(context, request) {
    const own = await findOwnCertificates(context.aws.use(acmPort), context, request.target?.domain);
    const file = request.inputs.certificatePath ?? 'the certificate';
    return own.some((certificate) => certificate.origin === 'IMPORT')
      ? plannedCertificate(context, request, 'update', `re-import ${file} unless it is the same`)
      : plannedCertificate(context, request, 'create', `import ${file} into ACM`);
  },

  apply: (context, { inputs, names }) => importFromFiles(context, inputs, names),
};

async function askFiles(
  context: AskContext,
  saved: SavedStepInputs | undefined,
  names: readonly string[],
): Promise<CertificateInputs> {
  const savedPath = (key: string): string | undefined =>
    typeof saved?.[key] === 'string' && saved[key] !== '' ? String(saved[key]) : undefined;
  const prompter = context.prompter;
  // Paths the answers file holds are taken as they are (checked by the caller, as unattended); only
  // what it lacks is asked, or all of them again from the review.
  const fromFile =
    savedPath('certificatePath') !== undefined &&
    savedPath('privateKeyPath') !== undefined &&
    context.reask !== true;
  if (!prompter || fromFile) {
    const certificatePath = savedPath('certificatePath');
    const privateKeyPath = savedPath('privateKeyPath');
    if (!certificatePath) throw missingInput(context, 'certificatePath', 'the path of the PEM certificate');
    if (!privateKeyPath) throw missingInput(context, 'privateKeyPath', 'the path of the PEM private key');
    const chainPath = savedPath('chainPath');
    return { certificatePath, privateKeyPath, ...(chainPath ? { chainPath } : {}) };
  }
  prompter.section('Certificate to import');
  const given: PemPaths = {};
  const ask = async (key: keyof PemPaths, message: string, optional: boolean): Promise<string> => {
    const previous = savedPath(key);
    const path = (
      await prompter.input({
        message,
        help: 'A path to a PEM file. Only the path is saved; a private key is read at install time and never stored.',
        ...(previous ? { default: previous } : {}),
        validate: (value) => {
          const path = value.trim();
          if (path === '')
            return optional || 'The path is empty: this file is needed. Give the path of a PEM file.';
          return existsSync(path) || `There is no file ${path}`;
        },
        // Each file is read and checked as its path is given, with the ones before it (a certificate
        // given as the key, a key of another certificate), and asked again with the reason: found only
        // after the last question, it ended the run.
        verify: async (value) => {
          const path = value.trim();
          if (path === '') return true;
          const problem = await pemFileProblem(
            context.stepId,
            key,
            { ...given, [key]: path },
            names,
            context.clock.now(),
          );
          return problem ? `${path} ${problem.message}. ${problem.fix ?? ''}`.trim() : true;
        },
      })
    ).trim();
    if (path !== '') given[key] = path;
    return path;
  };
  const certificatePath = await ask('certificatePath', 'Certificate file (PEM)', false);
  const privateKeyPath = await ask('privateKeyPath', 'Private key file (PEM, unencrypted)', false);
  const chainPath = await ask('chainPath', 'Certificate chain file (PEM; empty when there is none)', true);
  return { certificatePath, privateKeyPath, ...(chainPath ? { chainPath } : {}) };
}

function savedPaths(saved: SavedStepInputs | undefined): CertificateInputs {
  const path = (key: string): string | undefined =>
    typeof saved?.[key] === 'string' && saved[key] !== '' ? String(saved[key]) : undefined;
  const [certificatePath, privateKeyPath, chainPath] = [
    path('certificatePath'),
    path('privateKeyPath'),
    path('chainPath'),
  ];
  return {
    ...(certificatePath ? { certificatePath } : {}),
    ...(privateKeyPath ? { privateKeyPath } : {}),
    ...(chainPath ? { chainPath } : {}),
  };
}

/**
 * The local check of the files to import, with what is known before any AWS call: the names come from
 * `domain:` when it resolves from the answers alone (a hosted-zone step's output is not known yet; the
 * names are then checked again by `check` and `apply`).
 */
async function refuseUnusableFiles(
  context: ValidateContext,
  config: CertificateConfig,
  inputs: CertificateInputs,
): Promise<void> {
  const names = namesKnownNow(context, config);
  const local = await readAndCheck(context, inputs, names);
  if (local.check.problems.length > 0) throw importRefused(names, local.check.problems);
}

/** The names the certificate must cover, when `domain:` resolves from the answers alone. */
function namesKnownNow(context: ValidateContext, config: CertificateConfig): string[] {
  if (config.domain === undefined) return [];
  const scope = {
    deployment: context.deployment,
    region: context.region,
    answers: context.answers,
    stackOutputs: {},
  };
  try {
    return requiredNames(
      normalizeDnsName(resolveValue(config.domain, scope, `steps.${context.stepId}.domain`)),
      config.includeWildcard,
    );
  } catch (error) {
    if (!(error instanceof StackguideError && error.code === 'reference.unresolved')) throw error;
    return [];
  }
}

function readAndCheck(
  context: Pick<StepContext, 'stepId' | 'clock'>,
  inputs: CertificateInputs,
  names: readonly string[],
): Promise<PemFilesCheck> {
  return readAndCheckPemFiles(context.stepId, inputs, names, context.clock.now());
}

async function importFromFiles(
  context: StepContext,
  inputs: CertificateInputs,
  names: readonly string[],
): Promise<string> {
  // Everything local first: a wrong key or an expired certificate is refused before any AWS call.
  const local = await readAndCheck(context, inputs, names);
  if (!local.files || local.check.problems.length > 0) throw importRefused(names, local.check.problems);
  const facts = local.check.facts;
  const acm = context.aws.use(acmPort);
  const previous = (await findOwnCertificates(acm, context)).find(
    (certificate) => certificate.origin === 'IMPORT',
  );
  if (previous && facts && sameSerial(previous.detail.serial, facts.serialNumber)) {
    progress(context, `The certificate is imported already: ${previous.detail.arn}`, {
      certificateArn: previous.detail.arn,
      notAfter: facts.notAfter,
    });
    return previous.detail.arn;
  }
  progress(
    context,
    previous
      ? `Re-importing ${local.paths.certificate} into ${previous.detail.arn}`
      : `Importing ${local.paths.certificate} into ACM`,
    { certificatePath: local.paths.certificate, certificate: facts },
  );
  const arn = await acm.importCertificate({
    certificate: local.files.certificate,
    privateKey: local.files.privateKey,
    ...(local.files.chain ? { chain: local.files.chain } : {}),
    ...(previous ? { certificateArn: previous.detail.arn } : {}),
    tags: ownTags(context, 'IMPORT'),
  });
  // Re-imported into the step's certificate, nothing new is made.
  if (!previous) resourceCreated(context, { kind: 'certificate', id: arn, name: names.join(', ') });
  progress(context, `Imported the certificate: ${arn}`, { certificateArn: arn });
  return arn;
}

/**
 * ACM gives the serial as colon-separated hex bytes (`0a:1b:...`), node:crypto as plain hex; compared
 * as numbers, so a leading zero byte on either side does not matter.
 */
function sameSerial(acmSerial: string | null, hex: string): boolean {
  const compact = acmSerial?.replace(/:/g, '') ?? '';
  if (!/^[0-9a-fA-F]+$/.test(compact)) return false;
  return BigInt(`0x${compact}`) === BigInt(`0x${hex}`);
}
