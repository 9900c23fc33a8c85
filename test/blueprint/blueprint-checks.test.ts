import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CloudFormationClient, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBlueprint } from '../../src/blueprint/load-blueprint.ts';
import { StackguideError } from '../../src/errors.ts';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { type RecordingProxy, startRecordingProxy } from '../support/recording-proxy.ts';
import { projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

const broken = join(projectRoot, 'test', 'fixtures', 'blueprints', 'broken');

/** Each broken fixture, the path its problem is reported at, and words of the fix. */
const CASES = [
  {
    fixture: 'retain-typo',
    path: /blueprint\.yaml:\d+ decommission\.retain\[0\]/,
    message: '"fundation" is not a stack id',
    fix: 'did you mean "foundation"?',
  },
  {
    fixture: 'export-order',
    path: /blueprint\.yaml:\d+ decommission\.order\[0\]/,
    message: '"foundation" would be deleted before "app", which imports its export {{deployment}}-bucket',
    fix: 'Put "app" before "foundation" in decommission.order.',
  },
  {
    fixture: 'output-order',
    path: /blueprint\.yaml:\d+ decommission\.order\[0\]/,
    message: 'which takes its output BucketName',
    fix: 'Put "app" before "foundation" in decommission.order.',
  },
  {
    fixture: 'nested-missing',
    path: /templates\/main\.yaml Resources\.Network\.Properties\.TemplateURL/,
    message: '"nested/netwrk.yaml" is not in the blueprint folder',
    fix: 'Add templates/nested/netwrk.yaml to the blueprint folder, or correct the path',
  },
  {
    fixture: 'iam-capability',
    path: /blueprint\.yaml:\d+ stacks\[0\]\.capabilities/,
    message: 'WorkerRole (AWS::IAM::Role with RoleName) in templates/roles.yaml needs CAPABILITY_NAMED_IAM',
    fix: 'Add CAPABILITY_NAMED_IAM to stacks[0].capabilities.',
  },
  {
    fixture: 'duplicate-names',
    path: /blueprint\.yaml:\d+ stacks\[1\]\.name/,
    message: '-data", like stacks[0]',
    fix: 'Give every stack its own name',
  },
  {
    fixture: 'long-name',
    path: /blueprint\.yaml:\d+ stacks\[0\]\.name/,
    message:
      "the longest allowed deployment name (100 characters) the stack name is 137 characters, over CloudFormation's 128",
    fix: 'lower deployment.maxLength to 91',
  },
  {
    fixture: 'choice-allowed',
    path: /blueprint\.yaml:\d+ stacks\[0\]\.parameters\.Size/,
    message: 'Size allows only small, medium, large, but question "size" allows "huge"',
    fix: 'or add huge to AllowedValues',
  },
  {
    fixture: 'parameter-type',
    path: /blueprint\.yaml:\d+ stacks\[0\]\.parameters\.Timeout/,
    message: 'Timeout is a Number parameter, but question "timeout" is a string question',
    fix: 'Make "timeout" a number question',
  },
  {
    fixture: 'file-template',
    path: /templates\/platform\.template\.yaml availability_zones\.\$when\.zone/,
    message: '$when names no question "zone"',
    fix: 'did you mean "zones"?',
  },
  {
    fixture: 'placeholder',
    path: /blueprint\.yaml:\d+ afterInstall\[0\]\.title/,
    message: 'the template of "main" has no output BucketNmae',
    fix: 'did you mean "BucketName"?',
  },
] as const;

let moto: MotoServer;
let proxy: RecordingProxy;
let work: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  moto = await startMotoServer();
  proxy = await startRecordingProxy(moto.endpoint);
  work = await tempDir();
});
afterAll(async () => {
  await proxy?.stop();
  await moto?.stop();
  await work?.remove();
});

