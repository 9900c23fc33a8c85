import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ACMClient, DescribeCertificateCommand, ListCertificatesCommand } from '@aws-sdk/client-acm';
import { ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { acmPort } from '../../src/aws/acm-port.ts';
import type { AwsContext } from '../../src/aws/aws-context.ts';
import { StackguideError } from '../../src/errors.ts';
import type { Prompter } from '../../src/install/prompter.ts';
import { certificateStep } from '../../src/steps/certificate/certificate-step.ts';
import { hostedZoneStep } from '../../src/steps/hosted-zone/hosted-zone-step.ts';
import type { CheckResult, StepOutputs } from '../../src/steps/step.ts';
import { type KnotServer, startKnotServer } from '../support/knot-server.ts';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import {
  progressOf,
  realDelay,
  type StepContextOptions,
  stepContext,
  TestClock,
} from '../support/step-context.ts';

/**
 * The certificate step against moto (ACM, Route53) and knotd:
 *   parent  127.0.0.1   example.test, delegating codeocean.example.test to moto's name servers
 *   child   127.0.0.2   codeocean.example.test as Route53 would serve it, with the validation CNAME
 *                       that moto always asks for; it is also the resolver the step asks
 * moto issues an Amazon certificate MOTO_ACM_VALIDATION_WAIT real seconds after the request, so the
 * waits here let real time pass in each of the step's sleeps.
 */
const run = promisify(execFile);
const domain = 'codeocean.example.test';
const motoNameServers = [
  'ns-2048.awsdns-64.com',
  'ns-2049.awsdns-65.net',
  'ns-2050.awsdns-66.org',
  'ns-2051.awsdns-67.co.uk',
];
// moto's validation record for a name and its wildcard (moto/acm/models.py, CertBundle.describe).
const cnameName = `_d930b28be6c5927595552b219965053e.${domain}`;
const cnameValue = '_c9edd76ee4a0e2a74388032f3861cc50.ykybfrwcxw.acm-validations.aws';
const validationWaitSeconds = 6;

let moto: MotoServer;
let parent: KnotServer;
let child: KnotServer;
let pems: string;
let acmClient: ACMClient;
let route53: Route53Client;

const parentZone = [
  '@ NS ns1',
  'ns1 A 127.0.0.1',
  ...motoNameServers.map((name) => `codeocean 300 NS ${name}.`),
].join('\n');

function childZone(withCname: boolean): string {
  return [
    ...motoNameServers.map((name) => `@ NS ${name}.`),
    ...(withCname ? [`${cnameName}. 300 CNAME ${cnameValue}.`] : []),
  ].join('\n');
}

function env(): Record<string, string> {
  return {
    STACKGUIDE_DNS_SERVERS: `127.0.0.1:${parent.port}`,
    STACKGUIDE_DNS_RESOLVERS: `resolver=127.0.0.2:${child.port}`,
    STACKGUIDE_DNS_NS_ADDRESSES: motoNameServers.map((name) => `${name}=127.0.0.2:${child.port}`).join(','),
  };
}

function context(options: Partial<StepContextOptions> = {}) {
  return stepContext({ endpoint: moto.endpoint, stepId: 'cert', env: env(), ...options });
}

/** A clock whose sleeps let a little real time pass, for moto's issuing. */
function waitingClock(): TestClock {
  const clock = new TestClock();
  clock.onSleep = () => realDelay(250);
  return clock;
}

type Config = Parameters<typeof certificateStep.check>[1];

function config(raw: Record<string, unknown>): Config {
  return certificateStep.configSchema.parse({ hostedZoneStep: 'zone', ...raw }) as Config;
}

/** The hosted zone step, as install runs it before the certificate step. */
async function hostedZone(): Promise<Record<string, StepOutputs>> {
  const ctx = stepContext({ endpoint: moto.endpoint, stepId: 'zone', env: env() });
  const zoneConfig = hostedZoneStep.configSchema.parse({
    subdomain: 'codeocean',
    parentDomain: 'example.test',
    waitForDelegation: 0,
  }) as Parameters<typeof hostedZoneStep.check>[1];
  const outputs = await hostedZoneStep.apply?.(ctx, zoneConfig, {});
  if (!outputs) throw new Error('the hosted zone step returned nothing');
  return { zone: outputs };
}

async function certificates(region = 'us-east-1') {
  const client =
    region === 'us-east-1' ? acmClient : new ACMClient({ endpoint: moto.endpoint, region, maxAttempts: 1 });
  const response = await client.send(
    new ListCertificatesCommand({ Includes: { keyTypes: ['RSA_2048', 'EC_prime256v1'] } }),
  );
  return response.CertificateSummaryList ?? [];
}

function byId(results: CheckResult[]): Map<string, CheckResult> {
  return new Map(results.map((result) => [result.id, result]));
}

async function openssl(...args: string[]): Promise<void> {
  await run('openssl', args, { cwd: pems });
}

/** A certificate of key.pem for `name` (its subject) with that subjectAltName extension, valid 30 days. */
async function certificateOfKey(out: string, name: string, san: string): Promise<void> {
  await openssl(
    'req',
    '-x509',
    '-key',
    'key.pem',
    '-out',
    out,
    '-days',
    '30',
    '-subj',
    `/CN=${name}`,
    '-addext',
    san,
  );
}

beforeAll(async () => {
  pems = await mkdtemp(join(tmpdir(), 'stackguide-pem-'));
  const san = `subjectAltName=DNS:${domain},DNS:*.${domain}`;
  [moto, parent, child] = await Promise.all([
    startMotoServer({ MOTO_ACM_VALIDATION_WAIT: String(validationWaitSeconds) }),
    startKnotServer({ zones: [{ origin: 'example.test', records: parentZone }], addresses: ['127.0.0.1'] }),
    startKnotServer({ zones: [{ origin: domain, records: childZone(true) }], addresses: ['127.0.0.2'] }),
    // Made at test time, never committed: a key and its certificate for the hosting domain and its
    // wildcard, a second key that matches nothing, and a certificate for another name.
    (async () => {
      await openssl(
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        'key.pem',
        '-out',
        'cert.pem',
        '-days',
        '30',
        '-subj',
        `/CN=${domain}`,
        '-addext',
        san,
      );
      await openssl(
        'genpkey',
        '-algorithm',
        'RSA',
        '-pkeyopt',
        'rsa_keygen_bits:2048',
        '-out',
        'other-key.pem',
      );
      await certificateOfKey('other-name.pem', 'other.example.test', 'subjectAltName=DNS:other.example.test');
      // The renewal of cert.pem: the same key and names, another serial.
      await certificateOfKey('renewed.pem', domain, san);
    })(),
  ]);
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  acmClient = new ACMClient({ endpoint: moto.endpoint, region: 'us-east-1', maxAttempts: 1 });
  route53 = new Route53Client({ endpoint: moto.endpoint, region: 'us-east-1', maxAttempts: 1 });
});

afterAll(async () => {
  acmClient?.destroy();
  route53?.destroy();
  await Promise.all([moto?.stop(), parent?.stop(), child?.stop()]);
  if (pems) await rm(pems, { recursive: true, force: true });
});

beforeEach(async () => {
  await moto.reset();
  await child.setZone(domain, childZone(true));
});

describe('certificate step: DNS validation', () => {
  it('requests, writes one CNAME for the apex and its wildcard, and waits for ISSUED with live facts', async () => {
    const stepOutputs = await hostedZone();
    const ctx = context({ stepOutputs, clock: waitingClock() });
    const outputs = await certificateStep.apply?.(ctx, config({ method: 'dns', includeWildcard: true }), {});
    const arn = outputs?.certificateArn ?? '';
    expect(arn).toMatch(/^arn:aws:acm:us-east-1:123456789012:certificate\//);

    const described = await acmClient.send(new DescribeCertificateCommand({ CertificateArn: arn }));
    expect(described.Certificate?.Status).toBe('ISSUED');
    expect(described.Certificate?.SubjectAlternativeNames?.sort()).toEqual([`*.${domain}`, domain]);
    // Said by a typed event as soon as ACM has it: a stop while the step waits for validation names it.
    expect(ctx.events).toContainEqual({
      type: 'step.resource-created',
      step: expect.any(String),
      resource: { kind: 'certificate', id: arn, name: expect.stringContaining(domain) },
    });

    const sets = await route53.send(
      new ListResourceRecordSetsCommand({ HostedZoneId: stepOutputs.zone?.hostedZoneId ?? '' }),
    );
    const cnames = (sets.ResourceRecordSets ?? []).filter((set) => set.Type === 'CNAME');
    expect(cnames).toHaveLength(1);
    expect(cnames[0]?.Name).toBe(`${cnameName}.`);
    expect(cnames[0]?.ResourceRecords?.map((record) => record.Value)).toEqual([`${cnameValue}.`]);

    const progress = progressOf(ctx.events);
    const waiting = progress.find(
      (event) => event.facts.status === 'PENDING_VALIDATION' && event.facts.domains,
    );
    expect(waiting?.facts).toMatchObject({
      certificateArn: arn,
      method: 'DNS',
      delegation: { status: 'delegated' },
    });
    const domains = waiting?.facts.domains as Array<Record<string, unknown>>;
    expect(domains.map((entry) => entry.domain).sort()).toEqual([`*.${domain}`, domain]);
    for (const entry of domains) {
      expect(entry).toMatchObject({
        validationStatus: 'PENDING_VALIDATION',
        record: { name: cnameName, type: 'CNAME', value: cnameValue },
        answeredByPublicDns: true,
      });
    }
    expect(waiting?.message).toContain('answers in public DNS');
    const written = progress.findIndex((event) => event.facts.action === 'UPSERT');
    expect(written).toBeGreaterThanOrEqual(0);
    // One change for the apex and the wildcard: Route53 rejects a batch naming a record set twice.
    expect(progress[written]?.facts.records).toEqual([
      { name: cnameName, type: 'CNAME', ttl: 300, values: [`${cnameValue}.`] },
    ]);
    expect(written).toBeLessThan(waiting ? progress.indexOf(waiting) : -1);
    expect(ctx.timeline.indexOf('call:Route53.upsertRecordSets')).toBeGreaterThan(
      ctx.timeline.findIndex((entry) => entry.startsWith('event:step.progress Adding 1 validation record')),
    );
    expect(progress.at(-1)?.message).toBe(`Certificate issued: ${arn}`);

    // The next run finds the same certificate: nothing new is planned or requested.
    expect(
      await certificateStep.plan?.(
        context({ stepOutputs }),
        config({ method: 'dns', includeWildcard: true }),
        {},
      ),
    ).toEqual([]);
    const again = await certificateStep.apply?.(
      context({ stepOutputs }),
      config({ method: 'dns', includeWildcard: true }),
      {},
    );
    expect(again?.certificateArn).toBe(arn);
    expect(await certificates()).toHaveLength(1);
  });

  it('shows, while pending, that public DNS does not answer the CNAME and why: the delegation', async () => {
    const stepOutputs = await hostedZone();
    await child.setZone(domain, childZone(false));
    // An NS set the parent does not list: the zone is not delegated.
    const zone = {
      ...stepOutputs.zone,
      nameServers: 'ns-1.elsewhere.test,ns-2.elsewhere.test',
    } as StepOutputs;
    const ctx = context({ stepOutputs: { zone } });
    const error = await certificateStep
      .apply?.(ctx, config({ method: 'dns', waitForIssued: 0 }), {})
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'certificate.validation-timeout' });
    const nextSteps = (error as StackguideError).nextSteps;
    expect(nextSteps).toContain(`The zone ${domain} must hold: ${cnameName}. 300 IN CNAME ${cnameValue}.`);
    expect(nextSteps.some((step) => step.startsWith('The zone is not delegated'))).toBe(true);
    const waiting = progressOf(ctx.events).find((event) => event.facts.status === 'PENDING_VALIDATION');
    expect(waiting?.facts).toMatchObject({
      domains: [{ domain, answeredByPublicDns: false }],
      delegation: { status: 'stale' },
    });

    // status and preflight say the same, read-only.
    const check = byId(
      await certificateStep.check(context({ stepOutputs: { zone } }), config({ method: 'dns' }), {}),
    );
    expect(check.get('cert.certificate')).toMatchObject({ status: 'warn', required: false });
    expect(check.get('cert.certificate')?.facts).toMatchObject({
      status: 'PENDING_VALIDATION',
      domains: [{ domain, record: { name: cnameName }, answeredByPublicDns: false }],
      delegation: { status: 'stale' },
    });
    expect(check.get('cert.certificate')?.summary).toContain('not in public DNS yet');
  });

  it('checks before the hosted zone step has run: nothing requested yet, nothing failing', async () => {
    const results = await certificateStep.check(context(), config({ method: 'dns' }), {});
    expect(results).toEqual([
      expect.objectContaining({ id: 'cert.certificate', status: 'warn', required: false }),
    ]);
    expect(
      await certificateStep.plan?.(context(), config({ method: 'dns', includeWildcard: true }), {}),
    ).toEqual([
      {
        step: 'cert',
        action: 'request',
        resource: 'certificate for the hosting domain',
        detail: 'ACM, validated by DNS: the CNAMEs go into the hosted zone',
      },
    ]);
  });

  it('auto picks DNS validation when the zone is delegated and in this account', async () => {
    const stepOutputs = await hostedZone();
    const ctx = context({ stepOutputs, clock: waitingClock() });
    await certificateStep.apply?.(ctx, config({ method: 'auto' }), {});
    const choice = progressOf(ctx.events).find((event) => event.facts.reason);
    expect(choice?.facts.method).toBe('DNS');
  });

  it('auto picks email validation when the zone is not delegated', async () => {
    await parent.setZone('example.test', '@ NS ns1\nns1 A 127.0.0.1');
    try {
      const stepOutputs = await hostedZone();
      const ctx = context({ stepOutputs });
      const error = await certificateStep
        .apply?.(ctx, config({ method: 'auto', waitForIssued: 0 }), {})
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'certificate.validation-timeout' });
      const choice = progressOf(ctx.events).find((event) => event.facts.reason);
      expect(choice?.facts.method).toBe('EMAIL');
      expect(String(choice?.facts.reason)).toContain('not delegated');
    } finally {
      await parent.setZone('example.test', parentZone);
    }
  });
});

