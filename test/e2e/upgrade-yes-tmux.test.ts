import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { ModifyDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { cliPath, projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { openTmuxTerminal, operatorEnv, type TmuxTerminal } from '../support/tmux-terminal.ts';

/**
 * `upgrade --yes` in a real terminal asks nothing (README, `--yes`): not the identity, not whether to
 * take a live value a live check found (it is taken and said), not a change set's review. Before, the
 * live-value question stopped an unattended upgrade that had a terminal attached. The parameters it
 * changes are said with both values before the live view.
 */
let moto: MotoServer;
let work: { path: string; remove: () => Promise<void> };
let terminal: TmuxTerminal | undefined;
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const blueprint = join(projectRoot, 'test', 'fixtures', 'blueprints', 'database');

beforeAll(async () => {
  moto = await startMotoServer();
  work = await tempDir();
});
afterAll(async () => {
  await terminal?.kill();
  await moto?.stop();
  await work?.remove();
});

describe('upgrade --yes in an 80x24 terminal', () => {
  it('asks nothing, takes the live value and says each parameter it changes', async () => {
    const answers = join(work.path, 'shop.answers.yaml');
    await writeFile(
      answers,
      'blueprint: database-app\ndeployment: shop\nregion: us-east-1\nanswers:\n  storage: 20\nsteps:\n  maintenance:\n    confirmed: true\n',
    );
    const connection = ['--endpoint-url', moto.endpoint, '--state-dir', 'state'];
    const installed = await runCli(
      ['install', '--yes', '--blueprint', blueprint, '--config', answers, ...connection],
      {
        cwd: work.path,
      },
    );
    expect(installed.code, installed.stderr).toBe(0);

    // The database grew behind CloudFormation's back: the live check finds it.
    const cloudFormation = new CloudFormationClient({
      region: 'us-east-1',
      endpoint: moto.endpoint,
      credentials,
    });
    const rds = new RDSClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials });
    const { StackResourceSummaries } = await cloudFormation.send(
      new ListStackResourcesCommand({ StackName: 'shop-main' }),
    );
    const database = StackResourceSummaries?.find(
      (r) => r.LogicalResourceId === 'Database',
    )?.PhysicalResourceId;
    await rds.send(
      new ModifyDBInstanceCommand({
        DBInstanceIdentifier: database,
        AllocatedStorage: 50,
        ApplyImmediately: true,
      }),
    );
    cloudFormation.destroy();
    rds.destroy();

    terminal = await openTmuxTerminal(
      `${process.execPath} ${cliPath} upgrade --yes --set instanceSize=db.t3.small --blueprint ${blueprint} --config ${answers} ${connection.join(' ')}`,
      {
        cwd: work.path,
        env: operatorEnv(work.path),
        width: 80,
        height: 24,
      },
    );
    // A question would stop it here until the limit: the run ends on its own.
    await terminal.waitFor(/EXIT=\d+/, 180_000);
    const output = await terminal.scrollback();
    expect(output).toContain('EXIT=0');
    expect(output).not.toContain('Use the live value');
    expect(output).not.toContain('Upgrade in account');
    expect(output).toContain('Parameters this upgrade changes (deployed → new):');
    expect(output).toContain('shop-main InstanceClass: db.t3.micro → db.t3.small');
    // The live check's finding and the live value taken are said before the live view; the closing line
    // names the answer that changed.
    expect(output).toContain('⚠ shop-main: using the live value 50 for AllocatedStorage');
    expect(output.replace(/\s+/g, ' ')).toContain('✔ shop is upgraded (2.0.0, answer changed: instanceSize)');
    expect(await readFile(answers, 'utf8')).toContain('instanceSize: db.t3.small');
  }, 300_000);
});