describe('validate catches what would hurt later, by path with the fix', () => {
  it.each(CASES)('$fixture: exit 2, the path, the fix', async ({ fixture, path, message, fix }) => {
    const result = await runCli(['validate', join(broken, fixture)]);
    expect(result.code).toBe(2);
    const line = result.stderr.split('\n').find((candidate) => path.test(candidate));
    expect(line, result.stderr).toBeDefined();
    expect(line).toContain(message);
    expect(result.stderr).toContain(`fix: `);
    expect(result.stderr).toContain(fix);
  });

  it('install, upgrade and destroy refuse each broken blueprint before any AWS call: moto holds nothing', async () => {
    const run = (command: string[], fixture: string) =>
      runCli(
        [
          ...command,
          '--blueprint',
          join(broken, fixture),
          '--name',
          'acme',
          '--region',
          'us-east-1',
          '--endpoint-url',
          proxy.endpoint,
          '--state-dir',
          join(work.path, 'state'),
        ],
        { cwd: work.path },
      );
    const answers = join(work.path, 'acme.yaml');
    await writeFile(
      answers,
      'blueprint: broken-retain-typo\ndeployment: acme\nregion: us-east-1\nanswers: {}\n',
    );
    const results = await Promise.all([
      ...CASES.map(({ fixture }) => run(['install', '--yes'], fixture)),
      run(['upgrade', '--yes', '--config', answers], 'retain-typo'),
      run(['destroy', '--confirm', 'acme'], 'retain-typo'),
    ]);
    for (const result of results) {
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain('problem');
    }
    // install asks STS who the caller is while the blueprint loads (a read, for a faster first
    // question); nothing else may reach AWS.
    expect(proxy.operations.filter((operation) => operation.action !== 'GetCallerIdentity')).toEqual([]);
    const cloudFormation = new CloudFormationClient({
      region: 'us-east-1',
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    expect((await cloudFormation.send(new ListStacksCommand({}))).StackSummaries ?? []).toEqual([]);
    cloudFormation.destroy();
  });

  it('every shipped blueprint and test fixture still validates', async () => {
    for (const name of ['codeocean-vpc', 'convox-rack', 'demo', 'opensarlab', 'qhub'])
      await expect(loadBlueprint(join(projectRoot, 'blueprints', name))).resolves.toBeDefined();
    for (const name of ['account-prep', 'checklist', 'database', 'domain', 'platform', 'teardown'])
      await expect(
        loadBlueprint(join(projectRoot, 'test', 'fixtures', 'blueprints', name)),
      ).resolves.toBeDefined();
  });
});

describe('limits and stacks kept by the blueprint', () => {
  async function variant(fixture: string, edit: (dir: string) => Promise<void>): Promise<string> {
    const dir = join(work.path, `${fixture}-${Math.random().toString(36).slice(2)}`);
    await cp(join(broken, fixture), dir, { recursive: true });
    await edit(dir);
    return dir;
  }
  async function details(dir: string) {
    const error = await loadBlueprint(dir).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(StackguideError);
    expect((error as StackguideError).exitCode).toBe(2);
    return (error as StackguideError).details;
  }

  it('takes a template over the inline limit (it is packaged) and refuses one with more than 500 resources', async () => {
    const dir = await variant('duplicate-names', async (path) => {
      const blueprint = join(path, 'blueprint.yaml');
      await writeFile(
        blueprint,
        (await readFile(blueprint, 'utf8'))
          .replace(
            "name: '{{deployment}}-data'\n    template: templates/bucket.yaml\n  - id: archive",
            "name: '{{deployment}}-data'\n    template: templates/big.yaml\n  - id: archive",
          )
          .replace(
            "name: '{{deployment}}-data'\n    template: templates/bucket.yaml\n",
            "name: '{{deployment}}-archive'\n    template: templates/many.yaml\n",
          ),
      );
      const padding = `# ${'x'.repeat(78)}\n`.repeat(700);
      await writeFile(
        join(path, 'templates', 'big.yaml'),
        `${padding}Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n`,
      );
      const many = Array.from({ length: 501 }, (_, i) => `  Queue${i}:\n    Type: AWS::SQS::Queue\n`).join(
        '',
      );
      await writeFile(join(path, 'templates', 'many.yaml'), `Resources:\n${many}`);
    });
    const found = await details(dir);
    expect(found).toEqual([
      expect.objectContaining({
        path: 'templates/many.yaml Resources',
        message: "501 resources, over CloudFormation's limit of 500",
        fix: expect.stringContaining('nested stack'),
      }),
    ]);
  });

  it('refuses keeping a stack whose export destroy would delete', async () => {
    const dir = await variant('export-order', async (path) => {
      const blueprint = join(path, 'blueprint.yaml');
      await writeFile(
        blueprint,
        (await readFile(blueprint, 'utf8')).replace('  order: [foundation, app]', '  retain: [app]'),
      );
    });
    expect(await details(dir)).toEqual([
      expect.objectContaining({
        path: expect.stringMatching(/decommission\.retain\[0\]$/),
        message:
          '"app" is kept but imports its export {{deployment}}-bucket from "foundation", which destroy deletes',
        fix: 'Keep "foundation" as well (add it to decommission.retain), or stop "app" using it.',
      }),
    ]);
  });

  it('passes the same blueprints once fixed', async () => {
    const fixed = await variant('export-order', async (path) => {
      const blueprint = join(path, 'blueprint.yaml');
      await writeFile(
        blueprint,
        (await readFile(blueprint, 'utf8')).replace('[foundation, app]', '[app, foundation]'),
      );
    });
    await expect(loadBlueprint(fixed)).resolves.toBeDefined();
    const named = await variant('iam-capability', async (path) => {
      const blueprint = join(path, 'blueprint.yaml');
      await writeFile(
        blueprint,
        (await readFile(blueprint, 'utf8')).replace('[CAPABILITY_IAM]', '[CAPABILITY_NAMED_IAM]'),
      );
    });
    await expect(loadBlueprint(named)).resolves.toMatchObject({
      nested: { main: [expect.objectContaining({ file: 'templates/roles.yaml', logicalId: 'Roles' })] },
    });
  });
});
