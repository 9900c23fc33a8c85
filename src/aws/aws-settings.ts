import { join } from 'node:path';
import { ExitCode, StackguideError } from '../errors.ts';
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

/** Where an AWS setting came from, as the README's precedence table names it. */
export type SettingSource =
  | 'flag'
  | 'AWS_PROFILE'
  | 'AWS_REGION'
  | 'AWS_DEFAULT_REGION'
  | 'AWS_ENDPOINT_URL'
  | 'profile'
  | 'default';

/**
 * The profile, region and endpoints of a run, resolved once in the order the AWS CLI and SDK use:
 * flags, then environment variables, then the profile named by --profile or AWS_PROFILE (its region,
 * `endpoint_url` and `services` section) in the shared config files.
 */
export interface ResolvedAwsSettings {
  profile: string;
  profileSource: 'flag' | 'AWS_PROFILE' | 'default';
  /** The shared files consulted (AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, or ~/.aws/...). */
  configFile: string;
  credentialsFile: string;
  /** --region, AWS_REGION, AWS_DEFAULT_REGION, the profile's region; absent when none says. */
  region?: { value: string; source: SettingSource };
  /** Configured endpoints below the --endpoint-url flag: AWS_ENDPOINT_URL, then the profile's. */
  endpoints: ConfiguredEndpoints;
}

export interface ConfiguredEndpoints {
  /** AWS_ENDPOINT_URL. */
  environment?: string;
  /** The profile's services section, by service key (`cloudformation`, `route_53`). */
  profileServices: Readonly<Record<string, string>>;
  /** The profile's `endpoint_url`. */
  profile?: string;
}

export interface AwsProfileFlags {
  profile?: string;
  region?: string;
}

/**
 * Reads the shared config files with the SDK's own loader and resolves the run's profile, region and
 * configured endpoints. A profile named by --profile or AWS_PROFILE that neither file holds is an error
 * naming both files, before any AWS call.
 */
export async function resolveAwsSettings(
  flags: AwsProfileFlags,
  env: Readonly<Record<string, string | undefined>>,
): Promise<ResolvedAwsSettings> {
  const { loadSharedConfigFiles, getHomeDir } = await import('@smithy/core/config');
  const configFile = env.AWS_CONFIG_FILE || join(getHomeDir(), '.aws', 'config');
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE || join(getHomeDir(), '.aws', 'credentials');
  const files = await loadSharedConfigFiles({
    configFilepath: configFile,
    filepath: credentialsFile,
    ignoreCache: true,
  });

  const profileSource = flags.profile ? 'flag' : env.AWS_PROFILE ? 'AWS_PROFILE' : 'default';
  const profile = flags.profile || env.AWS_PROFILE || 'default';
  const inConfig = files.configFile[profile];
  const inCredentials = files.credentialsFile[profile];
  if (profileSource !== 'default' && !inConfig && !inCredentials) {
    const named = profileSource === 'flag' ? `--profile ${profile}` : `AWS_PROFILE=${profile}`;
    throw new StackguideError(`The AWS profile "${profile}" (${named}) is in neither shared file`, {
      code: 'credentials.profile-missing',
      kind: 'user',
      exitCode: ExitCode.credentials,
      details: [
        { path: configFile, message: `no [profile ${profile}] section` },
        { path: credentialsFile, message: `no [${profile}] section` },
      ],
      nextSteps: [
        `Create it: aws configure --profile ${profile}   (or aws configure sso --profile ${profile})`,
        `Or name a profile those files hold${
          Object.keys(files.configFile).length > 0
            ? `: ${Object.keys(files.configFile)
                .filter((name) => !name.includes('.'))
                .join(', ')}`
            : ''
        }.`,
      ],
    });
  }
  const section = inConfig ?? {};
  const region: ResolvedAwsSettings['region'] = flags.region
    ? { value: flags.region, source: 'flag' }
    : env.AWS_REGION
      ? { value: env.AWS_REGION, source: 'AWS_REGION' }
      : env.AWS_DEFAULT_REGION
        ? { value: env.AWS_DEFAULT_REGION, source: 'AWS_DEFAULT_REGION' }
        : section.region
          ? { value: section.region, source: 'profile' }
          : undefined;

  // AWS_IGNORE_CONFIGURED_ENDPOINT_URLS (or the profile's ignore_configured_endpoint_urls) leaves only
  // the endpoints given on the command line, as in the SDK.
  const ignore = isTrue(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? section.ignore_configured_endpoint_urls);
  const profileServices: Record<string, string> = {};
  if (section.services && !ignore) {
    const services = files.configFile[`services.${section.services}`];
    if (!services) {
      throw new StackguideError(
        `The services section "${section.services}" of profile "${profile}" is missing`,
        {
          code: 'credentials.profile-services-missing',
          kind: 'user',
          exitCode: ExitCode.credentials,
          details: [{ path: configFile, message: `no [services ${section.services}] section` }],
          nextSteps: [
            `Add [services ${section.services}] to ${configFile}, or remove services = from the profile.`,
          ],
        },
      );
    }
    for (const [key, value] of Object.entries(services)) {
      const match = /^(.+)\.endpoint_url$/.exec(key);
      if (match?.[1] && value) profileServices[match[1]] = value;
    }
  }
  return {
    profile,
    profileSource,
    configFile,
    credentialsFile,
    ...(region ? { region } : {}),
    endpoints: ignore
      ? { profileServices: {} }
      : {
          ...(env.AWS_ENDPOINT_URL ? { environment: env.AWS_ENDPOINT_URL } : {}),
          profileServices,
          ...(section.endpoint_url ? { profile: section.endpoint_url } : {}),
        },
  };
}

/**
 * The endpoint one service's client is given, first found wins: the service's own variable
 * (AWS_ENDPOINT_URL_<SERVICE>, which stackguide lets win over the flag so one emulator can serve most
 * services and a stand-in the rest), `--endpoint-url`, AWS_ENDPOINT_URL, the profile's services section,
 * the profile's endpoint_url. Undefined: the SDK's regional endpoint. `variable` is the SDK's service
 * variable, whose suffix lower-cased is the service's key in a services section.
 */
export function endpointFor(
  variable: string,
  given: {
    serviceEndpoints?: Readonly<Record<string, string>> | undefined;
    endpointUrl?: string | undefined;
    configured?: ConfiguredEndpoints | undefined;
  },
): string | undefined {
  const key = variable.replace(/^AWS_ENDPOINT_URL_/, '').toLowerCase();
  return (
    given.serviceEndpoints?.[variable] ??
    given.endpointUrl ??
    given.configured?.environment ??
    given.configured?.profileServices[key] ??
    given.configured?.profile
  );
}

function isTrue(value: string | undefined): boolean {
  return value?.toLowerCase() === 'true';
}
