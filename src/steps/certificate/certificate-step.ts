import { existsSync } from 'node:fs';
import type { AcmPort, CertificateDetail } from '../../aws/acm-port.ts';
import { acmPort } from '../../aws/acm-port.ts';
import { route53Port } from '../../aws/route53-port.ts';
import { resolveValue } from '../../blueprint/references.ts';
import { normalizeDnsName } from '../../dns/compare-delegation.ts';
import { StackguideError } from '../../errors.ts';
import { findParentZone, parentListsZone } from '../hosted-zone/zone-lookup.ts';
import {
  type AskContext,
  type CheckResult,
  defineStep,
  type PlannedChange,
  type SavedStepInputs,
  type StepContext,
  type ValidateContext,
} from '../step.ts';
import { type CertificateConfig, certificateConfig } from './certificate-config.ts';
import {
  findOwnCertificates,
  idempotencyToken,
  type OwnCertificate,
  ownTags,
  reusable,
} from './certificate-lookup.ts';
import { certificateResults } from './certificate-status.ts';
import {
  delegationOf,
  describeFacts,
  EMAIL_WINDOW_MS,
  formatValidationRecord,
  progress,
  validationFacts,
  validationRecords,
  waitForIssued,
  waitForValidationRecords,
  writeValidationRecords,
  type ZoneOutputs,
} from './certificate-validation.ts';
import { parseCertificateArn, requiredNames } from './domain-coverage.ts';
import {
  importRefused,
  type PemCheck,
  type PemFiles,
  type PemFilesCheck,
  readAndCheckPemFiles,
} from './pem-check.ts';

/**
 * The TLS certificate for the hosting domain, in the four ways seeds 000 and 001 describe:
 * - `dns`: request it, write ACM's validation CNAMEs into the hosted zone, wait for ISSUED;
 * - `email`: request it, show the five approver addresses, offer a resend (within 72 h), wait;
 * - `import`: PEM files from the operator, checked locally (key matches, dates, names) before any AWS
 *   call, then imported; the private key is read, handed to ACM and forgotten;
 * - `arn`: a certificate the operator already has, checked: ISSUED, covers the domain, this region.
 * `auto` is DNS when the hosted zone is delegated and in this account (as Code Ocean's guide decides),
 * email otherwise. The certificate lives in the deployment's region, where the platform's load
 * balancers use it.
 */

interface Inputs {
  /** `arn`: the pre-validated certificate. */
  certificateArn?: string;
  /** `import`: paths of the PEM files; the key's path is kept, its contents never are. */
  certificatePath?: string;
  privateKeyPath?: string;
  chainPath?: string;
  /** `email`: the operator asked to have the approval mail sent again (never saved). */
  resendEmail?: boolean;
}

const ARN_PATTERN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/;
const APPROVERS = ['admin', 'administrator', 'hostmaster', 'postmaster', 'webmaster'];

