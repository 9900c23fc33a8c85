/**
 * The stackguide command line: parses arguments and hands over to one command module,
 * imported lazily so `--help` loads neither Ink nor the AWS SDK. It owns the process: the one SIGINT
 * handler, the one top-level error handler, and the exit code.
 */
import { Argument, Command, Option } from 'commander';
import type { CommonOptions } from './commands/common-options.ts';
import { ExitCode, StackguideError, toStackguideError } from './errors.ts';
import { helpAfter } from './help-text.ts';
import { attachNdjsonPrinter } from './output/ndjson-printer.ts';
import { RunEvents } from './output/run-events.ts';

/** Replaced by the build with package.json's version; running from source says so. */
declare const __STACKGUIDE_VERSION__: string | undefined;
const VERSION = typeof __STACKGUIDE_VERSION__ === 'string' ? __STACKGUIDE_VERSION__ : '0.0.0-source';

function withCommonOptions(command: Command): Command {
  return command
    .option('--blueprint <folder>', 'blueprint folder (with blueprint.yaml); default: the current folder')
    .option('--config <file>', 'answers file (YAML) to start from; the guided install writes one')
    .option('--region <region>', 'AWS region (must be one the blueprint supports)')
    .option('--profile <name>', 'AWS profile from ~/.aws/config (SSO, assume-role and MFA profiles work)')
    .option(
      '--endpoint-url <url>',
      'send every AWS call to this endpoint (a local AWS-compatible one); AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> also work',
    )
    .option('--yes', 'go ahead without the review confirmation', false)
    .option('--no-input', 'never prompt; a missing answer is an error naming its flag or answers key')
    .addOption(
      new Option('--output <format>', 'text for people, json for NDJSON events on stdout')
        .choices(['text', 'json'])
        .default('text'),
    )
    .option('--state-dir <folder>', 'where deployment journals and event logs are kept', '.stackguide')
    .option('--no-color', 'no colour on any screen (also NO_COLOR=1; FORCE_COLOR=1 forces colour)')
    .option(
      '--debug',
      'every AWS request on stderr: service, action, HTTP status, request id, time (STACKGUIDE_DEBUG=1)',
    )
    .option(
      '--connect-timeout <seconds>',
      'per connection attempt to AWS (STACKGUIDE_CONNECT_TIMEOUT; default 10)',
    )
    .option(
      '--read-timeout <seconds>',
      'per request: no answer for this long and the SDK retries it (STACKGUIDE_READ_TIMEOUT; default 30)',
    )
    .option(
      '--call-deadline <seconds>',
      'per AWS call, retries included: no answer for this long stops the run with exit 124 (STACKGUIDE_CALL_DEADLINE; default 100)',
    );
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** For the commands that wait on AWS operations: install, upgrade, destroy, watch. */
function withTimeoutOption(command: Command): Command {
  return command.option(
    '--timeout <seconds>',
    'the longest the run waits on AWS; then it stops with exit 124 and the command that resumes (default 14400, 4 h)',
  );
}

/** For the commands that change a deployment and take its lock: install, upgrade, destroy. */
function withWriterOptions(command: Command): Command {
  return withTimeoutOption(command).option(
    '--force-unlock <id>',
    "break the deployment's lock left by a run that is gone (the id is in the refusal), after a confirmation (--yes without a terminal)",
  );
}

/** For the commands that deploy stacks through change sets: install, upgrade. */
function withDeployOptions(command: Command): Command {
  return command
    .option(
      '--outputs-file <path>',
      "write every stack's outputs there as JSON when the run ends (secrets withheld)",
    )
    .option(
      '--role-arn <arn>',
      'the CloudFormation service role to deploy with (RoleARN); the stacks keep it, and destroy deletes with it',
    )
    .option(
      '--disable-rollback',
      'a stack that fails stays CREATE_FAILED / UPDATE_FAILED with what it made, for debugging; the next run updates it in place',
      false,
    );
}

/** For the commands that change several stacks: install, upgrade. */
function withConcurrencyOption(command: Command): Command {
  return command.option(
    '--concurrency <n>',
    'how many independent stacks may change at once (1 to 32; default 4); 1 runs them one by one',
  );
}

/** For the commands that run the delegation check: install, preflight, status, upgrade. */
function withDnsServerOption(command: Command): Command {
  return command.option(
    '--dns-server <host:port>',
    "ask this server for the parent zone's delegation instead of its public name servers (repeatable; split-horizon networks, tests)",
    collect,
    [],
  );
}

function buildProgram(
  run: (
    load: () => Promise<(options: CommonOptions) => Promise<number>>,
    options: CommonOptions,
    needs?: { settings: boolean },
  ) => void,
): Command {
  const program = new Command('stackguide')
    .description('Guided, verified, resumable installs of a platform into an AWS account.')
    .version(VERSION)
    .showHelpAfterError('(run stackguide <command> --help for its options)')
    // The command list shows names only (each command's --help has its usage): with the full usage as
    // the term, descriptions had under 40 columns left at 80 and commander printed them unwrapped, cut
    // mid-word by the terminal.
    .configureHelp({ subcommandTerm: (command) => command.name() })
    .exitOverride();

  withConcurrencyOption(
    withDeployOptions(withWriterOptions(withDnsServerOption(withCommonOptions(program.command('install'))))),
  )
    .description(
      'guided first-time install: identity, region, name, questions, review, then the stacks with live events',
    )
    .option('--name <deployment>', 'deployment name (else from the answers file, else asked)')
    .option(
      '--set <id=value>',
      'answer a blueprint question (repeatable); wins over the answers file',
      collect,
      [],
    )
    .option(
      '--overwrite',
      "replace a file the blueprint renders (QHub's config) even when it was edited by hand; otherwise the difference is shown and asked about, or unattended refused",
      false,
    )
    .argument(
      '[name-and-answers...]',
      'a deployment name and id=value answers: install <name> key=value ... as rack installers take them',
    )
    .action((positional: string[], options: CommonOptions) =>
      run(async () => {
        const { installCommand } = await import('./commands/install-command.ts');
        return (given) => installCommand(withPositional(given, positional));
      }, options),
    );

  withDnsServerOption(withCommonOptions(program.command('status')))
    .description(
      'one screen of the deployment: its stacks, then each preparation step checked (DNS delegation, certificate, SES, secrets, ...)',
    )
    .option('--name <deployment>', 'deployment name (else from the answers file)')
    .option('--watch', 'refresh until interrupted', false)
    .option('--drift', 'run drift detection on the stacks and wait for it', false)
    .option(
      '--all',
      'every check in full in a terminal too (there passing checks are otherwise counted on their section line; a pipe gets all)',
      false,
    )
    .action((options: CommonOptions) =>
      run(async () => (await import('./commands/status-command.ts')).statusCommand, options),
    );

  withTimeoutOption(withCommonOptions(program.command('watch')))
    .description(
      'attach to the operation in flight on the deployment (or one stack), wherever it was started',
    )
    .argument('[stack]', 'a stack name; default: every stack of the deployment')
    .option('--name <deployment>', 'deployment name (else from the answers file)')
    .action((stack: string | undefined, options: CommonOptions) =>
      run(async () => (await import('./commands/watch-command.ts')).watchCommand, {
        ...options,
        ...(stack ? { stack } : {}),
      }),
    );

  withConcurrencyOption(
    withDeployOptions(withWriterOptions(withDnsServerOption(withCommonOptions(program.command('upgrade'))))),
  )
    .description(
      'a newer blueprint version or template: pre-upgrade steps, live checks, change set review, watch',
    )
    .option('--name <deployment>', 'deployment name (else from the answers file)')
    .option('--set <id=value>', 'change an answer (repeatable)', collect, [])
    .option('--template <file|url>', 'a new template for one stack: a file, or an https:// or s3:// URL')
    .option('--stack <id>', 'the blueprint stack id --template is for')
    .action((options: CommonOptions) =>
      run(async () => (await import('./commands/upgrade-command.ts')).upgradeCommand, options),
    );

  withWriterOptions(withCommonOptions(program.command('destroy')))
    .description('plan, typed confirmation, buckets emptied, stacks deleted in order')
    .option('--name <deployment>', 'deployment name (else from the answers file)')
    .option('--dry-run', 'show the plan and stop', false)
    .option(
      '--delete-codecommit',
      "also delete the blueprint's CodeCommit repositories (they hold code: copy them first)",
      false,
    )
    .option('--confirm <deployment>', 'confirm unattended by giving the deployment name')
    .option(
      '--skip-export-check',
      'go on when the order cannot be checked against exports and imports (ListExports/ListImports refused)',
      false,
    )
    .action((options: CommonOptions) =>
      run(async () => (await import('./commands/destroy-command.ts')).destroyCommand, options),
    );

  withDnsServerOption(withCommonOptions(program.command('preflight')))
    .description('every check of every preparation step; nothing is changed')
    .option('--name <deployment>', 'deployment name (else from the answers file, else asked)')
    .option('--set <id=value>', 'answer a blueprint question (repeatable)', collect, [])
    .action((options: CommonOptions) =>
      run(async () => (await import('./commands/preflight-command.ts')).preflightCommand, options),
    );

  withCommonOptions(program.command('support-bundle'))
    .description(
      "one redacted .tar.gz of a deployment for the vendor's support: answers, event log, journal, stacks, versions, last error",
    )
    .requiredOption('--out <file>', 'the archive to write (.tar.gz, mode 0600)')
    .option(
      '--name <deployment>',
      'deployment name (else from the answers file, else the last in the state folder)',
    )
    .option('--force', 'replace --out when it exists', false)
    .action((options: CommonOptions) =>
      run(async () => (await import('./commands/support-bundle-command.ts')).supportBundleCommand, options),
    );

  program
    .command('validate')
    .description('check a blueprint and explain every mistake by its path')
    .argument('<blueprint>', 'blueprint folder or blueprint.yaml')
    .addOption(
      new Option(
        '--output <format>',
        'text (the verdict and what runs before what), json, or graph (the install, upgrade and destroy graphs as Mermaid)',
      )
        .choices(['text', 'json', 'graph'])
        .default('text'),
    )
    .action((blueprint: string, options: CommonOptions) =>
      run(
        async () => {
          // Over in a tenth of a second: V8's settings for long runs only cost memory (see short-run.ts).
          (await import('./runtime/short-run.ts')).tuneV8ForShortRun();
          return (await import('./commands/validate-command.ts')).validateCommand;
        },
        { ...options, blueprint },
        { settings: false }, // Purely local: no DNS, no registry, no AWS.
      ),
    );

  program
    .command('policy')
    .description(
      'the least-privilege IAM policy for install, status, watch, upgrade and destroy of a blueprint (JSON on stdout)',
    )
    .argument('<blueprint>', 'blueprint folder or blueprint.yaml')
    .option('--config <file>', 'answers file: scopes the policy to its deployment, region and account')
    .option('--name <name>', 'deployment name (default: the answers file, else the blueprint default)')
    .option('--region <region>', 'region (default: the answers file, else any of the blueprint)')
    .option(
      '--service-role',
      'also a CloudFormation service role for the stacks; the operator only passes it',
    )
    .action((blueprint: string, options: CommonOptions) =>
      run(
        async () => (await import('./commands/policy-command.ts')).policyCommand,
        { ...options, blueprint },
        { settings: false }, // Purely local: the policy is written from the blueprint, never from AWS.
      ),
    );

  program
    .command('completion')
    .description(
      'print the completion script for bash, zsh or fish, made from these very commands and options',
    )
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(['bash', 'zsh', 'fish']))
    .action(async (shell: 'bash' | 'zsh' | 'fish') => {
      const { completionScript } = await import('./completion.ts');
      process.stdout.write(completionScript(shell, program));
    });

  for (const command of program.commands) command.addHelpText('after', helpAfter(command.name()));
  return program;
}

