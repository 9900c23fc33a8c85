import { ExitCode, StackguideError } from '../errors.ts';

/**
 * Turns what the SDK throws into a StackguideError that tells the operator what to do. Credential and
 * connection problems get exact commands; other service errors keep AWS's own code and message.
 */
export interface AwsErrorContext {
  /** The profile named by --profile or AWS_PROFILE; absent for the default chain. */
  profile?: string;
  endpoint?: string;
  /** The shared files the profile comes from. */
  configFile?: string;
  credentialsFile?: string;
}

export function toAwsError(error: unknown, action: string, context: AwsErrorContext): StackguideError {
  if (error instanceof StackguideError) return error;
  const name = (error as { name?: string }).name ?? 'Error';
  const message = (error as { message?: string }).message ?? String(error);
  const profileFlag = context.profile ? ` --profile ${context.profile}` : '';
  const files = [context.configFile, context.credentialsFile].filter(Boolean).join(' and ');
  const profileName = context.profile ?? 'default';
  const fromProfile = files ? ` (profile "${profileName}", ${files})` : '';

  if (
    /SSO session .* (expired|invalid)|Token is expired|sso.*refresh/i.test(message) ||
    name === 'SSOTokenProviderFailure'
  ) {
    return new StackguideError(`Your AWS SSO session has expired${fromProfile}`, {
      code: 'credentials.sso-expired',
      kind: 'user',
      exitCode: ExitCode.credentials,
      cause: error,
      nextSteps: [`Run: aws sso login${profileFlag}`, 'Then run the same stackguide command again.'],
    });
  }
  if (
    name === 'CredentialsProviderError' ||
    /Could not load credentials|Unable to locate credentials/i.test(message)
  ) {
    return new StackguideError(`No AWS credentials were found${fromProfile}: ${message}`, {
      code: 'credentials.missing',
      kind: 'user',
      exitCode: ExitCode.credentials,
      cause: error,
      nextSteps: [
        context.profile
          ? `Give the profile "${context.profile}" credentials in ${files || 'the shared files'}: aws configure${profileFlag}   (or aws configure sso${profileFlag})`
          : 'Run: aws configure   (or aws configure sso), or pass --profile <name>, or set AWS_PROFILE',
        'For a local emulator, any non-empty AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY will do.',
      ],
    });
  }
  if (['ExpiredToken', 'ExpiredTokenException', 'RequestExpired'].includes(name)) {
    return new StackguideError(`Your AWS session token has expired${fromProfile}`, {
      code: 'credentials.expired',
      kind: 'user',
      exitCode: ExitCode.credentials,
      cause: error,
      nextSteps: [
        'Refresh your credentials (aws sso login, or a new assume-role session), then run the command again.',
      ],
    });
  }
  if (['InvalidClientTokenId', 'SignatureDoesNotMatch', 'UnrecognizedClientException'].includes(name)) {
    return new StackguideError(`AWS does not accept these credentials${fromProfile}: ${message}`, {
      code: 'credentials.invalid',
      kind: 'user',
      exitCode: ExitCode.credentials,
      cause: error,
      nextSteps: [`Check the access key in use: aws sts get-caller-identity${profileFlag}`],
    });
  }
  const code = (error as { code?: string }).code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ECONNRESET' || name === 'TimeoutError') {
    return new StackguideError(`Cannot reach AWS (${action}): ${message}`, {
      code: 'aws.unreachable',
      kind: 'aws',
      cause: error,
      nextSteps: context.endpoint
        ? [`Check that the endpoint ${context.endpoint} is up (an emulator must be running).`]
        : ['Check your network connection and proxy settings, then run the command again.'],
    });
  }
  // The SDK's words for an answer it could not read point at a field nobody can see from here; say what
  // AWS answered instead, with the request id AWS support asks for.
  const metadata = (error as { $metadata?: { httpStatusCode?: number; requestId?: string } }).$metadata;
  const answered = [
    metadata?.httpStatusCode ? `HTTP ${metadata.httpStatusCode}` : undefined,
    metadata?.requestId ? `request id ${metadata.requestId}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  const said = /\$response/.test(message) ? `AWS answered ${name}, which the SDK could not read` : message;
  return new StackguideError(`${action} failed${answered ? ` (${answered})` : ''}: ${said}`, {
    code: `aws.${name}`,
    kind: 'aws',
    cause: error,
    nextSteps: ['Read the AWS message above; if it names a permission, your role needs it.'],
  });
}

/** True for errors the SDK marks throttling, which callers retry with backoff. */
export function isThrottling(error: unknown): boolean {
  const name = (original(error) as { name?: string }).name ?? '';
  return /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown/.test(name);
}

/** True for dropped connections and timeouts: the call may be retried without side effects for reads. */
export function isTransientNetworkError(error: unknown): boolean {
  const code = (original(error) as { code?: string }).code ?? '';
  const name = (original(error) as { name?: string }).name ?? '';
  return (
    ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'UND_ERR_SOCKET'].includes(code) ||
    name === 'TimeoutError'
  );
}

/** The SDK's own error behind a StackguideError made by toAwsError. */
function original(error: unknown): unknown {
  return error instanceof StackguideError && error.cause !== undefined ? error.cause : error;
}