export const certificateStep = defineStep<typeof certificateConfig.configSchema, Inputs>({
  ...certificateConfig,

  // Files to import are checked where they are named, before any AWS call (issue 16).
  async validate(context, config, saved) {
    if (config.method !== 'import') return;
    const paths = savedPaths(saved);
    if (paths.certificatePath === undefined && paths.privateKeyPath === undefined) return;
    await refuseUnusableFiles(context, config, paths);
  },

  async ask(context, config, saved) {
    if (config.method === 'arn') return { certificateArn: await askArn(context, saved) };
    if (config.method === 'import') {
      const files = await askFiles(context, saved);
      await refuseUnusableFiles(context, config, files);
      return files;
    }
    return (await offerResend(context)) ? { resendEmail: true } : {};
  },

  saveable(inputs): SavedStepInputs {
    const saved: SavedStepInputs = {};
    if (inputs.certificateArn) saved.certificateArn = inputs.certificateArn;
    if (inputs.certificatePath) saved.certificatePath = inputs.certificatePath;
    if (inputs.privateKeyPath) saved.privateKeyPath = inputs.privateKeyPath;
    if (inputs.chainPath) saved.chainPath = inputs.chainPath;
    return saved;
  },

  async check(context, config, inputs): Promise<CheckResult[]> {
    const target = targetOf(context, config, 'check');
    const names = target ? requiredNames(target.domain, config.includeWildcard) : [];
    const results: CheckResult[] = [];
    if (config.method === 'arn') {
      const arn = inputs.certificateArn ?? '';
      const problem = arnProblem(context, arn);
      if (problem) {
        const { code: _code, ...result } = problem;
        return [{ ...result, required: true }];
      }
      const detail = await context.aws.use(acmPort).describeCertificate(arn);
      if (!detail) {
        return [
          {
            id: `${context.stepId}.certificate`,
            step: context.stepId,
            title: 'Certificate',
            status: 'fail',
            summary: `${arn} does not exist in ${context.region}`,
            fix: `Check the ARN (aws acm list-certificates --region ${context.region}), then set steps.${context.stepId}.certificateArn.`,
            required: true,
            facts: { arn },
          },
        ];
      }
      return certificateResults(context, detail, { required: true, names });
    }
    if (config.method === 'import') {
      const local = await readAndCheck(context, inputs, names);
      results.push(pemResult(context, local.check, local.paths));
    }

    const acm = context.aws.use(acmPort);
    const own = await findOwnCertificates(acm, context, target?.domain);
    const current = own[0];
    if (!current) {
      results.push({
        id: `${context.stepId}.certificate`,
        step: context.stepId,
        title: 'Certificate',
        status: 'warn',
        summary:
          config.method === 'import'
            ? 'not imported yet: stackguide install imports it'
            : 'not requested yet: stackguide install requests it and completes its validation',
        fix: 'Run stackguide install.',
        required: false,
        facts: { method: config.method },
      });
      return results;
    }
    let pendingFacts: Record<string, unknown> | undefined;
    let pendingSummary: string | undefined;
    if (current.detail.status === 'PENDING_VALIDATION') {
      const method = current.origin === 'EMAIL' ? 'EMAIL' : 'DNS';
      const facts = await validationFacts(context, current.detail, method, target?.zone ?? null, null);
      pendingFacts = { ...facts };
      pendingSummary = describeFacts(facts);
    }
    results.push(
      ...certificateResults(context, current.detail, {
        required: false,
        names,
        ...(pendingFacts ? { pendingFacts } : {}),
        ...(pendingSummary ? { pendingSummary } : {}),
      }),
    );
    return results;
  },

  async plan(context, config, inputs): Promise<PlannedChange[]> {
    const target = targetOf(context, config, 'check');
    const what = target
      ? requiredNames(target.domain, config.includeWildcard).join(' and ')
      : 'the hosting domain';
    const change = (action: PlannedChange['action'], detail: string): PlannedChange[] => [
      { step: context.stepId, action, resource: `certificate for ${what}`, detail },
    ];
    switch (config.method) {
      case 'arn':
        return [];
      case 'import': {
        const own = await findOwnCertificates(context.aws.use(acmPort), context, target?.domain);
        return own.some((certificate) => certificate.origin === 'IMPORT')
          ? change('update', `re-import ${inputs.certificatePath ?? 'the certificate'} unless it is the same`)
          : change('create', `import ${inputs.certificatePath ?? 'the certificate'} into ACM`);
      }
      case 'dns':
        if (await issuedAlready(context, target, config, ['DNS'])) return [];
        return change('request', 'ACM, validated by DNS: the CNAMEs go into the hosted zone');
      case 'email':
        if (await issuedAlready(context, target, config, ['EMAIL'])) return [];
        return change('request', 'ACM, validated by email: someone must approve the mail');
      case 'auto':
        if (await issuedAlready(context, target, config, ['DNS', 'EMAIL'])) return [];
        return change(
          'request',
          'ACM, validated by DNS when the hosted zone is delegated and in this account, else by email',
        );
    }
  },

  async apply(context, config, inputs) {
    const target = targetOf(context, config, 'apply');
    if (!target) throw bugNoTarget(context);
    const names = requiredNames(target.domain, config.includeWildcard);
    switch (config.method) {
      case 'arn':
        return { certificateArn: await verifyArn(context, inputs.certificateArn ?? '', names) };
      case 'import':
        return { certificateArn: await importFromFiles(context, inputs, names) };
      case 'dns':
        return { certificateArn: await byDns(context, config, target, names) };
      case 'email':
        return { certificateArn: await byEmail(context, config, target, names, inputs) };
      case 'auto': {
        const choice = await chooseMethod(context, target);
        progress(
          context,
          `Validating the certificate by ${choice.method === 'DNS' ? 'DNS' : 'email'}: ${choice.reason}`,
          {
            method: choice.method,
            reason: choice.reason,
          },
        );
        return {
          certificateArn:
            choice.method === 'DNS'
              ? await byDns(context, config, target, names)
              : await byEmail(context, config, target, names, inputs),
        };
      }
    }
  },
});

