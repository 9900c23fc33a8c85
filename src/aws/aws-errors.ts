import { ExitCode, StackguideError } from '../errors.ts';
import { call, grantsOf } from './port-permissions.ts';
import type { PortToken } from './port-token.ts';

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
  /** The `stackguide policy` command for this run's blueprint and answers, named when AWS refuses a call. */
  policyCommand?: string;
}

/** The port method a failed call was made through, to name its IAM actions when AWS does not. */
export interface FailedCall {
  token: PortToken<object>;
  method: string;
}

export function toAwsError(
  error: unknown,
  action: string,
  context: AwsErrorContext,
  failedCall?: FailedCall,
): StackguideError {
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
        // Only where the calls go to an endpoint of the operator's own: AWS itself wants real keys.
        ...(context.endpoint
          ? [
              `For the endpoint ${context.endpoint}, any non-empty AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY may do.`,
            ]
          : []),
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
  if (isAccessDenied(name, error)) return accessDenied(error, message, action, context, failedCall);
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

/** AWS's names for "these credentials may not do that": IAM's, EC2's, SNS's, and S3's bare 403. */
function isAccessDenied(name: string, error: unknown): boolean {
  if (['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError'].includes(name))
    return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return name === 'Forbidden' && status === 403;
}

/**
 * AWS refused a call: the error names the IAM action (AWS's words when it says it, else the actions the
 * port registry lists for the call), the resource when AWS names it, who was refused, and the
 * `stackguide policy` command whose output grants it. AWS's own message stays in the details.
 */
function accessDenied(
  error: unknown,
  message: string,
  action: string,
  context: AwsErrorContext,
  failedCall: FailedCall | undefined,
): StackguideError {
  const said = /perform:?\s+([a-z0-9-]+:[A-Za-z0-9*]+)/.exec(message)?.[1];
  const registered = failedCall
    ? [
        ...new Set(
          grantsOf(call(failedCall.token, failedCall.method as never)).flatMap((grant) => grant.actions),
        ),
      ]
    : [];
  const actions = said ? [said] : registered;
  const named =
    actions.length === 0
      ? action
      : actions.length === 1
        ? (actions[0] as string)
        : `one of ${actions.join(', ')}`;
  const resource = /on resource:?\s+"?(\S+)/.exec(message)?.[1]?.replace(/["',.]+$/, '');
  const principal = /User:?\s+(arn:\S+)/.exec(message)?.[1];
  const policy = context.policyCommand ?? 'stackguide policy <blueprint> --config <answers file>';
  return new StackguideError(
    `AWS refused ${named}${resource ? ` on ${resource}` : ''}${principal ? ` to ${principal}` : ''} (${action})`,
    {
      code: 'aws.access-denied',
      // AWS's refusal (steps that can go on without a permission tell it by its kind and code); exit 3:
      // the credentials are refused, and the message names the command that fixes it.
      kind: 'aws',
      exitCode: ExitCode.credentials,
      cause: error,
      details: [{ path: action, message }],
      nextSteps: [
        `Grant ${actions.length > 0 ? actions.join(' and ') : 'it'}${resource ? ` on ${resource}` : ''} to these credentials: ${policy} prints the policy that allows every call install, status, watch, upgrade and destroy make.`,
        'Then run the same command again.',
      ],
    },
  );
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