describe('certificate step: email validation', () => {
  it('shows the five approver addresses at the root domain, resends on request, and waits', async () => {
    const stepOutputs = await hostedZone();
    const ctx = context({ stepOutputs, clock: waitingClock() });
    const outputs = await certificateStep.apply?.(ctx, config({ method: 'email' }), { resendEmail: true });
    const progress = progressOf(ctx.events);
    const shown = progress.find((event) => event.facts.approvers);
    expect(shown?.facts.approvers).toEqual([
      'admin@example.test',
      'administrator@example.test',
      'hostmaster@example.test',
      'postmaster@example.test',
      'webmaster@example.test',
    ]);
    expect(progress.some((event) => event.message === `Sent the approval mail for ${domain} again`)).toBe(
      true,
    );
    const described = await acmClient.send(
      new DescribeCertificateCommand({ CertificateArn: outputs?.certificateArn ?? '' }),
    );
    expect(described.Certificate?.Status).toBe('ISSUED');
  });

  it('offers a resend while a request of this step waits for approval', async () => {
    const ctx = context();
    await ctx.aws.use(acmPort).requestCertificate({
      domainName: domain,
      subjectAlternativeNames: [],
      validationMethod: 'EMAIL',
      validationDomain: 'example.test',
      idempotencyToken: 'pending',
      tags: { 'stackguide:deployment': 'test', 'stackguide:step': 'cert', 'stackguide:validation': 'EMAIL' },
    });
    const questions: string[] = [];
    const prompter = fakePrompter({
      confirm: (message) => {
        questions.push(message);
        return true;
      },
    });
    const inputs = await certificateStep.ask?.(context({ prompter }), config({ method: 'email' }), undefined);
    expect(questions).toEqual([
      `The certificate for ${domain} still waits for approval by email. Send the approval mail again?`,
    ]);
    expect(inputs).toEqual({ resendEmail: true });
    expect(certificateStep.saveable?.(inputs ?? {})).toEqual({});
  });
});