interface Target {
  domain: string;
  zone: ZoneOutputs | null;
  validationDomain: string;
}

/**
 * The domain and the hosted zone, from the configuration and the hosted zone step's outputs. A check run
 * before the hosted zone step has applied knows neither: it gets undefined and checks what it can.
 */
function targetOf(
  context: StepContext,
  config: CertificateConfig,
  phase: 'check' | 'apply',
): Target | undefined {
  const scope = {
    deployment: context.deployment,
    region: context.region,
    account: context.account,
    answers: context.answers,
    stackOutputs: {},
    stepOutputs: context.stepOutputs,
  };
  const source =
    config.domain ?? (config.hostedZoneStep ? `{{steps.${config.hostedZoneStep}.domain}}` : undefined);
  if (source === undefined) {
    throw new StackguideError(`The certificate step ${context.stepId} does not say which domain it is for.`, {
      code: 'step.certificate.no-domain',
      kind: 'user',
      details: [
        {
          path: `steps.${context.stepId}`,
          message: 'has neither domain nor hostedZoneStep',
          fix: 'Set hostedZoneStep: <id of the hostedZone step>, or domain: "{{answers.domain}}".',
        },
      ],
    });
  }
  let domain: string;
  try {
    domain = normalizeDnsName(resolveValue(source, scope, `steps.${context.stepId}.domain`));
  } catch (error) {
    if (phase === 'check' && error instanceof StackguideError && error.code === 'reference.unresolved') {
      return undefined;
    }
    throw error;
  }
  const outputs = config.hostedZoneStep ? context.stepOutputs[config.hostedZoneStep] : undefined;
  const zone: ZoneOutputs | null =
    outputs?.hostedZoneId && outputs.domain
      ? {
          hostedZoneId: outputs.hostedZoneId,
          domain: normalizeDnsName(outputs.domain),
          parentDomain: outputs.parentDomain ? normalizeDnsName(outputs.parentDomain) : null,
          nameServers: (outputs.nameServers ?? '').split(',').filter((name) => name !== ''),
        }
      : null;
  const validationDomain = normalizeDnsName(
    config.validationDomain
      ? resolveValue(config.validationDomain, scope, `steps.${context.stepId}.validationDomain`)
      : (zone?.parentDomain ?? domain),
  );
  return { domain, zone, validationDomain };
}

/** True when this step already has an ISSUED certificate for the names, made one of these ways. */
async function issuedAlready(
  context: StepContext,
  target: Target | undefined,
  config: CertificateConfig,
  origins: readonly ('DNS' | 'EMAIL')[],
): Promise<boolean> {
  if (!target) return false;
  const names = requiredNames(target.domain, config.includeWildcard);
  const own = await findOwnCertificates(context.aws.use(acmPort), context, target.domain);
  return origins.some((origin) => reusable(own, names, origin)?.status === 'ISSUED');
}

function bugNoTarget(context: StepContext): StackguideError {
  return new StackguideError(`The certificate step ${context.stepId} has no domain to apply to.`, {
    code: 'step.certificate.no-domain',
    kind: 'bug',
  });
}

// --- ask -----------------------------------------------------------------------------------------

async function askArn(context: AskContext, saved: SavedStepInputs | undefined): Promise<string> {
  const savedArn = typeof saved?.certificateArn === 'string' ? saved.certificateArn : undefined;
  if (context.prompter) {
    return (
      await context.prompter.input({
        message: 'ARN of the ACM certificate for the hosting domain',
        help: `An ISSUED certificate in ${context.region} that covers the hosting domain (aws acm list-certificates --region ${context.region}).`,
        ...(savedArn ? { default: savedArn } : {}),
        validate: (value) =>
          ARN_PATTERN.test(value.trim()) ||
          'Give an ARN such as arn:aws:acm:us-east-1:123456789012:certificate/…',
      })
    ).trim();
  }
  if (!savedArn) throw missingInput(context, 'certificateArn', 'the ARN of an ISSUED ACM certificate');
  return savedArn;
}

