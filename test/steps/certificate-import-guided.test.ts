import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateStep } from '../../src/steps/certificate/certificate-step.ts';
import { accountStepContext, configOf, scriptedPrompter } from '../support/account-step-context.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { makePemFixtures, type PemFixtures } from '../support/pem-fixtures.ts';

/**
 * Guided, the files of a certificate to import are checked one by one as their paths are given, each
 * against the ones before it, and asked again with the reason; found only after the last question, a
 * certificate given as the key ended the run (trial finding 18). No AWS call is made while asking.
 */
const domain = 'codeocean.example.test';
let pems: PemFixtures;

beforeAll(async () => {
  pems = await makePemFixtures(domain);
}, 60_000);
afterAll(() => pems?.remove());

describe('certificate import, guided', () => {
  it('refuses each unusable file at its own question, with the reason, and takes the right ones', async () => {
    const prompter = scriptedPrompter([
      {
        input: pems.certificate,
        match: /^Certificate file/,
        invalid: [
          [pems.key, /holds a private key, not a certificate\. Give the certificate file/],
          [pems.der, /is DER \(binary\), not PEM/],
          [pems.wrongName, new RegExp(`does not cover ${domain.replace(/\./g, '\\.')}`)],
        ],
      },
      {
        input: pems.key,
        match: /^Private key file/,
        invalid: [
          [pems.certificate, /holds a certificate, not a private key\. Give the private key file/],
          [pems.otherKey, /does not belong to the certificate/],
          [pems.encryptedKey, /is encrypted with a passphrase/],
        ],
      },
      {
        input: pems.chain,
        match: /^Certificate chain file/,
        invalid: [[pems.impostorChain, /did not issue the certificate/]],
      },
    ]);
    // The fixtures are made now: the run's clock is now too.
    const context = { ...accountStepContext({ stepId: 'cert', prompter }), clock: new FakeClock(Date.now()) };
    const inputs = await certificateStep.ask?.(
      context,
      configOf(certificateStep, { method: 'import', domain }),
      undefined,
    );
    expect(inputs).toEqual({
      certificatePath: pems.certificate,
      privateKeyPath: pems.key,
      chainPath: pems.chain,
    });
    expect(prompter.remaining()).toBe(0);
  });

  it('takes an empty chain, and checks a file only once its path is given', async () => {
    const prompter = scriptedPrompter([
      {
        input: pems.certificate,
        invalid: [
          // Each refusal names what it refuses, nothing typed included (trial finding 95).
          ['', /^The path is empty: this file is needed\. Give the path of a PEM file\.$/],
          [`${pems.dir}/absent.pem`, /There is no file/],
        ],
      },
      { input: pems.key },
      { input: '' },
    ]);
    const context = { ...accountStepContext({ stepId: 'cert', prompter }), clock: new FakeClock(Date.now()) };
    const inputs = await certificateStep.ask?.(
      context,
      configOf(certificateStep, { method: 'import', domain }),
      undefined,
    );
    expect(inputs).toEqual({ certificatePath: pems.certificate, privateKeyPath: pems.key });
  });

  it('names the ARN it refuses when the certificate is given by its ARN (trial finding 95)', async () => {
    const arn = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789';
    const prompter = scriptedPrompter([
      {
        input: arn,
        invalid: [
          ['', /^The ARN is empty\. Give an ARN such as arn:aws:acm:/],
          ['my-cert', /^"my-cert" is not an ACM certificate ARN\. Give an ARN such as/],
        ],
      },
    ]);
    const context = { ...accountStepContext({ stepId: 'cert', prompter }), clock: new FakeClock(Date.now()) };
    const inputs = await certificateStep.ask?.(
      context,
      configOf(certificateStep, { method: 'arn', domain }),
      undefined,
    );
    expect(inputs).toEqual({ certificateArn: arn });
  });

  it('asks no path the answers file holds, and all of them again from the review (trial finding 21)', async () => {
    const saved = { certificatePath: pems.certificate, privateKeyPath: pems.key, chainPath: pems.chain };
    const config = configOf(certificateStep, { method: 'import', domain });
    const quiet = scriptedPrompter([]);
    const context = {
      ...accountStepContext({ stepId: 'cert', prompter: quiet }),
      clock: new FakeClock(Date.now()),
    };
    expect(await certificateStep.ask?.(context, config, saved)).toEqual(saved);
    expect(quiet.asked).toEqual([]);
    // The file's paths are still checked: one that is no longer usable is refused before any AWS call.
    const swapped = await certificateStep
      .ask?.(context, config, { ...saved, privateKeyPath: pems.certificate })
      .catch((caught: unknown) => caught);
    expect(swapped).toMatchObject({ code: 'certificate.import-refused' });

    const again = scriptedPrompter([{ input: pems.certificate }, { input: pems.key }, { input: '' }]);
    const review = {
      ...accountStepContext({ stepId: 'cert', prompter: again }),
      clock: new FakeClock(Date.now()),
      reask: true,
    };
    expect(await certificateStep.ask?.(review, config, saved)).toEqual({
      certificatePath: pems.certificate,
      privateKeyPath: pems.key,
    });
    expect(again.asked.map((question) => question.default)).toEqual([pems.certificate, pems.key, pems.chain]);
  });
});
