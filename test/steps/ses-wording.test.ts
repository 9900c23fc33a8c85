import { describe, expect, it } from 'vitest';
import type { SesAccount } from '../../src/aws/sesv2-port.ts';
import { toRegionAccount } from '../../src/steps/ses/account-access.ts';
import { sesConfig } from '../../src/steps/ses/ses-config.ts';
import { checkRegion, statusLine } from '../../src/steps/ses/ses-wording.ts';
import type { StepContext } from '../../src/steps/step.ts';

// The wording needs only the step id: no AWS context is touched.
const context = { stepId: 'ses', region: 'us-east-1' } as StepContext;
const config = (raw: Record<string, unknown> = {}) => sesConfig.configSchema.parse(raw);
const account = (overrides: Partial<SesAccount> = {}): SesAccount => ({
  productionAccessEnabled: false,
  sendingEnabled: true,
  sendQuota: { max24HourSend: 200, maxSendRate: 1 },
  ...overrides,
});

describe('SES wording, apart from the SESv2 calls', () => {
  it('fails a required region in the sandbox and says what to do', () => {
    const [result, ...rest] = checkRegion(
      context,
      config({ required: true }),
      {},
      toRegionAccount('us-east-1', account()),
    );
    expect(rest).toEqual([]);
    expect(result).toMatchObject({
      id: 'ses.us-east-1',
      title: 'SES production access in us-east-1',
      status: 'fail',
      required: true,
      summary: expect.stringMatching(/^sandbox \(.*verified recipients only\); /),
      fix:
        'Run stackguide install in a terminal to request production access (guided), or set steps.ses.mailType, ' +
        'websiteUrl, useCaseDescription (and contactLanguage, additionalContactEmailAddresses) in the answers ' +
        'file, or request it in the console: https://us-east-1.console.aws.amazon.com/ses/home?region=us-east-1#/account.',
    });
  });

  it('reports a paused account and a quota below what the platform needs, in production too', () => {
    const entry = toRegionAccount(
      'eu-west-1',
      account({
        productionAccessEnabled: true,
        sendingEnabled: false,
        enforcementStatus: 'SHUTDOWN',
        sendQuota: { max24HourSend: 1000 },
      }),
    );
    const results = checkRegion(context, config({ minDailyQuota: 5000 }), {}, entry);
    expect(results.map((result) => [result.id, result.status])).toEqual([
      ['ses.eu-west-1', 'pass'],
      ['ses.eu-west-1.sending', 'warn'],
      ['ses.eu-west-1.quota', 'warn'],
    ]);
    expect(results[1]?.summary).toBe('sending is paused (enforcement status SHUTDOWN)');
    expect(results[2]?.summary).toBe('1000 emails per 24 hours, the platform needs 5000');
  });

  it('words a pending review with its case', () => {
    const entry = toRegionAccount(
      'us-east-1',
      account({
        details: { additionalContactEmailAddresses: [], review: { status: 'PENDING', caseId: '42' } },
      }),
    );
    expect(entry).toMatchObject({ state: 'pending', caseId: '42' });
    expect(statusLine(entry, {})).toContain('us-east-1');
  });
});