async function askFiles(context: AskContext, saved: SavedStepInputs | undefined): Promise<Inputs> {
  const savedPath = (key: string): string | undefined =>
    typeof saved?.[key] === 'string' && saved[key] !== '' ? String(saved[key]) : undefined;
  const prompter = context.prompter;
  if (!prompter) {
    const certificatePath = savedPath('certificatePath');
    const privateKeyPath = savedPath('privateKeyPath');
    if (!certificatePath) throw missingInput(context, 'certificatePath', 'the path of the PEM certificate');
    if (!privateKeyPath) throw missingInput(context, 'privateKeyPath', 'the path of the PEM private key');
    const chainPath = savedPath('chainPath');
    return { certificatePath, privateKeyPath, ...(chainPath ? { chainPath } : {}) };
  }
  prompter.section('Certificate to import');
  const ask = async (key: string, message: string, optional: boolean): Promise<string> => {
    const previous = savedPath(key);
    return (
      await prompter.input({
        message,
        help: 'A path to a PEM file. Only the path is saved; a private key is read at install time and never stored.',
        ...(previous ? { default: previous } : {}),
        validate: (value) => {
          const path = value.trim();
          if (path === '') return optional || 'A path is needed';
          return existsSync(path) || `There is no file ${path}`;
        },
      })
    ).trim();
  };
  const certificatePath = await ask('certificatePath', 'Certificate file (PEM)', false);
  const privateKeyPath = await ask('privateKeyPath', 'Private key file (PEM, unencrypted)', false);
  const chainPath = await ask('chainPath', 'Certificate chain file (PEM; empty when there is none)', true);
  return { certificatePath, privateKeyPath, ...(chainPath ? { chainPath } : {}) };
}

/** Offers to send the approval mail again when a request of this step is pending by email, within 72 h. */
async function offerResend(context: AskContext): Promise<boolean> {
  if (!context.prompter) return false;
  const own = await findOwnCertificates(context.aws.use(acmPort), context);
  const pending = own.find(
    (certificate) => certificate.origin === 'EMAIL' && certificate.detail.status === 'PENDING_VALIDATION',
  );
  if (!pending || !withinResendWindow(context, pending.detail)) return false;
  return context.prompter.confirm({
    message: `The certificate for ${pending.detail.domainName} still waits for approval by email. Send the approval mail again?`,
    default: false,
  });
}

function missingInput(context: StepContext, key: string, what: string): StackguideError {
  return new StackguideError(`The certificate step ${context.stepId} needs ${what}.`, {
    code: 'answers.missing',
    kind: 'user',
    details: [
      {
        path: `steps.${context.stepId}.${key}`,
        message: `${what} is not set`,
        fix: `Set steps.${context.stepId}.${key} in the answers file, or run stackguide install in a terminal to be asked.`,
      },
    ],
  });
}

// --- arn -----------------------------------------------------------------------------------------

type ArnProblem = Omit<CheckResult, 'required'> & { code: string };

function arnProblem(context: StepContext, arn: string): ArnProblem | undefined {
  const base = {
    id: `${context.stepId}.certificate`,
    step: context.stepId,
    title: 'Certificate',
    status: 'fail' as const,
  };
  const parts = parseCertificateArn(arn);
  if (!parts) {
    return {
      ...base,
      code: 'certificate.invalid-arn',
      summary: `"${arn}" is not an ACM certificate ARN`,
      fix: `Set steps.${context.stepId}.certificateArn to an ARN such as arn:aws:acm:${context.region}:${context.account}:certificate/…`,
      facts: { arn },
    };
  }
  if (parts.region !== context.region) {
    return {
      ...base,
      code: 'certificate.wrong-region',
      id: `${context.stepId}.region`,
      title: 'Certificate region',
      summary: `${arn} is in ${parts.region}, but the platform is deployed in ${context.region}: load balancers use only certificates of their own region`,
      fix: `Request or import a certificate in ${context.region} and give its ARN.`,
      facts: { arn, region: parts.region, expectedRegion: context.region },
    };
  }
  if (parts.account !== context.account) {
    return {
      ...base,
      code: 'certificate.wrong-account',
      id: `${context.stepId}.account`,
      title: 'Certificate account',
      summary: `${arn} belongs to the account ${parts.account}, not to ${context.account}: ACM certificates cannot be shared between accounts`,
      fix: `Request or import a certificate in the account ${context.account} and give its ARN.`,
      facts: { arn, account: parts.account, expectedAccount: context.account },
    };
  }
  return undefined;
}