/**
 * `install <name> key=value ...`: the first bare word is the deployment name, every id=value an answer;
 * flags given as well win over them (--name, --set).
 */
function withPositional(options: CommonOptions, positional: readonly string[]): CommonOptions {
  const sets = positional.filter((arg) => arg.includes('='));
  const name = positional.find((arg) => !arg.includes('='));
  const extra = positional.filter((arg) => !arg.includes('=') && arg !== name);
  if (extra.length > 0) {
    throw new StackguideError(`Unexpected arguments: ${extra.join(' ')}`, {
      code: 'usage.arguments',
      kind: 'user',
      details: [
        {
          path: extra.join(' '),
          message: 'only one deployment name may be given',
          fix: 'Give answers as id=value.',
        },
      ],
    });
  }
  return {
    ...options,
    ...(name !== undefined && options.name === undefined ? { name } : {}),
    set: [...sets, ...(options.set ?? [])],
    ...(sets.length > 0 ? { answerArguments: sets } : {}),
  };
}

/**
 * Flags and environment read once into the typed settings every command but `validate` is given
 * (`--dns-server`, STACKGUIDE_DNS_*, STACKGUIDE_REGISTRY_LOGIN_URL, AWS_ENDPOINT_URL_<SERVICE>); a bad
 * value is a usage error before anything else runs. Imported lazily: `--help` parses no settings.
 */
