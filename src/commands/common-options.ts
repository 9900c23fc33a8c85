import type { AwsExchange, AwsTimeouts } from '../aws/aws-call-guard.ts';
import type { ResolvedAwsSettings } from '../aws/aws-settings.ts';
import { StackguideError } from '../errors.ts';
import type { EventBus } from '../events.ts';
import type { ExistingDeploymentRequest } from '../install/existing-deployment.ts';
import type { Settings } from '../settings.ts';

/** Options every command accepts (PRODUCT.md, "Commands"), as commander hands them over. */
export interface CommonOptions {
  blueprint?: string;
  config?: string;
  region?: string;
  profile?: string;
  endpointUrl?: string;
  yes?: boolean;
  /** install: replace a rendered file the operator edited by hand. */
  overwrite?: boolean;
  /** commander's `--no-input` negation: false when the flag is given. */
  input?: boolean;
  /** `graph` only for validate: the dependency graphs as Mermaid. */
  output?: 'text' | 'json' | 'graph';
  stateDir?: string;
  name?: string;
  set?: string[];
  /** install: the id=value words given as arguments (`install <name> key=value`), also in `set`. */
  answerArguments?: string[];
  watch?: boolean;
  /** `status --all`: every check in full in a terminal too (folded there otherwise). */
  all?: boolean;
  /** `status --drift`: run drift detection on the stacks and wait for it. */
  drift?: boolean;
  /** `--dns-server host:port`, repeatable: the servers the delegation check asks for the parent zone. */
  dnsServer?: string[];
  signal?: AbortSignal;
  /** Flags and environment read once by main (src/settings.ts); absent for validate, which needs none. */
  settings?: Settings;
  /** `--connect-timeout`, `--read-timeout`, `--call-deadline` in seconds, as given. */
  connectTimeout?: string;
  readTimeout?: string;
  callDeadline?: string;
  /** The timeouts main.ts resolved from those flags and the environment. */
  timeouts?: Partial<AwsTimeouts>;
  /** Profile, region and endpoints main.ts resolved from the flags, environment and shared files. */
  aws?: ResolvedAwsSettings;
  /** The region from AWS_REGION, AWS_DEFAULT_REGION or the profile: used after --region and the answers file. */
  awsRegion?: { value: string; source: string };
  /** install, upgrade, destroy, watch: `--timeout <seconds>`, the longest the run waits on AWS. */
  timeout?: string;
  /** install, upgrade, destroy: `--force-unlock <id>` breaks that stale deployment lock first. */
  forceUnlock?: string;
  /** install, upgrade: `--role-arn <arn>`, the CloudFormation service role (checked by deploy-options.ts). */
  roleArn?: string;
  /** install, upgrade: `--disable-rollback`, a failed stack stays *_FAILED for debugging. */
  disableRollback?: boolean;
  /** install, upgrade: `--outputs-file <path>`, every stack's outputs as JSON. */
  outputsFile?: string;
  /** install, upgrade: `--concurrency <n>`, how many independent stacks change at once. */
  concurrency?: string;
  /** commander's `--no-color`: false when given. */
  color?: boolean;
  /** Resolved by main.ts: false for --no-color or NO_COLOR, true for FORCE_COLOR, else the terminal decides. */
  colour?: boolean;
  /** `--debug` (or STACKGUIDE_DEBUG). */
  debug?: boolean;
  /** With --debug: told of every HTTP exchange with AWS. */
  trace?: (exchange: AwsExchange) => void;
  /** The run's bus, from main.ts: it says run.started first and run.completed last (src/output/run-events.ts). */
  events?: EventBus;
}

/**
 * Which deployment a command is about, from the flags, as every flow's request takes it: the blueprint,
 * the answers file, the name and the regions. An empty flag counts as not given.
 */
export function deploymentTarget(options: CommonOptions): ExistingDeploymentRequest {
  return {
    blueprintPath: options.blueprint ?? '.',
    ...(options.config ? { configPath: options.config } : {}),
    ...(options.name ? { deployment: options.name } : {}),
    ...(options.region ? { region: options.region } : {}),
    ...(options.awsRegion ? { defaultRegion: options.awsRegion } : {}),
  };
}

/** The flags that reconnect to the same account and endpoint, for the equivalent command we print. */
export function connectionFlags(options: CommonOptions): string[] {
  return [
    ...(options.region ? [`--region ${options.region}`] : []),
    ...(options.profile ? [`--profile ${options.profile}`] : []),
    ...(options.endpointUrl ? [`--endpoint-url ${options.endpointUrl}`] : []),
    ...(options.dnsServer ?? []).map((server) => `--dns-server ${server}`),
    ...(options.output === 'json' ? ['--output json'] : []),
    // Every option that changes where state lives or how long AWS is waited for goes into the command
    // printed for the next run, or that run would not find this one's journal or would give up sooner.
    ...(options.stateDir && options.stateDir !== '.stackguide' ? [`--state-dir ${options.stateDir}`] : []),
    ...(options.timeout ? [`--timeout ${options.timeout}`] : []),
    ...(options.concurrency ? [`--concurrency ${options.concurrency}`] : []),
    ...(options.connectTimeout ? [`--connect-timeout ${options.connectTimeout}`] : []),
    ...(options.readTimeout ? [`--read-timeout ${options.readTimeout}`] : []),
    ...(options.callDeadline ? [`--call-deadline ${options.callDeadline}`] : []),
  ];
}

/**
 * How each answer id given on the command line is named in a message: `--set id`, or, for one given
 * as an argument (`install lab environment=qa`) and not overridden by --set, `argument id=…` (never its
 * value, which may be a secret the operator should not have typed there). Only ids given as arguments.
 */
export function setPaths(options: Pick<CommonOptions, 'set' | 'answerArguments'>): Record<string, string> {
  const flags = new Set(
    (options.set ?? []).filter((pair) => !(options.answerArguments ?? []).includes(pair)).map(idOf),
  );
  return Object.fromEntries(
    (options.answerArguments ?? [])
      .map(idOf)
      .filter((id) => id !== '' && !flags.has(id))
      .map((id) => [id, `argument ${id}=…`]),
  );
}

function idOf(pair: string): string {
  const index = pair.indexOf('=');
  return index <= 0 ? '' : pair.slice(0, index);
}

/** `--set id=value` pairs; the value may itself contain `=`. */
export function parseSets(pairs: readonly string[]): Record<string, string> {
  const sets: Record<string, string> = {};
  for (const pair of pairs) {
    const index = pair.indexOf('=');
    if (index <= 0) {
      throw new StackguideError(`--set ${pair} is not of the form id=value`, {
        code: 'usage.set',
        kind: 'user',
        details: [{ path: '--set', message: `"${pair}" has no "="`, fix: 'Write --set questionId=value.' }],
      });
    }
    sets[pair.slice(0, index)] = pair.slice(index + 1);
  }
  return sets;
}
