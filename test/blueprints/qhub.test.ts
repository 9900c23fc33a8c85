import { copyFile, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * blueprints/qhub writes the configuration QHub deploys from (seed 003's sections, QHub's key names),
 * never a secret or a placeholder where QHub expects a value, and never replaces an operator's edits
 * to it without showing them.
 */
const blueprint = join(projectRoot, 'blueprints', 'qhub');
let moto: MotoServer;
let work: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  [moto, work] = await Promise.all([startMotoServer(), tempDir()]);
  await copyFile(join(blueprint, 'answers.yaml'), join(work.path, 'answers.yaml'));
});
afterAll(async () => {
  await Promise.all([moto?.stop(), work?.remove()]);
});

const install = (...args: string[]) =>
  runCli(
    [
      'install',
      '--blueprint',
      blueprint,
      '--config',
      'answers.yaml',
      '--endpoint-url',
      moto.endpoint,
      '--state-dir',
      'state',
      '--yes',
      ...args,
    ],
    { cwd: work.path, timeoutMs: 90_000 },
  );
const configPath = () => join(work.path, 'qhub-config.yaml');

describe('blueprints/qhub', () => {
  it("writes qhub-config.yaml in seed 003's structure, deployable as written, and keeps hand edits", async () => {
    const installed = await install();
    expect(installed.code, installed.stderr).toBe(0);
    const config = parse(await readFile(configPath(), 'utf8'));

    // 1. General
    expect(config).toMatchObject({
      project_name: 'qhub-aws',
      provider: 'aws',
      ci_cd: 'github-actions',
      domain: 'aws.qhub.dev',
    });
    // 2. Security: the secret where QHub reads secrets from (an environment variable), GitHub's keys only.
    expect(config.security.authentication).toEqual({
      type: 'GitHub',
      config: {
        client_id: 'qhub-github-client',
        client_secret: 'QHUB_SECRET_OAUTH_CLIENT_SECRET',
        oauth_callback_url: 'https://jupyter.aws.qhub.dev/hub/oauth_callback',
      },
    });
    // 2.1 Users and groups
    expect(config.security.users).toEqual({
      'alice@example.com': { uid: 10000001, primary_group: 'admin' },
      'bob@example.com': { uid: 10000002, primary_group: 'users' },
    });
    expect(config.security.groups).toEqual({ users: { gid: 10000000 }, admin: { gid: 10000001 } });
    // 3. Provider infrastructure: the extra node group beside the three fixed ones, under node_groups.
    const aws = config.amazon_web_services;
    expect(aws.region).toBe('us-west-2');
    // No zones in the answers: no key, so QHub picks zones of the region (no us-west-2 default).
    expect(aws).not.toHaveProperty('availability_zones');
    expect(Object.keys(aws.node_groups)).toEqual(['general', 'user', 'worker', 'high-memory']);
    expect(aws.node_groups['high-memory']).toEqual({ instance: 'r5.xlarge', min_nodes: 1, max_nodes: 50 });
    expect(aws).not.toHaveProperty('extra_node_groups');
    // Images, storage, profiles (exactly one default), environments.
    expect(Object.keys(config.default_images)).toEqual(['jupyterhub', 'jupyterlab', 'dask_worker']);
    expect(Object.keys(config.storage)).toEqual(['conda_store', 'shared_filesystem']);
    const profiles = config.profiles.jupyterlab as Array<{ display_name: string; default: boolean }>;
    expect(profiles.filter((profile) => profile.default).map((profile) => profile.display_name)).toEqual([
      'Small Instance',
    ]);
    expect(Object.keys(config.profiles.dask_worker)).toEqual(['Small Worker', 'Medium Worker']);
    expect(config.environments['environment-default.yaml'].dependencies).toContain('dask-gateway');
    // No value is left for the operator to fill in.
    expect(await readFile(configPath(), 'utf8')).not.toMatch(/<[^>]*>|\{\{/);
    // What comes next names QHub's deploy command and the variable it reads the secret from.
    expect(installed.stdout + installed.stderr).toContain('qhub deploy -c qhub-config.yaml');
    expect(installed.stdout + installed.stderr).toContain('export OAUTH_CLIENT_SECRET=');

    // A re-run with nothing changed leaves the file as it is.
    const before = await stat(configPath());
    expect((await install()).code).toBe(0);
    expect((await stat(configPath())).mtimeMs).toBe(before.mtimeMs);

    // An edit by hand survives a re-run that would change the file: refused unattended, with the difference.
    const edited = (await readFile(configPath(), 'utf8')).replace(
      'domain: aws.qhub.dev',
      'domain: hub.example.org',
    );
    await writeFile(configPath(), edited);
    const refused = await install('--set', 'kubernetes_version=1.30');
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain('qhub-config.yaml was edited by hand');
    expect(refused.stderr).toContain('- domain: hub.example.org');
    expect(refused.stderr).toContain('--overwrite');
    expect(await readFile(configPath(), 'utf8')).toBe(edited);

    // Auth0 with --overwrite: its scope and subdomain appear, GitHub's file is replaced.
    const auth0 = await install(
      '--set',
      'auth_type=Auth0',
      '--set',
      'auth0_subdomain=qhub-dev',
      '--set',
      'availability_zones=us-west-2c,us-west-2d',
      '--overwrite',
    );
    expect(auth0.code, auth0.stderr).toBe(0);
    const replaced = parse(await readFile(configPath(), 'utf8'));
    expect(replaced.domain).toBe('aws.qhub.dev');
    // Zones given: written as the list QHub reads.
    expect(replaced.amazon_web_services.availability_zones).toEqual(['us-west-2c', 'us-west-2d']);
    expect(replaced.security.authentication.config).toMatchObject({
      scope: ['openid', 'email', 'profile'],
      auth0_subdomain: 'qhub-dev',
    });
  }, 240_000);
});
