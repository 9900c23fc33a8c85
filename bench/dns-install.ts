/**
 * bench/dns-install: what one silent parent server adds to an install (issue 16: at most 3 s). The
 * `domain` test blueprint (hosted zone delegated from a knotd parent, a DNS-validated certificate, one
 * stack) is installed into moto n times with the parent's server alone and n times with a silent
 * server beside it (alternating, fresh deployments); medians, min and max of the install's wall time.
 *
 *   node bench/dns-install.ts [--runs 3]
 */
import { execFileSync, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/support/free-port.ts';
import { motoNameServers, startMotoDns } from '../test/support/moto-dns.ts';
import { startMotoServer } from '../test/support/moto-server.ts';
import { cliPath, projectRoot } from '../test/support/run-cli.ts';

const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 3;
const domain = 'codeocean.example.test';
const [moto, { parent, child }] = await Promise.all([
  startMotoServer({ MOTO_ACM_VALIDATION_WAIT: '1' }),
  startMotoDns(domain, { delegated: true }),
]);
const silent = createSocket('udp4');
const silentPort = await freePort();
await new Promise<void>((resolve) => silent.bind(silentPort, '127.0.0.9', resolve));
const work = mkdtempSync(join(tmpdir(), 'bench-dns-install-'));

async function install(deployment: string, servers: string[]): Promise<number> {
  const answers = join(work, `${deployment}.answers.yaml`);
  writeFileSync(
    answers,
    `blueprint: domain\ndeployment: ${deployment}\nregion: us-east-1\nanswers:\n  parentDomain: example.test\n`,
  );
  const started = performance.now();
  // Not spawnSync: moto's and knotd's output pipes must keep draining while the install runs.
  const child_ = spawn(
    process.execPath,
    [
      cliPath,
      'install',
      '--blueprint',
      join(projectRoot, 'test', 'fixtures', 'blueprints', 'domain'),
      '--config',
      answers,
      '--yes',
      '--endpoint-url',
      moto.endpoint,
      '--state-dir',
      join(work, 'state'),
      ...servers.flatMap((server) => ['--dns-server', server]),
    ],
    {
      cwd: work,
      env: {
        ...process.env,
        CI: 'true',
        AWS_ACCESS_KEY_ID: 'bench',
        AWS_SECRET_ACCESS_KEY: 'bench',
        STACKGUIDE_DNS_RESOLVERS: `resolver=127.0.0.2:${child.port}`,
        STACKGUIDE_DNS_NS_ADDRESSES: motoNameServers
          .map((name) => `${name}=127.0.0.2:${child.port}`)
          .join(','),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child_.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const status = await new Promise<number | null>((done) => child_.on('close', done));
  const result = { status, stderr };
  const elapsed = performance.now() - started;
  if (result.status !== 0)
    throw new Error(`install ${deployment} exited ${result.status}:\n${result.stderr}`);
  return elapsed;
}

const clean: number[] = [];
const withSilent: number[] = [];
try {
  for (let run = 0; run < runs; run++) {
    clean.push(await install(`clean${run}`, [`127.0.0.1:${parent.port}`]));
    withSilent.push(await install(`silent${run}`, [`127.0.0.1:${parent.port}`, `127.0.0.9:${silentPort}`]));
  }
} finally {
  silent.close();
  await Promise.all([moto.stop(), parent.stop(), child.stop()]);
  rmSync(work, { recursive: true, force: true });
}

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0),
    min: Math.round(sorted[0] ?? 0),
    max: Math.round(sorted[sorted.length - 1] ?? 0),
  };
};
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
const a = stats(clean);
const b = stats(withSilent);
console.log(
  `bench/dns-install · commit ${commit} · Node ${process.versions.node} · ${cpus().length} × ${cpus()[0]?.model ?? '?'} · load ${loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')}`,
);
console.log(
  `install, parent server alone        median ${a.median} ms  min ${a.min}  max ${a.max}  n ${runs}`,
);
console.log(
  `install, plus one silent server     median ${b.median} ms  min ${b.min}  max ${b.max}  n ${runs}`,
);
console.log(
  `added by the silent server (medians) ${b.median - a.median} ms  goal ≤ 3000 ms: ${b.median - a.median <= 3_000 ? 'met' : 'missed'}`,
);
