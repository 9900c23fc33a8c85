import { acmPort } from '../../../aws/acm-port.ts';
import type { AskContext, SavedStepInputs, StepContext } from '../../step.ts';
import { certificateResults } from '../certificate-status.ts';
import { progress } from '../certificate-validation.ts';
import {
  arnNotFoundResult,
  arnProblem,
  missingInput,
  refusal,
  unusableCertificate,
} from '../certificate-wording.ts';
import type { CertificateMethod } from './certificate-method.ts';

const ARN_PATTERN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/;

/** `arn`: a certificate the operator already has, checked: ISSUED, covers the domain, this region. */
export const arnMethod: CertificateMethod = {
  async ask(context, _config, saved) {
    return { certificateArn: await askArn(context, saved) };
  },

  async check(context, { inputs, names }) {
    const arn = inputs.certificateArn ?? '';
    const problem = arnProblem(context, arn);
    if (problem) {
      const { code: _code, ...result } = problem;
      return [{ ...result, required: true }];
    }
    const detail = await context.aws.use(acmPort).describeCertificate(arn);
    if (!detail) return [arnNotFoundResult(context, arn)];
    return certificateResults(context, detail, { required: true, names });
  },

  async plan() {
    return [];
  },

  apply: (context, { inputs, names }) => verifyArn(context, inputs.certificateArn ?? '', names),
};

async function askArn(context: AskContext, saved: SavedStepInputs | undefined): Promise<string> {
  const savedArn = typeof saved?.certificateArn === 'string' ? saved.certificateArn : undefined;
  // An ARN the answers file holds is taken as it is (the check says whether it is usable).
  if (context.prompter && (savedArn === undefined || context.reask === true)) {
    return (
      await context.prompter.input({
        message: 'ARN of the ACM certificate for the hosting domain',
        help: `An ISSUED certificate in ${context.region} that covers the hosting domain (aws acm list-certificates --region ${context.region}).`,
        ...(savedArn ? { default: savedArn } : {}),
        // Names the value refused (trial finding 95).
        validate: (value) =>
          ARN_PATTERN.test(value.trim()) ||
          `${value.trim() === '' ? 'The ARN is empty' : `${JSON.stringify(value.trim())} is not an ACM certificate ARN`}. Give an ARN such as arn:aws:acm:us-east-1:123456789012:certificate/…`,
      })
    ).trim();
  }
  if (!savedArn) throw missingInput(context, 'certificateArn', 'the ARN of an ISSUED ACM certificate');
  return savedArn;
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
  if (failed.length > 0) throw unusableCertificate(arn, failed);
  progress(context, `Using the certificate ${arn} (${detail.status}, for ${detail.domainName})`, {
    certificateArn: arn,
    status: detail.status,
  });
  return arn;
}
