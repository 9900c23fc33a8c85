import { describe, expect, it } from 'vitest';
import { toAwsError } from '../../src/aws/aws-errors.ts';

/**
 * What the errors tell an operator depends on where the calls go: an endpoint of their own
 * (--endpoint-url, AWS_ENDPOINT_URL) or AWS. Nothing about endpoints is said to someone using AWS.
 */
const missing = () =>
  Object.assign(new Error('Could not load credentials from any providers'), {
    name: 'CredentialsProviderError',
  });
const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' });

describe('errors where the calls go to AWS or to an endpoint of your own', () => {
  it('no credentials: says how to configure them, and mentions test keys only for an endpoint', () => {
    const toAws = toAwsError(missing(), 'STS GetCallerIdentity', {});
    expect(toAws.code).toBe('credentials.missing');
    expect(toAws.nextSteps).toEqual([
      'Run: aws configure   (or aws configure sso), or pass --profile <name>, or set AWS_PROFILE',
    ]);
    const toEndpoint = toAwsError(missing(), 'STS GetCallerIdentity', { endpoint: 'http://127.0.0.1:4566' });
    expect(toEndpoint.nextSteps).toEqual([
      'Run: aws configure   (or aws configure sso), or pass --profile <name>, or set AWS_PROFILE',
      'For the endpoint http://127.0.0.1:4566, any non-empty AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY may do.',
    ]);
  });

  it('unreachable: the network for AWS, the endpoint itself for an endpoint', () => {
    expect(toAwsError(refused(), 'STS GetCallerIdentity', {}).nextSteps).toEqual([
      'Check your network connection and proxy settings, then run the command again.',
    ]);
    expect(
      toAwsError(refused(), 'STS GetCallerIdentity', { endpoint: 'http://127.0.0.1:4566' }).nextSteps,
    ).toEqual(['Check that the endpoint http://127.0.0.1:4566 is up (an emulator must be running).']);
  });
});
