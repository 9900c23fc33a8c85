/**
 * bench/dns: how long the delegation check takes to give its verdict, against real knotd servers on
 * loopback (the parent zone on two addresses, the hosted zone's four name servers, one resolver), when
 * every server answers and when any one of them is silent (a UDP socket that takes queries and never
 * answers: a dead server behind a dropping firewall). Goals (issue 16): at most 1 s when every server
 * answers, at most 2.5 s when one is silent. Prints the commit, the machine, n and median/min/max.
 *
 *   node bench/dns.ts [--runs 9] [--json]
 */
import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { cpus, loadavg } from 'node:os';
import { checkDelegation, type DelegationCheckOptions } from '../src/dns/delegation-check.ts';
import { createDnsClient, type DnsServer } from '../src/dns/dns-client.ts';
import { systemClock } from '../src/runtime/clock.ts';
import { freePort } from '../test/support/free-port.ts';
import { startKnotServer } from '../test/support/knot-server.ts';

const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 9;
const asJson = process.argv.includes('--json');

const domain = 'codeocean.example.test';
const nameServers = ['ns-1.aws.test', 'ns-2.aws.test', 'ns-3.aws.test', 'ns-4.aws.test'];
const childAddresses = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'];

const [parent, child] = await Promise.all([
  startKnotServer({
    zones: [
      {
        origin: 'example.test',
        records: ['@ NS ns1', 'ns1 A 127.0.0.1', ...nameServers.map((name) => `codeocean NS ${name}.`)].join(
          '\n',
        ),
      },
    ],
    addresses: ['127.0.0.1', '127.0.0.8'],
  }),
  startKnotServer({
    zones: [{ origin: domain, records: nameServers.map((name) => `@ NS ${name}.`).join('\n') }],
    addresses: childAddresses,
  }),
]);
const silentSocket = createSocket('udp4');
const silentPort = await freePort();
await new Promise<void>((resolve) => silentSocket.bind(silentPort, '127.0.0.9', resolve));
const silent = (name: string): DnsServer => ({ host: '127.0.0.9', port: silentPort, name });

const pinned = (silentName?: string): Record<string, DnsServer> =>
  Object.fromEntries(
    nameServers.map((name, index) => [
      name,
      name === silentName ? silent(name) : child.server(undefined, childAddresses[index]),
    ]),
  );

const base: DelegationCheckOptions = {
  domain,
  parentZone: 'example.test',
  expectedNameServers: nameServers,
  parentServers: [parent.server('a.parent.test', '127.0.0.1'), parent.server('b.parent.test', '127.0.0.8')],
  resolvers: [child.server('resolver', '127.0.0.2')],
  nameServerAddresses: pinned(),
};

const scenarios: { label: string; goalMs: number; options: DelegationCheckOptions }[] = [
  { label: 'every server answers', goalMs: 1_000, options: base },
  {
    label: 'one parent server silent',
    goalMs: 2_500,
    options: {
      ...base,
      parentServers: [parent.server('a.parent.test', '127.0.0.1'), silent('b.parent.test')],
    },
  },
  {
    label: 'one name server silent',
    goalMs: 2_500,
    options: { ...base, nameServerAddresses: pinned('ns-3.aws.test') },
  },
  {
    label: 'the resolver silent',
    goalMs: 2_500,
    options: { ...base, resolvers: [silent('resolver')] },
  },
];

const dns = createDnsClient();
const results = [];
try {
  for (const scenario of scenarios) {
    const times: number[] = [];
    let verdict = '';
    // One warm-up: the first run pays for JIT and socket set-up, which no operator's second run does.
    await checkDelegation({ dns, clock: systemClock }, scenario.options);
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      const result = await checkDelegation({ dns, clock: systemClock }, scenario.options);
      times.push(performance.now() - started);
      verdict = result.status;
    }
    times.sort((a, b) => a - b);
    const medianMs = Math.round(times[Math.floor(times.length / 2)] ?? 0);
    const minMs = Math.round(times[0] ?? 0);
    const maxMs = Math.round(times[times.length - 1] ?? 0);
    results.push({
      label: scenario.label,
      verdict,
      runs,
      medianMs,
      minMs,
      maxMs,
      goalMs: scenario.goalMs,
      pass: maxMs <= scenario.goalMs,
    });
  }
} finally {
  silentSocket.close();
  await Promise.all([parent.stop(), child.stop()]);
}

const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();
const machine = {
  commit,
  node: process.versions.node,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  loadAverage: loadavg()
    .map((value) => value.toFixed(2))
    .join(' '),
};

if (asJson) {
  console.log(JSON.stringify({ ...machine, results }));
} else {
  console.log(
    `bench/dns · commit ${machine.commit} · Node ${machine.node} · ${machine.cpus} × ${machine.cpuModel} · load ${machine.loadAverage}`,
  );
  console.log(
    `${'verdict time'.padEnd(28)}${'verdict'.padEnd(11)}${'median'.padStart(8)}${'min'.padStart(8)}${'max'.padStart(8)}${'n'.padStart(4)}  goal (every run)`,
  );
  for (const result of results) {
    const ms = (value: number) => `${value} ms`.padStart(8);
    console.log(
      `${result.label.padEnd(28)}${result.verdict.padEnd(11)}${ms(result.medianMs)}${ms(result.minMs)}${ms(result.maxMs)}${String(result.runs).padStart(4)}  ≤ ${result.goalMs} ms: ${result.pass ? 'met' : 'missed'}`,
    );
  }
}
