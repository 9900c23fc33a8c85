/**
 * bench/dns: how long the delegation check takes to give its verdict, against real knotd servers on
 * loopback (the parent zone on two addresses, the hosted zone's four name servers, one resolver), when
 * every server answers and when any one of them is silent (a UDP socket that takes queries and never
 * answers: a dead server behind a dropping firewall). Goals (issue 16): at most 1 s when every server
 * answers, at most 2.5 s when one is silent. Prints the commit, the machine, the load average, n and
 * median/min/max. --readme keeps the samples in bench/results/dns.json and rewrites the README's
 * figures from them (`npm run bench -- dns` does that).
 *
 *   node bench/dns.ts [--runs 15] [--json] [--readme]
 */
import { createSocket } from 'node:dgram';
import { checkDelegation, type DelegationCheckOptions } from '../src/dns/delegation-check.ts';
import { createDnsClient, type DnsServer } from '../src/dns/dns-client.ts';
import { systemClock } from '../src/runtime/clock.ts';
import { startKnotServer } from '../test/support/knot-server.ts';
import { publish } from './support/bench-report.ts';
import { runInfo, spread } from './support/run-info.ts';

const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 15;
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
// A fresh silent socket for every run: the DNS client remembers a server silent on every try and asks it
// once, briefly, for a minute (src/dns/dns-client.ts), and this bench measures a first check.
const silentSockets: ReturnType<typeof createSocket>[] = [];
async function silent(name: string): Promise<DnsServer> {
  const socket = createSocket('udp4');
  // Port 0: the system picks one no other socket holds (earlier silent ones included).
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.9', resolve));
  silentSockets.push(socket);
  return { host: '127.0.0.9', port: socket.address().port, name };
}

const pinned = async (silentName?: string): Promise<Record<string, DnsServer>> =>
  Object.fromEntries(
    await Promise.all(
      nameServers.map(async (name, index) => [
        name,
        name === silentName ? await silent(name) : child.server(undefined, childAddresses[index]),
      ]),
    ),
  );

const base: DelegationCheckOptions = {
  domain,
  parentZone: 'example.test',
  expectedNameServers: nameServers,
  parentServers: [parent.server('a.parent.test', '127.0.0.1'), parent.server('b.parent.test', '127.0.0.8')],
  resolvers: [child.server('resolver', '127.0.0.2')],
  nameServerAddresses: await pinned(),
};

const scenarios: { label: string; goalMs: number; options: () => Promise<DelegationCheckOptions> }[] = [
  { label: 'every server answers', goalMs: 1_000, options: async () => base },
  {
    label: 'one parent server silent',
    goalMs: 2_500,
    options: async () => ({
      ...base,
      parentServers: [parent.server('a.parent.test', '127.0.0.1'), await silent('b.parent.test')],
    }),
  },
  {
    label: 'one name server silent',
    goalMs: 2_500,
    options: async () => ({ ...base, nameServerAddresses: await pinned('ns-3.aws.test') }),
  },
  {
    label: 'the resolver silent',
    goalMs: 2_500,
    options: async () => ({ ...base, resolvers: [await silent('resolver')] }),
  },
];

const dns = createDnsClient();
const info = runInfo();
const results = [];
try {
  for (const scenario of scenarios) {
    const times: number[] = [];
    let verdict = '';
    // One warm-up: the first run pays for JIT and socket set-up, which no operator's second run does.
    await checkDelegation({ dns, clock: systemClock }, await scenario.options());
    for (let run = 0; run < runs; run++) {
      const options = await scenario.options();
      const started = performance.now();
      const result = await checkDelegation({ dns, clock: systemClock }, options);
      times.push(performance.now() - started);
      verdict = result.status;
    }
    const { median, min, max } = spread(times);
    results.push({ label: scenario.label, verdict, goalMs: scenario.goalMs, times, median, min, max });
  }
} finally {
  for (const socket of silentSockets) socket.close();
  await Promise.all([parent.stop(), child.stop()]);
}

if (asJson) {
  console.log(JSON.stringify({ ...info, runs, results }));
} else {
  publish('dns', {
    bench: 'bench/dns',
    info,
    n: runs,
    heading: [
      'the delegation check against knotd on loopback (parent zone on two addresses, four name servers, one resolver), after one warm-up',
    ],
    rows: results.map((result) => ({
      label: `${result.label} (${result.verdict})`,
      unit: 'ms' as const,
      samples: result.times,
      goal: `every run <= ${result.goalMs.toLocaleString('en-US')} ms: ${result.max <= result.goalMs ? 'met' : 'missed'}`,
    })),
    notes: [],
  });
}