describe('certificate step: import', () => {
  function files(certificate: string, key: string) {
    return { certificatePath: join(pems, certificate), privateKeyPath: join(pems, key) };
  }

  /** An AWS context that counts every port it is asked for: zero means no AWS call was possible. */
  function counting(ctx: ReturnType<typeof context>): {
    ctx: ReturnType<typeof context>;
    uses: () => number;
  } {
    let uses = 0;
    const aws: AwsContext = {
      ...ctx.aws,
      use: (factory) => {
        uses++;
        return ctx.aws.use(factory);
      },
    };
    return { ctx: { ...ctx, aws }, uses: () => uses };
  }

  it('refuses a key that does not match the certificate before any AWS call', async () => {
    const { ctx, uses } = counting(context());
    const inputs = files('cert.pem', 'other-key.pem');
    const error = await certificateStep
      .apply?.(ctx, config({ method: 'import', domain }), inputs)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StackguideError);
    expect(error).toMatchObject({ code: 'certificate.import-refused', kind: 'user' });
    expect((error as StackguideError).details).toEqual([
      expect.objectContaining({
        path: inputs.privateKeyPath,
        message: expect.stringContaining('does not belong'),
      }),
    ]);
    expect(uses()).toBe(0);
    expect(await certificates()).toEqual([]);

    const check = byId(await certificateStep.check(context(), config({ method: 'import', domain }), inputs));
    expect(check.get('cert.pem')).toMatchObject({ status: 'fail', required: true });
  });

  it('refuses a certificate that does not cover the domain, or has expired', async () => {
    const wrongName = await certificateStep
      .apply?.(context(), config({ method: 'import', domain }), files('other-name.pem', 'key.pem'))
      .catch((e: unknown) => e);
    expect((wrongName as StackguideError).details[0]?.message).toContain(`does not cover ${domain}`);

    const later = new TestClock(Date.parse('2031-01-01T00:00:00Z'));
    const expired = await certificateStep
      .apply?.(context({ clock: later }), config({ method: 'import', domain }), files('cert.pem', 'key.pem'))
      .catch((e: unknown) => e);
    expect((expired as StackguideError).details[0]?.message).toMatch(/^expired on /);

    const wildcard = await certificateStep
      .apply?.(
        context(),
        config({ method: 'import', domain: 'other.example.test', includeWildcard: true }),
        files('other-name.pem', 'key.pem'),
      )
      .catch((e: unknown) => e);
    expect((wildcard as StackguideError).details.map((detail) => detail.message)).toEqual([
      'does not cover *.other.example.test (it is for other.example.test)',
    ]);
    expect(await certificates()).toEqual([]);
  });

  it('imports a matching certificate once, keeping only the ARN and never the key', async () => {
    const ctx = context();
    const inputs = files('cert.pem', 'key.pem');
    const cfg = config({ method: 'import', domain, includeWildcard: true });
    const outputs = await certificateStep.apply?.(ctx, cfg, inputs);
    const held = await certificates();
    expect(held.map((summary) => summary.CertificateArn)).toEqual([outputs?.certificateArn]);
    expect(ctx.events.filter((event) => event.type === 'step.resource-created')).toEqual([
      {
        type: 'step.resource-created',
        step: expect.any(String),
        resource: { kind: 'certificate', id: outputs?.certificateArn, name: expect.stringContaining(domain) },
      },
    ]);

    const key = await readFile(inputs.privateKeyPath, 'utf8');
    const keyBody = key.split('\n')[1] ?? 'unreachable';
    const saved = certificateStep.saveable?.(inputs);
    for (const kept of [JSON.stringify(ctx.events), JSON.stringify(outputs), JSON.stringify(saved)]) {
      expect(kept).not.toContain(keyBody);
      expect(kept).not.toContain('PRIVATE KEY');
    }
    expect(saved).toEqual(inputs);

    // The second run finds the same serial in ACM (ACM's colon-separated hex) and imports nothing.
    const secondRun = context();
    const again = await certificateStep.apply?.(secondRun, cfg, inputs);
    expect(again?.certificateArn).toBe(outputs?.certificateArn);
    expect(progressOf(secondRun.events).map((entry) => entry.message)).toContain(
      `The certificate is imported already: ${outputs?.certificateArn}`,
    );
    expect(progressOf(secondRun.events).map((entry) => entry.message)).not.toContainEqual(
      expect.stringMatching(/^Re-importing|^Imported the certificate/),
    );
    expect(await certificates()).toHaveLength(1);
    expect(secondRun.events.some((event) => event.type === 'step.resource-created')).toBe(false);

    const check = byId(await certificateStep.check(context(), cfg, inputs));
    expect(check.get('cert.pem')?.status).toBe('pass');
    expect(check.get('cert.certificate')?.status).toBe('pass');
    expect(check.get('cert.renewal')).toMatchObject({
      status: 'warn',
      summary: 'imported: ACM never renews it',
    });

    // Its renewal goes into the same certificate: nothing new is made, and nothing is said to be.
    const renewal = context();
    const renewed = await certificateStep.apply?.(renewal, cfg, files('renewed.pem', 'key.pem'));
    expect(renewed?.certificateArn).toBe(outputs?.certificateArn);
    expect(progressOf(renewal.events).map((entry) => entry.message)).toContainEqual(
      expect.stringMatching(/^Re-importing /),
    );
    expect(renewal.events.some((event) => event.type === 'step.resource-created')).toBe(false);
    expect(await certificates()).toHaveLength(1);
  });
});