async function withSettings(options: CommonOptions, wanted: boolean): Promise<CommonOptions> {
  if (!wanted) return options;
  const { readSettings } = await import('./settings.ts');
  const settings = readSettings(process.env, { dnsServers: options.dnsServer });
  if (settings.dns.parentServers) {
    // A host name that does not resolve is a usage error naming it, before any AWS call (issue 16).
    const { resolveServerHosts } = await import('./dns/dns-client.ts');
    const source = options.dnsServer?.length ? '--dns-server' : 'STACKGUIDE_DNS_SERVERS';
    await resolveServerHosts(settings.dns.parentServers, source);
  }
  return { ...options, settings };
}

/**
 * The one owner of SIGINT and SIGTERM. The first signal aborts the run's controller: every AWS call in
 * flight ends at once (the signal reaches the SDK's HTTP layer), the command stops cleanly, writes its
 * journal and says `run.completed`. SIGTERM (a CI runner cancelling the job) is a Ctrl+C nobody can
 * answer, ending with exit 143. If the clean stop has not finished after a grace period, or a second
 * signal comes, the process exits anyway.
 */
function ownSignals(controller: AbortController): void {
  const graceMs = 1_500;
  let received = 0;
  const stop = (signal: 'SIGINT' | 'SIGTERM') => {
    received++;
    const exitCode = signal === 'SIGTERM' ? ExitCode.terminated : ExitCode.cancelled;
    if (received > 1) process.exit(exitCode);
    controller.abort(
      signal === 'SIGTERM'
        ? new StackguideError('Stopped by SIGTERM', {
            code: 'cancelled.terminated',
            kind: 'cancelled',
            exitCode: ExitCode.terminated,
            nextSteps: [
              'Run the same command again: an install, upgrade or destroy resumes where it stopped.',
            ],
          })
        : new StackguideError('Interrupted: stopped at your request', {
            code: 'cancelled',
            kind: 'cancelled',
            nextSteps: [
              'Run the same command again: an install, upgrade or destroy resumes where it stopped.',
            ],
          }),
    );
    setTimeout(() => process.exit(exitCode), graceMs).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** --no-color, then FORCE_COLOR, then NO_COLOR (https://no-color.org); undefined: the terminal decides. */
function colourOf(flag: boolean | undefined, env: NodeJS.ProcessEnv): boolean | undefined {
  if (flag === false) return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  if (env.NO_COLOR) return false;
  return undefined;
}

function isOn(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

/** The command line to run again after a timeout, as the operator typed it. */
function resumeCommand(argv: readonly string[]): string {
  const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`);
  return ['stackguide', ...argv.slice(2).map(quote)].join(' ');
}

/** A timeout says what to run to go on: install, upgrade and destroy resume from their journal. */
function withResume(error: StackguideError, argv: readonly string[]): StackguideError {
  if (error.code !== 'aws.deadline') return error;
  return new StackguideError(error.message, {
    code: error.code,
    kind: error.kind,
    exitCode: error.exitCode,
    details: error.details,
    cause: error.cause,
    nextSteps: [...error.nextSteps, `Then resume: ${resumeCommand(argv)}`],
  });
}

export async function main(argv: string[]): Promise<number> {
  const controller = new AbortController();
  ownSignals(controller);

  let pending: Promise<number> | undefined;
  let commandName = 'stackguide';
  let events: RunEvents | undefined;
  const program = buildProgram((load, options, needs = { settings: true }) => {
    const run = new RunEvents(commandName);
    events = run;
    if (options.output === 'json') attachNdjsonPrinter(run, (line) => process.stdout.write(line));
    pending = withSettings(options, needs.settings).then(async (given) => {
      const { resolveAwsSettings, resolveTimeouts } = await import('./aws/aws-settings.ts');
      const timeouts = resolveTimeouts(given, process.env);
      // validate needs no AWS settings, and must not fail on a missing profile.
      const aws = needs.settings ? await resolveAwsSettings(given, process.env) : undefined;
      const awsRegion = aws?.region && aws.region.source !== 'flag' ? aws.region : undefined;
      const debug = given.debug || isOn(process.env.STACKGUIDE_DEBUG);
      const colour = colourOf(given.color, process.env);
      const { debugLine } = await import('./aws/debug-line.ts');
      const command = await load();
      return command({
        ...given,
        timeouts,
        ...(aws ? { aws } : {}),
        ...(awsRegion ? { awsRegion } : {}),
        ...(colour !== undefined ? { colour } : {}),
        signal: controller.signal,
        events: run,
        ...(debug ? { trace: (exchange) => process.stderr.write(`${debugLine(exchange)}\n`) } : {}),
      });
    });
  });
  program.hook('preAction', (_program, action) => {
    commandName = action.name();
  });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    const code = (error as { code?: string; exitCode?: number }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help')
      return ExitCode.ok;
    return ExitCode.usage; // Commander already printed what was wrong.
  }
  if (!pending) return ExitCode.ok;
  try {
    const exitCode = await pending;
    events?.end(exitCode);
    await events?.drained();
    return exitCode;
  } catch (thrown) {
    const error = withResume(
      toStackguideError(
        controller.signal.aborted && !(thrown instanceof StackguideError) ? controller.signal.reason : thrown,
      ),
      argv,
    );
    const { renderErrorText, errorEvent } = await import('./output/render-error.ts');
    const { terminalColumns, wrapToWidth } = await import('./output/terminal-text.ts');
    // The run's first line comes before its error, as when it failed later on.
    events?.start();
    process.stderr.write(`${wrapToWidth(renderErrorText(error), terminalColumns(process.stderr))}\n`);
    // The error event (NDJSON with --output json), then run.completed: always the last two events.
    events?.end(error.exitCode, errorEvent(error));
    await events?.drained();
    return error.exitCode;
  }
}