async function verifyArn(context: StepContext, arn: string, names: readonly string[]): Promise<string> {
  const problem = arnProblem(context, arn);
  if (problem) throw refusal(problem.summary, problem.code, problem.fix);
  const detail = await context.aws.use(acmPort).describeCertificate(arn);
  if (!detail) {
    throw refusal(
      `${arn} does not exist in ${context.region}`,
      'certificate.not-found',
      `Check the ARN: aws acm list-certificates --region ${context.region}`,
    );
  }
  const results = certificateResults(context, detail, { required: true, names });
  const failed = results.filter((result) => result.status === 'fail');
  const [first] = failed;
  if (first) {
    throw new StackguideError(
      `The certificate ${arn} cannot be used: ${failed.map((result) => `${result.title}: ${result.summary}`).join('; ')}`,
      {
        code: first.id.endsWith('.covers')
          ? 'certificate.not-covering'
          : first.id.endsWith('.expiry')
            ? 'certificate.expired'
            : 'certificate.not-issued',
        kind: 'user',
        nextSteps: failed.flatMap((result) => (result.fix ? [result.fix] : [])),
      },
    );
  }
  progress(context, `Using the certificate ${arn} (${detail.status}, for ${detail.domainName})`, {
    certificateArn: arn,
    status: detail.status,
  });
  return arn;
}

function refusal(message: string, code: string, fix: string | undefined): StackguideError {
  return new StackguideError(message, { code, kind: 'user', nextSteps: fix ? [fix] : [] });
}

// --- import --------------------------------------------------------------------------------------

function savedPaths(saved: SavedStepInputs | undefined): Inputs {
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
  inputs: Inputs,
): Promise<void> {
  let names: string[] = [];
  if (config.domain !== undefined) {
    const scope = {
      deployment: context.deployment,
      region: context.region,
      answers: context.answers,
      stackOutputs: {},
    };
    try {
      names = requiredNames(
        normalizeDnsName(resolveValue(config.domain, scope, `steps.${context.stepId}.domain`)),
        config.includeWildcard,
      );
    } catch (error) {
      if (!(error instanceof StackguideError && error.code === 'reference.unresolved')) throw error;
    }
  }
  const local = await readAndCheck(context, inputs, names);
  if (local.check.problems.length > 0) throw importRefused(names, local.check.problems);
}

function readAndCheck(
  context: Pick<StepContext, 'stepId' | 'clock'>,
  inputs: Inputs,
  names: readonly string[],
): Promise<PemFilesCheck> {
  return readAndCheckPemFiles(context.stepId, inputs, names, context.clock.now());
}

function pemResult(context: StepContext, check: PemCheck, paths: PemFiles['paths']): CheckResult {
  const ok = check.problems.length === 0;
  return {
    id: `${context.stepId}.pem`,
    step: context.stepId,
    title: `Certificate files to import (${paths.certificate || 'not given'})`,
    status: ok ? 'pass' : 'fail',
    summary: ok
      ? `the key matches, valid until ${check.facts?.notAfter ?? '?'}, for ${check.facts?.names.join(', ') ?? '?'}`
      : check.problems.map((problem) => `${problem.path} ${problem.message}`).join('; '),
    required: true,
    facts: { paths: { ...paths }, certificate: check.facts, problems: check.problems },
    ...(ok
      ? {}
      : {
          fix: check.problems
            .map((problem) => problem.fix ?? '')
            .filter(Boolean)
            .join(' '),
        }),
  };
}

async function importFromFiles(
  context: StepContext,
  inputs: Inputs,
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
  progress(context, `Imported the certificate: ${arn}`, { certificateArn: arn });
  return arn;
}

