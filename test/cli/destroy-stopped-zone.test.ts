import { join } from 'node:path';
import {
  ChangeResourceRecordSetsCommand,
  ChangeTagsForResourceCommand,
  CreateHostedZoneCommand,
  GetHostedZoneCommand,
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * Trial finding 92: an install stopped while its hosted-zone step waited for the delegation leaves the
 * zone it created (tagged for the deployment) and no stack, and the journal holds no zone id. destroy
 * finds the zone by its tag, shows it in the plan, deletes it (with the delegation in a parent zone of
 * this account) and leaves alone zones of other deployments and untagged ones. A zone the step created
 * and was killed before it could tag is known by the caller reference stackguide created it with.
 */
const blueprint = join(projectRoot, 'test', 'fixtures', 'blueprints', 'domain');

let moto: MotoServer;
let route53: Route53Client;
let work: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  moto = await startMotoServer();
  work = await tempDir();
  route53 = new Route53Client({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
}, 120_000);
afterAll(async () => {
  route53?.destroy();
  await moto?.stop();
  await work?.remove();
});

async function zone(
  name: string,
  deployment?: string,
  reference = `${name}-${Date.now()}`,
): Promise<{ id: string; nameServers: string[] }> {
  const created = await route53.send(new CreateHostedZoneCommand({ Name: name, CallerReference: reference }));
  const id = (created.HostedZone?.Id ?? '').replace('/hostedzone/', '');
  if (deployment)
    await route53.send(
      new ChangeTagsForResourceCommand({
        ResourceType: 'hostedzone',
        ResourceId: id,
        AddTags: [{ Key: 'stackguide:deployment', Value: deployment }],
      }),
    );
  return { id, nameServers: created.DelegationSet?.NameServers ?? [] };
}

async function zoneNames(): Promise<string[]> {
  const listed = await route53.send(new ListHostedZonesCommand({}));
  return (listed.HostedZones ?? []).map((each) => each.Name ?? '').sort();
}

const destroy = (...extra: string[]) =>
  runCli(
    [
      'destroy',
      '--blueprint',
      blueprint,
      '--name',
      'co2',
      '--region',
      'us-east-1',
      '--endpoint-url',
      moto.endpoint,
      '--state-dir',
      join(work.path, 'state'),
      ...extra,
    ],
    { cwd: work.path, env: { CI: 'true' } },
  );

describe('destroy of an install stopped while its hosted-zone step waited', () => {
  it('finds the zone by its deployment tag, plans it, and deletes it with its delegation', async () => {
    const parent = await zone('example.test');
    const mine = await zone('codeocean.example.test', 'co2');
    await zone('other.example.test', 'co3');
    await zone('untagged.example.test');
    // Created by co2's step (a reference made unique after a deleted zone spent the plain one), killed before the tag.
    const killed = await zone(
      'killed.example.test',
      undefined,
      'stackguide/co2/killed.example.test/1764800000000',
    );
    await zone('theirs.example.test', undefined, 'stackguide/co3/theirs.example.test');
    await route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: parent.id,
        ChangeBatch: {
          Changes: [
            {
              Action: 'UPSERT',
              ResourceRecordSet: {
                Name: 'codeocean.example.test',
                Type: 'NS',
                TTL: 300,
                ResourceRecords: mine.nameServers.map((Value) => ({ Value })),
              },
            },
          ],
        },
      }),
    );

    const dry = await destroy('--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('No stacks of this deployment exist.');
    expect(dry.stdout).toContain(`hosted zone codeocean.example.test (${mine.id})`);
    expect(dry.stdout).toContain(`hosted zone killed.example.test (${killed.id})`);
    expect(dry.stdout).not.toContain('theirs.example.test');
    expect(dry.stdout).not.toContain('nothing to delete');
    expect(dry.stdout.trimEnd()).toMatch(
      /Dry run: nothing was deleted\. To delete: stackguide destroy --blueprint \S+ --name co2 --region us-east-1 --endpoint-url \S+ --state-dir \S+$/,
    );
    expect(await zoneNames()).toContain('codeocean.example.test.');

    const done = await destroy('--confirm', 'co2');
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).toContain(`hosted zone codeocean.example.test (${mine.id}): deleted`);
    expect(done.stderr).toContain(`hosted zone killed.example.test (${killed.id}): deleted`);
    expect(await zoneNames()).toEqual([
      'example.test.',
      'other.example.test.',
      'theirs.example.test.',
      'untagged.example.test.',
    ]);
    await expect(route53.send(new GetHostedZoneCommand({ Id: mine.id }))).rejects.toThrow();
    const delegation = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: parent.id }));
    expect(
      (delegation.ResourceRecordSets ?? []).filter((record) => record.Name === 'codeocean.example.test.'),
    ).toEqual([]);
  });
});
