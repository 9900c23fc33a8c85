import { StackguideError } from '../errors.ts';
import type { AwsTimeouts } from './aws-call-guard.ts';

/** The AWS-related flags every command accepts, as commander hands them over (seconds as text). */
export interface AwsFlags {
  connectTimeout?: string;
  readTimeout?: string;
  callDeadline?: string;
}

const TIMEOUTS = [
  {
    key: 'connectTimeoutMs',
    flag: '--connect-timeout',
    option: 'connectTimeout',
    env: 'STACKGUIDE_CONNECT_TIMEOUT',
  },
  { key: 'readTimeoutMs', flag: '--read-timeout', option: 'readTimeout', env: 'STACKGUIDE_READ_TIMEOUT' },
  { key: 'callDeadlineMs', flag: '--call-deadline', option: 'callDeadline', env: 'STACKGUIDE_CALL_DEADLINE' },
] as const;

/**
 * The timeouts the operator chose: a flag wins over its environment variable; what neither sets keeps
 * its default. A value that is not a positive number of seconds is a usage error before any AWS call.
 */
export function resolveTimeouts(
  flags: AwsFlags,
  env: Readonly<Record<string, string | undefined>>,
): Partial<AwsTimeouts> {
  const timeouts: Partial<AwsTimeouts> = {};
  for (const { key, flag, option, env: variable } of TIMEOUTS) {
    const fromFlag = flags[option];
    const given = fromFlag ?? env[variable];
    if (given === undefined || given === '') continue;
    const seconds = Number(given);
    if (!Number.isFinite(seconds) || seconds <= 0) {
      const where = fromFlag !== undefined ? flag : variable;
      throw new StackguideError(`${where} must be a number of seconds`, {
        code: 'usage.timeout',
        kind: 'user',
        details: [
          {
            path: where,
            message: `"${given}" is not a positive number`,
            fix: `Give seconds, e.g. ${where === flag ? `${flag} 60` : `${variable}=60`}.`,
          },
        ],
      });
    }
    timeouts[key] = Math.round(seconds * 1000);
  }
  return timeouts;
}
