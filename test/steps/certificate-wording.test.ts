import { describe, expect, it } from 'vitest';
import type { ValidationFacts } from '../../src/steps/certificate/certificate-validation.ts';
import {
  approverAddresses,
  arnProblem,
  dayText,
  notYetResult,
  pemResult,
  pendingFix,
  unusableCertificate,
} from '../../src/steps/certificate/certificate-wording.ts';
import type { CheckResult, StepContext } from '../../src/steps/step.ts';

// The wording needs only who and where the step runs: no AWS context is ever touched.
const context = { stepId: 'cert', region: 'us-east-1', account: '123456789012' } as StepContext;

describe('certificate wording, apart from the AWS calls', () => {
  it('names what is wrong with an ARN before asking ACM: its form, its region, its account', () => {
    expect(arnProblem(context, 'arn:aws:acm:us-east-1:123456789012:certificate/abc-1')).toBeUndefined();
    expect(arnProblem(context, 'not-an-arn')).toMatchObject({
      code: 'certificate.invalid-arn',
      summary: '"not-an-arn" is not an ACM certificate ARN',
      fix: expect.stringContaining('steps.cert.certificateArn'),
    });
    expect(arnProblem(context, 'arn:aws:acm:eu-west-1:123456789012:certificate/abc-1')).toMatchObject({
      code: 'certificate.wrong-region',
      id: 'cert.region',
      summary: expect.stringContaining('is in eu-west-1, but the platform is deployed in us-east-1'),
    });
    expect(arnProblem(context, 'arn:aws:acm:us-east-1:210987654321:certificate/abc-1')).toMatchObject({
      code: 'certificate.wrong-account',
      summary: expect.stringContaining('belongs to the account 210987654321, not to 123456789012'),
    });
  });

  it('says which check made a given certificate unusable, with every fix', () => {
    const failed = (id: string, fix: string): CheckResult => ({
      id,
      step: 'cert',
      title: id,
      status: 'fail',
      summary: 'no',
      fix,
      required: true,
    });
    expect(
      unusableCertificate('arn:x', [failed('cert.covers', 'a'), failed('cert.expiry', 'b')]),
    ).toMatchObject({
      code: 'certificate.not-covering',
      kind: 'user',
      message: 'The certificate arn:x cannot be used: cert.covers: no; cert.expiry: no',
      nextSteps: ['a', 'b'],
    });
    expect(unusableCertificate('arn:x', [failed('cert.expiry', 'b')]).code).toBe('certificate.expired');
    expect(unusableCertificate('arn:x', [failed('cert.status', 'c')]).code).toBe('certificate.not-issued');
  });

  it('words the local PEM check and the not-yet state', () => {
    const paths = { certificate: 'cert.pem', privateKey: 'key.pem' };
    expect(
      pemResult(
        context,
        { problems: [{ path: 'key.pem', message: 'does not match', fix: 'Give the key.' }], facts: null },
        paths,
      ),
    ).toMatchObject({
      status: 'fail',
      summary: 'key.pem does not match',
      fix: 'Give the key.',
      required: true,
    });
    expect(notYetResult(context, 'import')).toMatchObject({
      status: 'warn',
      summary: 'not imported yet: stackguide install imports it',
    });
    expect(approverAddresses('example.com')).toEqual([
      'admin@example.com',
      'administrator@example.com',
      'hostmaster@example.com',
      'postmaster@example.com',
      'webmaster@example.com',
    ]);
  });

  it('says what a pending certificate waits for, instead of sending the operator back to install', () => {
    const record = { name: '_a.app.example.com', type: 'CNAME', value: '_b.acm-validations.aws' };
    const dns = (
      answered: boolean | null,
      delegation: ValidationFacts['delegation'] = null,
    ): ValidationFacts => ({
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-1',
      status: 'PENDING_VALIDATION',
      method: 'DNS',
      domains: [
        {
          domain: 'app.example.com',
          validationStatus: 'PENDING_VALIDATION',
          record,
          answeredByPublicDns: answered,
          validationEmails: [],
        },
        {
          domain: '*.app.example.com',
          validationStatus: 'PENDING_VALIDATION',
          record,
          answeredByPublicDns: answered,
          validationEmails: [],
        },
      ],
      delegation,
    });
    const notDelegated = pendingFix(
      dns(false, {
        status: 'stale',
        explanation: 'example.com delegates app.example.com to an earlier hosted zone',
        fix: {
          summary: 'At the registrar of example.com, replace the NS records of app.example.com:',
          add: ['app.example.com. NS ns-1.awsdns-01.com.'],
          remove: ['app.example.com. NS ns-9.awsdns-09.com.'],
        },
      }),
    );
    expect(notDelegated).toBe(
      'ACM cannot see the validation records until the zone is delegated: example.com delegates app.example.com to an earlier hosted zone. At the registrar of example.com, replace the NS records of app.example.com: app.example.com. NS ns-1.awsdns-01.com. Remove: app.example.com. NS ns-9.awsdns-09.com.',
    );
    // The wildcard shares its record with the name: said once.
    expect(pendingFix(dns(false))).toBe(
      'Public DNS does not answer the validation record _a.app.example.com. CNAME _b.acm-validations.aws. yet: make sure the zone holds it; ACM gives up 72 hours after the request.',
    );
    expect(pendingFix(dns(null))).toContain('STACKGUIDE_DNS_RESOLVERS');
    expect(pendingFix(dns(true))).toMatch(
      /^The validation records answer in public DNS: ACM validates them on its own/,
    );
    const email: ValidationFacts = {
      ...dns(null),
      method: 'EMAIL',
      domains: [
        {
          domain: 'app.example.com',
          validationStatus: 'PENDING_VALIDATION',
          record: null,
          answeredByPublicDns: null,
          validationEmails: ['admin@example.com', 'hostmaster@example.com'],
        },
      ],
    };
    expect(pendingFix(email)).toBe(
      'Approve the validation mail ACM sent to admin@example.com, hostmaster@example.com; ACM gives up 72 hours after the request.',
    );
  });
});

describe("a certificate's dates in the checks' words (trial finding 84)", () => {
  it('reads as a day, in UTC as ACM keeps it, and leaves a text that is no date as it is', () => {
    expect(dayText('2027-03-03T18:35:06.000Z')).toBe('3 Mar 2027');
    expect(dayText(new Date('2026-12-31T23:59:59.000Z'))).toBe('31 Dec 2026');
    expect(dayText('soon')).toBe('soon');
  });
});
