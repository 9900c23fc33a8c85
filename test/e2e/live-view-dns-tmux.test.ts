import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startKnotServer } from '../support/knot-server.ts';
import { startMotoServer } from '../support/moto-server.ts';
import { cliPath, projectRoot } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { openTmuxTerminal, operatorEnv, type TmuxTerminal } from '../support/tmux-terminal.ts';

/**
 * Issue 14's end-to-end done-when, in a real terminal at 80x24 and at 200x50, with CI unset so Ink
 * draws every frame: an install whose hosted zone waits for the operator to delegate it (the parent
 * zone is served by knotd, and the test adds the NS records at the "registrar" once the screen shows
 * them) and whose certificate then stays pending for a while (moto issues it after 15 s), then an
 * upgrade and a destroy of the same deployment, each in the live view. What each screen shows while it
 * waits is read as it waits; at the end the whole scrollback must hold no frame twice.
 *
 * The blueprint is test/fixtures/blueprints/domain (a hosted zone, its DNS-validated certificate and a
 * stack that takes both): opensarlab imports its certificate and has no zone to delegate.
 */
const domain = 'codeocean.example.test';
const motoNameServers = [
  'ns-2048.awsdns-64.com',
  'ns-2049.awsdns-65.net',
  'ns-2050.awsdns-66.org',
  'ns-2051.awsdns-67.co.uk',
];
// moto's validation record for the name and its wildcard (moto/acm/models.py).
const cname = `_d930b28be6c5927595552b219965053e.${domain}. 300 CNAME _c9edd76ee4a0e2a74388032f3861cc50.ykybfrwcxw.acm-validations.aws.`;
const parentApex = '@ NS ns1\nns1 A 127.0.0.1';

const running: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((stop) => stop()));
});

const named = (what: string): string =>
  `Value: !Ref ${what === 'zone' ? 'HostedZoneId' : 'CertificateArn'}\n      Name: !Join ['/', ['', !Ref 'AWS::StackName', ${what}]]`;

async function world() {
  const [moto, parent, child, work] = await Promise.all([
    startMotoServer({ MOTO_ACM_VALIDATION_WAIT: '15' }),
    // Short TTLs: the delegation check asks again within seconds of the records being added.
    startKnotServer({
      zones: [{ origin: 'example.test', records: parentApex }],
      addresses: ['127.0.0.1'],
      ttl: 2,
      negativeTtl: 2,
    }),
    startKnotServer({
      zones: [
        { origin: domain, records: [...motoNameServers.map((name) => `@ NS ${name}.`), cname].join('\n') },
      ],
      addresses: ['127.0.0.2'],
      ttl: 2,
      negativeTtl: 2,
    }),
    tempDir(),
  ]);
  running.push(
    () => moto.stop(),
    () => parent.stop(),
    () => child.stop(),
    () => work.remove(),
  );
  // Short relative paths, so the lines that echo them fit the narrow terminal.
  await cp(join(projectRoot, 'test', 'fixtures', 'blueprints', 'domain'), join(work.path, 'domain'), {
    recursive: true,
  });
  // moto's ListStackResources fails (HTTP 500) on an SSM parameter created without a Name, which
  // destroy lists: the copy names them, as the demo's template does.
  const web = join(work.path, 'domain', 'templates', 'web.yaml');
  await writeFile(
    web,
    (await readFile(web, 'utf8'))
      .replace('Value: !Ref CertificateArn', named('certificate'))
      .replace('Value: !Ref HostedZoneId', named('zone')),
  );
  await writeFile(
    join(work.path, 'lab.answers.yaml'),
    'blueprint: domain\ndeployment: lab\nregion: us-east-1\nanswers:\n  parentDomain: example.test\n',
  );
  const env = operatorEnv(work.path, {
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: moto.endpoint,
    STACKGUIDE_DNS_SERVERS: `127.0.0.1:${parent.port}`,
    STACKGUIDE_DNS_RESOLVERS: `resolver=127.0.0.2:${child.port}`,
    STACKGUIDE_DNS_NS_ADDRESSES: motoNameServers.map((name) => `${name}=127.0.0.2:${child.port}`).join(','),
  });
  return { moto, parent, work, env };
}

type World = Awaited<ReturnType<typeof world>>;

async function terminal(
  w: World,
  args: string,
  size: { width: number; height: number },
): Promise<TmuxTerminal> {
  const t = await openTmuxTerminal(`${process.execPath} ${cliPath} ${args} --state-dir state`, {
    cwd: w.work.path,
    env: w.env,
    ...size,
  });
  running.push(() => t.kill());
  return t;
}

/**
 * No frame twice: the live region is redrawn in place, so the header line (title and elapsed time)
 * must be in the scrollback once, from the last frame Ink leaves behind, however long the run took
 * and however many frames it drew.
 */