/**
 * ACM gives the serial as colon-separated hex (`0a:1b:...`); some emulators give it in decimal. Both
 * readings are tried against node:crypto's hex.
 */
function sameSerial(acmSerial: string | null, hex: string): boolean {
  if (!acmSerial) return false;
  const wanted = BigInt(`0x${hex}`);
  const compact = acmSerial.replace(/:/g, '');
  const readings: bigint[] = [];
  if (/^[0-9a-fA-F]+$/.test(compact)) readings.push(BigInt(`0x${compact}`));
  if (!acmSerial.includes(':') && /^\d+$/.test(acmSerial)) readings.push(BigInt(acmSerial));
  return readings.includes(wanted);
}

// --- dns and email -------------------------------------------------------------------------------

async function chooseMethod(
  context: StepContext,
  target: Target,
): Promise<{ method: 'DNS' | 'EMAIL'; reason: string }> {
  const zone = target.zone;
  if (!zone) {
    return { method: 'EMAIL', reason: 'there is no hosted zone step to write the validation records into' };
  }
  if (zone.parentDomain) {
    const parent = await findParentZone(context.aws.use(route53Port), zone.parentDomain, zone.domain);
    if (parentListsZone(parent, zone.nameServers)) {
      return {
        method: 'DNS',
        reason: `the hosted zone ${zone.domain} is in this account, and its parent zone ${zone.parentDomain} in this account delegates to it`,
      };
    }
  }
  const delegation = await delegationOf(context, zone);
  if (delegation.status === 'delegated') {
    return {
      method: 'DNS',
      reason: `the hosted zone ${zone.domain} is in this account and delegated: ${delegation.explanation}`,
    };
  }
  return {
    method: 'EMAIL',
    reason: `the hosted zone ${zone.domain} is not delegated (${delegation.explanation}), so ACM could not see validation records in it`,
  };
}

async function requestOrReuse(
  acm: AcmPort,
  context: StepContext,
  target: Target,
  names: readonly string[],
  origin: 'DNS' | 'EMAIL',
): Promise<{ detail: CertificateDetail; own: OwnCertificate[] }> {
  const own = await findOwnCertificates(acm, context, target.domain);
  const existing = reusable(own, names, origin);
  if (existing) {
    progress(context, `Going on with the certificate ${existing.arn} (${existing.status})`, {
      certificateArn: existing.arn,
      status: existing.status,
    });
    return { detail: existing, own };
  }
  const [domainName, ...alternatives] = names;
  progress(
    context,
    `Requesting a certificate for ${names.join(' and ')}, validated by ${origin === 'DNS' ? 'DNS' : 'email'}`,
    {
      names: [...names],
      method: origin,
    },
  );
  const arn = await acm.requestCertificate({
    domainName: domainName ?? target.domain,
    subjectAlternativeNames: alternatives,
    validationMethod: origin,
    ...(origin === 'EMAIL' ? { validationDomain: target.validationDomain } : {}),
    idempotencyToken: idempotencyToken(context, names, origin),
    tags: ownTags(context, origin),
  });
  const detail = await acm.describeCertificate(arn);
  if (!detail) {
    throw new StackguideError(`ACM returned ${arn} but does not describe it.`, {
      code: 'certificate.not-found',
      kind: 'aws',
    });
  }
  return { detail, own };
}

