import { describe, expect, it } from 'vitest';
import { toAwsError } from '../../src/aws/aws-errors.ts';
import { cloudFormationPort } from '../../src/aws/cloudformation-port.ts';
import type { PortToken } from '../../src/aws/port-token.ts';
import { s3Port } from '../../src/aws/s3-port.ts';
import { policyCommandFor } from '../../src/commands/command-context.ts';
import { ExitCode } from '../../src/errors.ts';

const awsError = (name: string, message: string, status = 403) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status, requestId: 'r-1' } });
const policyCommand = 'stackguide policy blueprints/demo --config demo.answers.yaml';

describe('AccessDenied explained', () => {
  it("names the action, the resource, who was refused and the policy command, from AWS's message", () => {
    const error = toAwsError(
      awsError(
        'AccessDenied',
        'User: arn:aws:iam::123456789012:user/operator is not authorized to perform: cloudformation:CreateChangeSet on resource: arn:aws:cloudformation:us-east-1:123456789012:stack/demo-data/* because no identity-based policy allows the cloudformation:CreateChangeSet action',
      ),
      'CloudFormation CreateChangeSet',
      { policyCommand },
      { token: cloudFormationPort as PortToken<object>, method: 'createChangeSet' },
    );
    expect(error).toMatchObject({ code: 'aws.access-denied', exitCode: ExitCode.credentials });
    expect(error.message).toBe(
      'AWS refused cloudformation:CreateChangeSet on arn:aws:cloudformation:us-east-1:123456789012:stack/demo-data/* to arn:aws:iam::123456789012:user/operator (CloudFormation CreateChangeSet)',
    );
    expect(error.nextSteps[0]).toContain(`${policyCommand} prints the policy`);
    expect(error.details[0]?.message).toContain('because no identity-based policy');
  });

  it('names the actions the registry lists for the call when AWS says only "Access Denied" (S3)', () => {
    const error = toAwsError(
      awsError('AccessDenied', 'Access Denied'),
      'S3 GetBucketTagging',
      {},
      {
        token: s3Port as PortToken<object>,
        method: 'bucketTags',
      },
    );
    expect(error.message).toBe('AWS refused s3:GetBucketTagging (S3 GetBucketTagging)');
    expect(error.nextSteps[0]).toContain('stackguide policy <blueprint>');
    const several = toAwsError(
      awsError('AccessDenied', 'Access Denied'),
      'S3 CreateBucket',
      {},
      {
        token: s3Port as PortToken<object>,
        method: 'createPrivateBucket',
      },
    );
    expect(several.message).toMatch(/^AWS refused one of s3:CreateBucket, s3:PutEncryptionConfiguration, /);
  });

  it("knows EC2's and SNS's words for it, and S3's bare 403, and leaves other errors alone", () => {
    for (const name of ['UnauthorizedOperation', 'AuthorizationError', 'AccessDeniedException', 'Forbidden'])
      expect(
        toAwsError(awsError(name, 'You are not authorized to perform this operation.'), 'EC2 X', {}).code,
      ).toBe('aws.access-denied');
    expect(toAwsError(awsError('Forbidden', 'nope', 400), 'S3 X', {}).code).toBe('aws.Forbidden');
    expect(toAwsError(awsError('ValidationError', 'bad', 400), 'CloudFormation X', {}).code).toBe(
      'aws.ValidationError',
    );
  });

  it('builds the policy command from what the operator passed', () => {
    expect(policyCommandFor({ blueprint: 'bp', config: 'a.yaml', name: 'prod', region: 'eu-west-1' })).toBe(
      'stackguide policy bp --config a.yaml --name prod --region eu-west-1',
    );
    expect(policyCommandFor({})).toBe('stackguide policy .');
  });
});