function expectNoRepeatedFrame(scrollback: string, header: string): void {
  const headers = scrollback.split('\n').filter((line) => line.startsWith(header));
  expect(headers, scrollback).toHaveLength(1);
}

describe.each([
  { width: 80, height: 24 },
  { width: 200, height: 50 },
])('the live view in a $width x $height terminal', (size) => {
  it('shows the NS records to add and the pending certificate while they are waited on, then upgrades and destroys in the same view, no frame twice', async () => {
    const w = await world();
    const install = await terminal(w, 'install --blueprint domain --config lab.answers.yaml --yes', size);

    // The zone is created and waits for its delegation: every NS record to copy is on screen.
    const waiting = await install.waitFor(/ns-2051\.awsdns-67\.co\.uk/, 120_000);
    expect(waiting).toContain('◼ Public hosted zone for the hosting domain');
    expect(waiting).toContain('Add these NS records in the zone example.test');
    for (const name of motoNameServers) expect(waiting).toContain(name);
    // When it checks next and when it gives up, from the wait's own schedule (waitForDelegation: 120 s).
    const schedule = await install.waitFor(/next check in \d+s · gives up at \d\d:\d\d \(in [^)]+\)/, 60_000);
    expect(schedule).toMatch(
      /co\.uk\.\n\s+next check in \d+s · gives up at \d\d:\d\d \(in (2m 00s|1m \d\ds|\d+s)\)/,
    );
    const live = waiting.trimEnd().split('\n');
    expect(live.length).toBeLessThanOrEqual(size.height);

    // The operator adds them at the registrar; the zone step sees it and the certificate waits for ACM.
    await w.parent.setZone(
      'example.test',
      `${parentApex}\n${motoNameServers.map((name) => `codeocean 2 NS ${name}.`).join('\n')}`,
    );
    const pending = await install.waitFor(/Certificate PENDING_VALIDATION/, 120_000);
    // The cause, not cut at the window edge: the validation record and whether public DNS answers it.
    expect(pending).toMatch(
      /CNAME\s+_d930b28be6c5927595552b219965053e\.codeocean\.example\.test\s+(answers\s+in\s+public\s+DNS|not\s+in\s+public\s+DNS)/,
    );

    const installed = await install.waitFor(/EXIT=\d+/, 180_000);
    expect(installed).toContain('EXIT=0');
    expect(installed).toContain('✔ lab is installed');
    expectNoRepeatedFrame(await install.scrollback(), 'Installing lab (');

    // status wraps its text by words to the terminal's width: no line longer than the window.
    const status = await terminal(w, 'status --blueprint domain --config lab.answers.yaml', size);
    const shown = await status.waitFor(/EXIT=\d+/, 120_000);
    expect(shown).toContain('deployment lab');
    for (const line of (await status.scrollback()).split('\n'))
      if (!/arn:|https?:/.test(line)) expect(line.length, line).toBeLessThanOrEqual(size.width);

    // An upgrade to the blueprint's next version, whose template changes a property in place: the same
    // live view, its header and the stack's row.
    const next = join(w.work.path, 'domain-1.1');
    await cp(join(w.work.path, 'domain'), next, { recursive: true });
    const manifest = join(next, 'blueprint.yaml');
    await writeFile(manifest, (await readFile(manifest, 'utf8')).replace('version: 1.0.0', 'version: 1.1.0'));
    const template = join(next, 'templates', 'web.yaml');
    await writeFile(
      template,
      `${await readFile(template, 'utf8')}      Description: the zone of the hosting domain\n`,
    );
    const upgrade = await terminal(w, 'upgrade --blueprint domain-1.1 --config lab.answers.yaml --yes', size);
    const upgraded = await upgrade.waitFor(/EXIT=\d+/, 180_000);
    expect(upgraded).toContain('EXIT=0');
    expect(upgraded).toMatch(/✔ lab-web UPDATE_COMPLETE/);
    // moto keeps no deployed-version tag readable here: the line names the version reached.
    expect(upgraded).toMatch(/✔ lab is upgraded (from \S+ )?to 1\.1\.0/);
    expectNoRepeatedFrame(await upgrade.scrollback(), 'Upgrading lab (');

    // Destroy, confirmed by typing the deployment's name, then the teardown in the live view.
    const destroy = await terminal(w, 'destroy --blueprint domain --config lab.answers.yaml', size);
    await destroy.waitFor('Type the deployment name (lab)', 120_000);
    await destroy.press({ text: 'lab' }, 'Enter');
    const destroyed = await destroy.waitFor(/EXIT=\d+/, 180_000);
    expect(destroyed).toContain('EXIT=0');
    expect(destroyed).toMatch(/lab-web DELETE_COMPLETE|✔ .*lab-web/);
    expectNoRepeatedFrame(await destroy.scrollback(), 'Destroying lab (');
  }, 600_000);
});
