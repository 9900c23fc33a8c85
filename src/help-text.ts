/**
 * What `stackguide <command> --help` says after the options: examples, the environment variables the
 * command reads and its exit codes, as the README documents them.
 */
const EXAMPLES: Record<string, readonly string[]> = {
  install: [
    'stackguide install --blueprint ./my-platform',
    'stackguide install --blueprint ./my-platform --config prod.answers.yaml --yes',
    'stackguide install prod adminEmail=ops@example.com --region eu-west-1 --profile prod --yes',
    'stackguide install --config prod.answers.yaml --yes --role-arn arn:aws:iam::123456789012:role/cfn-deployer --outputs-file outputs.json',
    'stackguide install --config dev.answers.yaml --yes --disable-rollback   # a failed create stays CREATE_FAILED',
  ],
  status: [
    'stackguide status --config prod.answers.yaml',
    'stackguide status --name prod --region eu-west-1 --output json',
  ],
  watch: ['stackguide watch --config prod.answers.yaml', 'stackguide watch prod-data --region eu-west-1'],
  upgrade: [
    'stackguide upgrade --blueprint ./my-platform-2.0 --config prod.answers.yaml',
    'stackguide upgrade --config prod.answers.yaml --stack app --template ./app.yaml --yes',
  ],
  destroy: [
    'stackguide destroy --config prod.answers.yaml --dry-run > plan.txt',
    'stackguide destroy --config prod.answers.yaml --confirm prod',
  ],
  preflight: [
    'stackguide preflight --config prod.answers.yaml > report.txt',
    'stackguide preflight --config prod.answers.yaml --output json',
  ],
  'support-bundle': [
    'stackguide support-bundle --out support.tar.gz',
    'stackguide support-bundle --name prod --state-dir ./state --out prod-support.tar.gz --force',
  ],
  policy: [
    'stackguide policy ./my-platform --config prod.answers.yaml > operator-policy.json',
    'stackguide policy ./my-platform --name prod --region eu-west-1 --service-role > policies.json',
  ],
  validate: [
    'stackguide validate ./my-platform',
    'stackguide validate ./my-platform/blueprint.yaml --output json',
  ],
  completion: [
    'source <(stackguide completion bash)        # in ~/.bashrc',
    'source <(stackguide completion zsh)         # in ~/.zshrc, after compinit',
    'stackguide completion fish > ~/.config/fish/completions/stackguide.fish',
  ],
};

const AWS_ENVIRONMENT = [
  'AWS_PROFILE, AWS_REGION, AWS_DEFAULT_REGION   as the AWS CLI reads them (after --profile and --region)',
  'AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN',
  'AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE  the shared files (default ~/.aws/config, ~/.aws/credentials)',
  'AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>  endpoints (a local AWS-compatible one); AWS_MAX_ATTEMPTS',
  'STACKGUIDE_CONNECT_TIMEOUT, STACKGUIDE_READ_TIMEOUT, STACKGUIDE_CALL_DEADLINE   seconds',
  'STACKGUIDE_DEBUG=1   every AWS request on stderr',
  'NO_COLOR, FORCE_COLOR, CI (no prompts)',
];

const EXIT_CODES: Record<string, readonly string[]> = {
  validate: ['0 valid', '2 not valid (every problem is listed)'],
  'support-bundle': [
    '0 written (AWS out of reach is said in the manifest, not an error)',
    '1 the archive could not be written',
    '2 bad usage, no deployment in the state folder, or --out exists (add --force)',
    '70 a bug in stackguide',
    '130 cancelled (Ctrl+C)',
  ],
  policy: ['0 printed', '2 bad blueprint, answers file, name or region (every problem is listed)'],
  completion: ['0 the script is on stdout', '2 a shell other than bash, zsh or fish'],
};
/** What the commands that differ from the AWS ones read: the local ones no AWS setting. */
const ENVIRONMENT: Record<string, readonly string[]> = {
  validate: ['NO_COLOR, FORCE_COLOR'],
  policy: ['NO_COLOR, FORCE_COLOR'],
  completion: [],
  'support-bundle': [
    ...AWS_ENVIRONMENT,
    'STACKGUIDE_SECRET_*   read only so that their values are redacted from the bundle',
  ],
};
const AWS_EXIT_CODES = [
  '0 done',
  '1 failed (a stack, a required preflight check, the operation watch followed)',
  '2 bad usage or input; nothing was changed',
  '3 AWS credentials or profile missing, expired or refused (status: could not check)',
  '4 status: the deployment needs action (each item says which)',
  '70 a bug in stackguide',
  "75 another run holds the deployment's lock (see --force-unlock)",
  '124 AWS did not answer within the call deadline',
  '130 cancelled (Ctrl+C, a declined review)',
  '143 stopped by SIGTERM',
];

/** The help's width: commander wraps its own part to 80 columns, and so does this one. */
const WIDTH = 80;

export function helpAfter(command: string): string {
  const examples = (EXAMPLES[command] ?? []).flatMap(exampleLines);
  // validate, policy and completion are local: no AWS setting applies to them.
  const environment = (ENVIRONMENT[command] ?? AWS_ENVIRONMENT).flatMap((line) => wrapText(line));
  const codes = (EXIT_CODES[command] ?? AWS_EXIT_CODES).flatMap((line) => wrapText(line));
  const section = (title: string, lines: readonly string[]) =>
    lines.length > 0 ? `\n${title}:\n${lines.map((line) => `  ${line}`).join('\n')}\n` : '';
  return [
    section('Examples', examples),
    section('Environment', environment),
    section('Exit codes', codes),
    '\nMore: the README (npm package stackguide), "Commands" and "AWS settings".\n',
  ].join('');
}

/**
 * An example that fits: its comment on a line of its own above it, and a command too long for one line
 * continued with ` \` on the next ones, so it still pastes into a shell as it is.
 */
function exampleLines(example: string): string[] {
  const [command = '', comment] = example.split(/\s+# /);
  const room = WIDTH - 2 - 2; // the section's indent, and ' \' at the end of a continued line
  const lines: string[] = [];
  let line = '';
  for (const word of command.trim().split(' ')) {
    if (line && line.length + 1 + word.length > room) {
      lines.push(`${line} \\`);
      line = `    ${word}`;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return comment ? [`# ${comment}`, ...lines] : lines;
}

/** A line wrapped by words; continuation lines are indented under it. */
function wrapText(text: string): string[] {
  const room = WIDTH - 2;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/ (?=\S)/)) {
    if (line && line.length + 1 + word.length > room) {
      lines.push(line);
      line = `    ${word.trimStart()}`;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines;
}