describe('certificate step: a pre-validated ARN', () => {
  it('refuses a certificate of another region', async () => {
    const west = context({ region: 'us-west-2' });
    const arn = await west.aws.use(acmPort).requestCertificate({
      domainName: domain,
      subjectAlternativeNames: [],
      validationMethod: 'DNS',
      idempotencyToken: 'west',
      tags: {},
    });
    expect(arn).toContain(':us-west-2:');
    const ctx = context();
    const error = await certificateStep
      .apply?.(ctx, config({ method: 'arn', domain }), { certificateArn: arn })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'certificate.wrong-region', kind: 'user' });
    expect((error as StackguideError).message).toContain(
      'is in us-west-2, but the platform is deployed in us-east-1',
    );
    const check = byId(
      await certificateStep.check(ctx, config({ method: 'arn', domain }), { certificateArn: arn }),
    );
    expect(check.get('cert.region')).toMatchObject({ status: 'fail', required: true });
  });

  it('refuses one that is not issued yet or does not cover the domain, and takes a good one', async () => {
    const ctx = context();
    const acm = ctx.aws.use(acmPort);
    const pending = await acm.requestCertificate({
      domainName: domain,
      subjectAlternativeNames: [],
      validationMethod: 'DNS',
      idempotencyToken: 'pending',
      tags: {},
    });
    await expect(
      certificateStep.apply?.(ctx, config({ method: 'arn', domain }), { certificateArn: pending }),
    ).rejects.toMatchObject({
      code: 'certificate.not-issued',
    });

    const [certificate, key, other] = await Promise.all(
      ['cert.pem', 'key.pem', 'other-name.pem'].map((name) => readFile(join(pems, name), 'utf8')),
    );
    const otherArn = await acm.importCertificate({
      certificate: other ?? '',
      privateKey: key ?? '',
      tags: {},
    });
    await expect(
      certificateStep.apply?.(ctx, config({ method: 'arn', domain }), { certificateArn: otherArn }),
    ).rejects.toMatchObject({
      code: 'certificate.not-covering',
    });

    const good = await acm.importCertificate({
      certificate: certificate ?? '',
      privateKey: key ?? '',
      tags: {},
    });
    const outputs = await certificateStep.apply?.(
      ctx,
      config({ method: 'arn', domain, includeWildcard: true }),
      { certificateArn: good },
    );
    expect(outputs).toEqual({ certificateArn: good });
    const check = byId(
      await certificateStep.check(ctx, config({ method: 'arn', domain }), { certificateArn: good }),
    );
    expect(check.get('cert.certificate')?.status).toBe('pass');
    expect(check.get('cert.covers')?.status).toBe('pass');
    expect(check.get('cert.expiry')?.summary).toMatch(/\(29 days\)|\(30 days\)/);
    // A date as read, as preflight prints it (trial finding 84), the ISO time kept in the facts.
    expect(check.get('cert.expiry')?.summary).toMatch(/^valid until \d{1,2} [A-Z][a-z]{2} \d{4} \(/);
    expect(check.get('cert.expiry')?.facts?.notAfter).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(check.get('cert.renewal')?.status).toBe('warn');
    expect(check.get('cert.in-use')?.summary).toBe('not in use yet');
  });

  it('asks for the ARN unattended from the answers file, and names the key when it is missing', async () => {
    const arn = 'arn:aws:acm:us-east-1:123456789012:certificate/abc';
    expect(
      await certificateStep.ask?.(context(), config({ method: 'arn' }), { certificateArn: arn }),
    ).toEqual({
      certificateArn: arn,
    });
    await expect(
      certificateStep.ask?.(context(), config({ method: 'arn' }), undefined),
    ).rejects.toMatchObject({
      code: 'answers.missing',
      details: [expect.objectContaining({ path: 'steps.cert.certificateArn' })],
    });
  });
});

function fakePrompter(answers: { confirm: (message: string) => boolean }): Prompter {
  return {
    confirm: async (question) => answers.confirm(question.message),
    select: async () => {
      throw new Error('not asked in these tests');
    },
    input: async () => '',
    section: () => {},
    password: async () => '',
  };
}