async function byDns(
  context: StepContext,
  config: CertificateConfig,
  target: Target,
  names: readonly string[],
): Promise<string> {
  const zone = target.zone;
  if (!zone) {
    throw new StackguideError('DNS validation needs the hosted zone the validation records go into.', {
      code: 'step.certificate.no-zone',
      kind: 'user',
      details: [
        {
          path: `steps.${context.stepId}.hostedZoneStep`,
          message: config.hostedZoneStep
            ? `the step "${config.hostedZoneStep}" has no hostedZoneId output (is it a hostedZone step that runs before this one?)`
            : 'is not set',
          fix: 'Set hostedZoneStep to the id of the hostedZone step listed before this step, or use method: email.',
        },
      ],
    });
  }
  const acm = context.aws.use(acmPort);
  const { detail: requested } = await requestOrReuse(acm, context, target, names, 'DNS');
  const detail = await waitForValidationRecords(acm, context, requested.arn);
  const records = validationRecords(detail);
  // Kept in the zone even once ISSUED: ACM's managed renewal looks for the same CNAMEs.
  if (records.length > 0) await writeValidationRecords(context.aws.use(route53Port), context, zone, records);
  if (detail.status === 'ISSUED') return detail.arn;
  await waitForIssued(acm, context, detail.arn, {
    method: 'DNS',
    zone,
    timeoutMs: config.waitForIssued * 1_000,
    nextSteps: (facts) => [
      ...records.map((record) => `The zone ${zone.domain} must hold: ${formatValidationRecord(record)}`),
      ...(facts.delegation && facts.delegation.status !== 'delegated'
        ? [
            `The zone is not delegated, so ACM cannot see these records: ${facts.delegation.explanation}`,
            ...(facts.delegation.fix ? [facts.delegation.fix.summary, ...facts.delegation.fix.add] : []),
          ]
        : []),
    ],
  });
  return detail.arn;
}

async function byEmail(
  context: StepContext,
  config: CertificateConfig,
  target: Target,
  names: readonly string[],
  inputs: Inputs,
): Promise<string> {
  const acm = context.aws.use(acmPort);
  const { detail, own } = await requestOrReuse(acm, context, target, names, 'EMAIL');
  if (detail.status === 'ISSUED') return detail.arn;
  const approvers = approverAddresses(target.validationDomain);
  const expired = own.find(
    (certificate) => certificate.origin === 'EMAIL' && certificate.detail.status === 'VALIDATION_TIMED_OUT',
  );
  progress(
    context,
    `ACM sent the approval mail for ${names.join(' and ')} to:\n${approvers.join('\n')}\nSomeone who reads one of them must open it and approve.${expired ? ` (The earlier request ${expired.detail.arn} was not approved within 72 hours; this is a new one.)` : ''}`,
    { certificateArn: detail.arn, approvers, validationDomain: target.validationDomain },
  );
  if (inputs.resendEmail) await resend(acm, context, detail, target.validationDomain);
  await waitForIssued(acm, context, detail.arn, {
    method: 'EMAIL',
    zone: null,
    timeoutMs: config.waitForIssued * 1_000,
    extra: { approvers },
    nextSteps: () => [
      `Approve the mail ACM sent to one of: ${approvers.join(', ')}.`,
      `To get it again within 72 hours of the request: aws acm resend-validation-email --certificate-arn ${detail.arn} --domain ${detail.domainName} --validation-domain ${target.validationDomain} (or run stackguide install in a terminal, which offers it).`,
    ],
  });
  return detail.arn;
}

async function resend(
  acm: AcmPort,
  context: StepContext,
  detail: CertificateDetail,
  validationDomain: string,
): Promise<void> {
  if (!withinResendWindow(context, detail)) {
    context.emit({
      type: 'warning',
      code: 'certificate.resend-too-late',
      message: `The request ${detail.arn} is older than 72 hours: ACM no longer resends its mail. Run stackguide install again once it has timed out, to request a new certificate.`,
    });
    return;
  }
  const pending = detail.domainValidations.filter((validation) => validation.validationStatus !== 'SUCCESS');
  const domains =
    pending.length > 0 ? pending.map((validation) => validation.domainName) : [detail.domainName];
  for (const domain of [...new Set(domains)]) {
    try {
      await acm.resendValidationEmail({ arn: detail.arn, domain, validationDomain });
      progress(context, `Sent the approval mail for ${domain} again`, { certificateArn: detail.arn, domain });
    } catch (error) {
      // One name's resend failing (ACM sends one mail for a wildcard and its apex) must not stop the wait.
      context.emit({
        type: 'warning',
        code: 'certificate.resend-failed',
        message: `Could not send the approval mail for ${domain} again: ${(error as Error).message}`,
      });
    }
  }
}

function withinResendWindow(context: StepContext, detail: CertificateDetail): boolean {
  return detail.createdAt !== null && context.clock.now() - detail.createdAt.getTime() < EMAIL_WINDOW_MS;
}

/** The five addresses ACM mails at the validation domain. */
function approverAddresses(validationDomain: string): string[] {
  return APPROVERS.map((name) => `${name}@${validationDomain}`);
}
