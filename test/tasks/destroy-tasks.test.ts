import { describe, expect, it } from 'vitest';
import type { AcmPort } from '../../src/aws/acm-port.ts';
import type { CodeCommitPort } from '../../src/aws/codecommit-port.ts';
import type { EbsPort, EbsVolume } from '../../src/aws/ebs-port.ts';
import type { EcrPort } from '../../src/aws/ecr-port.ts';
import type { HostedZone, Route53Port } from '../../src/aws/route53-port.ts';
import type { ObjectVersion, S3Port } from '../../src/aws/s3-port.ts';
import type { Teardown, TeardownDeps } from '../../src/decommission/teardown.ts';
import type { StackguideEvent } from '../../src/events.ts';
import type { StackChange } from '../../src/journal/journal.ts';
import {
  deleteCodeCommitTask,
  deleteStackTask,
  deleteStepResourcesTask,
  deleteTaggedVolumesTask,
  destroyTasks,
  emptyBucketsTask,
  emptyRepositoriesTask,
} from '../../tasks/destroy-tasks.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { FakeCloudFormationPort } from '../support/fake-cloudformation-port.ts';
import { runWithTestRenderer, statesOf, titlesOf } from '../support/listr-test-run.ts';

/** A port whose every method not given throws: a task that calls something unexpected fails the test. */
function fakePort<T extends object>(methods: Partial<T>): T {
  return new Proxy(methods, {
    get(target, key) {
      const method = (target as Record<string | symbol, unknown>)[key];
      if (method === undefined) return () => Promise.reject(new Error(`unexpected call ${String(key)}`));
      return method;
    },
  }) as T;
}

const STACK = 'AWS::CloudFormation::Stack';
const DEPLOYMENT = 'demo';

function world() {
  const clock = new FakeClock();
  const cfn = new FakeCloudFormationPort();
  const emitted: StackguideEvent[] = [];
  const recorded: StackChange[] = [];
  const appended: StackguideEvent[] = [];
  const deps = (ports: Partial<TeardownDeps['ports']> = {}): TeardownDeps => ({
    ports: {
      s3: fakePort<S3Port>({}),
      ecr: fakePort<EcrPort>({}),
      route53: fakePort<Route53Port>({}),
      acm: fakePort<AcmPort>({}),
      codeCommit: fakePort<CodeCommitPort>({}),
      ebs: fakePort<EbsPort>({}),
      ...ports,
    },
    cloudFormation: cfn,
    clock,
    emit: (event) => emitted.push(event),
    journal: {
      recordStack: async (_key, change) => void recorded.push(change),
      appendEvent: async (event) => void appended.push(event),
    },
    pollIntervalMs: { min: 1, max: 1 },
  });
  const progress = () =>
    emitted.flatMap((e) => (e.type === 'step.progress' ? [`${e.step}: ${e.message}`] : []));
  return { clock, cfn, emitted, recorded, appended, deps, progress };
}

/** An in-memory versioned bucket. */
function fakeS3(contents: Record<string, ObjectVersion[]>): S3Port {
  return fakePort<S3Port>({
    listObjectVersions: async (bucket) =>
      contents[bucket] ? { versions: [...(contents[bucket] ?? [])] } : undefined,
    deleteObjectVersions: async (bucket, versions) => {
      contents[bucket] = (contents[bucket] ?? []).filter(
        (v) => !versions.some((d) => d.key === v.key && d.versionId === v.versionId),
      );
      return [];
    },
  });
}

/** DeleteStack answered with a script of events: each call takes the next outcome. */
function scriptDeletes(
  cfn: FakeCloudFormationPort,
  clock: FakeClock,
  stackId: string,
  outcomes: Array<'DELETE_COMPLETE' | 'DELETE_FAILED'>,
): Array<string[] | undefined> {
  const retained: Array<string[] | undefined> = [];
  cfn.deleteStack = async (_id: string, _token: string, retain?: string[]) => {
    retained.push(retain);
    const outcome = outcomes.shift() ?? 'DELETE_COMPLETE';
    const at = (s: number) => new Date(clock.nowMs + s * 1000);
    const name = cfn.stacks.get(stackId)?.stackName ?? '';
    cfn.addEvent(stackId, name, STACK, 'DELETE_IN_PROGRESS', at(1));
    if (outcome === 'DELETE_FAILED') {
      cfn.addEvent(stackId, 'Bucket', 'AWS::S3::Bucket', 'DELETE_FAILED', at(2), {
        reason: 'The bucket you tried to delete is not empty',
      });
      cfn.addEvent(stackId, name, STACK, 'DELETE_FAILED', at(3));
    } else {
      cfn.addEvent(stackId, 'Bucket', 'AWS::S3::Bucket', 'DELETE_COMPLETE', at(2));
      cfn.addEvent(stackId, name, STACK, 'DELETE_COMPLETE', at(3));
    }
  };
  return retained;
}

describe('destroy task factories, run with listr2 test renderer against port fakes', () => {
  it('empties every version of the planned buckets and says how many went', async () => {
    const { deps, progress } = world();
    const contents: Record<string, ObjectVersion[]> = {
      'demo-data': [
        { key: 'a', versionId: '1', size: 3, deleteMarker: false },
        { key: 'a', versionId: '2', size: 3, deleteMarker: false },
        { key: 'b', versionId: '3', size: 0, deleteMarker: true },
      ],
    };
    const { lines, error } = await runWithTestRenderer([
      emptyBucketsTask(deps({ s3: fakeS3(contents) }), ['demo-data']),
    ]);
    expect(error).toBeUndefined();
    expect(contents['demo-data']).toEqual([]);
    expect(progress()).toEqual([
      'empty-buckets: demo-data: 3 versions and markers deleted; CloudFormation deletes the bucket',
    ]);
    expect(titlesOf(lines)).toEqual(['Emptied the buckets']);
    expect(statesOf(lines).at(-1)).toBe('COMPLETED');
  });

  it('empties the ECR repositories, and says which one was already gone', async () => {
    const { deps, progress } = world();
    const ecr = fakePort<EcrPort>({
      emptyRepository: async (name) => (name === 'demo-app' ? 4 : undefined),
    });
    const { lines } = await runWithTestRenderer([
      emptyRepositoriesTask(deps({ ecr }), ['demo-app', 'demo-old']),
    ]);
    expect(progress()).toEqual([
      'ecr-repositories: demo-app: 4 images deleted; CloudFormation deletes the repository',
      'ecr-repositories: demo-old: gone',
    ]);
    expect(titlesOf(lines)).toEqual(['Emptied the ECR repositories']);
  });

  it('deletes a stack, journaled before and after, and reports it deleted on DELETE_COMPLETE', async () => {
    const { cfn, clock, deps, recorded, emitted } = world();
    const stackId = cfn.addStack('demo-app', 'CREATE_COMPLETE');
    scriptDeletes(cfn, clock, stackId, ['DELETE_COMPLETE']);
    const { lines, error } = await runWithTestRenderer([
      deleteStackTask(deps(), { name: 'demo-app', stackId, status: 'CREATE_COMPLETE' }),
    ]);
    expect(error).toBeUndefined();
    expect(recorded).toEqual([
      { name: 'demo-app', stackId, operation: 'delete' },
      { name: 'demo-app', status: 'DELETE_COMPLETE', operation: undefined },
    ]);
    expect(emitted.at(-1)).toMatchObject({
      type: 'stack.completed',
      stack: 'demo-app',
      status: 'DELETE_COMPLETE',
    });
    expect(titlesOf(lines)).toEqual(['Deleted stack demo-app']);
  });

  it('on DELETE_FAILED unattended, stops with the reason, journals DELETE_FAILED and never says deleted', async () => {
    const { cfn, clock, deps, recorded } = world();
    const stackId = cfn.addStack('demo-data', 'CREATE_COMPLETE');
    const retained = scriptDeletes(cfn, clock, stackId, ['DELETE_FAILED']);
    const { lines, error } = await runWithTestRenderer([
      deleteStackTask(deps(), { name: 'demo-data', stackId, status: 'CREATE_COMPLETE' }),
    ]);
    expect(error).toMatchObject({
      code: 'stack.delete-failed',
      message: 'demo-data could not be deleted: Bucket: The bucket you tried to delete is not empty',
    });
    expect(retained).toHaveLength(1);
    expect(recorded.at(-1)).toEqual({ name: 'demo-data', status: 'DELETE_FAILED', operation: undefined });
    expect(titlesOf(lines)).toEqual([]);
    expect(statesOf(lines).at(-1)).toBe('FAILED');
  });

  it('on DELETE_FAILED, retain retries keeping the failed resource; retry empties the buckets again first', async () => {
    const { cfn, clock, deps } = world();
    const stackId = cfn.addStack('demo-data', 'CREATE_COMPLETE');
    const retained = scriptDeletes(cfn, clock, stackId, [
      'DELETE_FAILED',
      'DELETE_FAILED',
      'DELETE_COMPLETE',
    ]);
    const asked: string[] = [];
    const answers = ['retain', 'retry'];
    let emptied = 0;
    const { lines, error } = await runWithTestRenderer([
      deleteStackTask(
        {
          ...deps(),
          choose: async (message, choices, cancelValue) => {
            asked.push(message);
            const answer = answers.shift();
            return choices.find((choice) => choice.value === answer)?.value ?? cancelValue;
          },
          emptyAgain: async () => void emptied++,
        },
        { name: 'demo-data', stackId, status: 'CREATE_COMPLETE' },
      ),
    ]);
    expect(error).toBeUndefined();
    expect(asked[0]).toBe(
      'demo-data could not be deleted (Bucket: The bucket you tried to delete is not empty). What now?',
    );
    expect(retained).toEqual([[], ['Bucket'], []]);
    expect(emptied).toBe(1);
    expect(titlesOf(lines)).toEqual(['Deleted stack demo-data']);
  });

  it('deletes what the preparation steps made only while it carries this deployment tag', async () => {
    const { deps, progress } = world();
    const deleted: string[] = [];
    const acm = fakePort<AcmPort>({
      describeCertificate: async (arn) => ({ arn }) as Awaited<ReturnType<AcmPort['describeCertificate']>>,
      listTagsForCertificate: async () => ({ 'stackguide:deployment': DEPLOYMENT }),
      deleteCertificate: async (arn) => {
        deleted.push(arn);
        return true;
      },
    });
    const route53 = fakePort<Route53Port>({
      getHostedZone: async (id) =>
        ({ id, name: 'lab.example.org', nameServers: [] }) as unknown as HostedZone,
      listTagsForHostedZone: async () => ({ 'stackguide:deployment': 'other' }),
    });
    const teardown: Teardown = {
      ...emptyTeardown(),
      stepResources: [
        { kind: 'hostedZone', step: 'zone', zoneId: 'Z1', domain: 'lab.example.org' },
        { kind: 'certificate', step: 'cert', arn: 'arn:aws:acm:us-east-1:1:certificate/c' },
      ],
    };
    const { lines } = await runWithTestRenderer([deleteStepResourcesTask(deps({ acm, route53 }), teardown)]);
    expect(deleted).toEqual(['arn:aws:acm:us-east-1:1:certificate/c']);
    expect(progress()).toEqual([
      'preparation: certificate arn:aws:acm:us-east-1:1:certificate/c: deleted',
      'preparation: hosted zone lab.example.org (Z1): skipped (its stackguide:deployment tag is "other", not "demo")',
    ]);
    expect(titlesOf(lines)).toEqual(['Deleted what the preparation steps made']);
  });

  it('deletes the opted-in CodeCommit repositories, and never says "Deleted" of ones that were not there (trial finding 28)', async () => {
    const { deps, progress } = world();
    const codeCommit = fakePort<CodeCommitPort>({ deleteRepository: async (name) => name === 'demo-code' });
    const mixed = await runWithTestRenderer([
      deleteCodeCommitTask(deps({ codeCommit }), ['demo-code', 'demo-gone']),
    ]);
    expect(progress()).toEqual(['codecommit: demo-code: deleted', 'codecommit: demo-gone: already gone']);
    expect(titlesOf(mixed.lines)).toEqual(['Deleted 1 CodeCommit repository (1 already gone)']);
    const none = await runWithTestRenderer([
      deleteCodeCommitTask(deps({ codeCommit }), ['a-gone', 'b-gone']),
    ]);
    expect(titlesOf(none.lines)).toEqual(['The CodeCommit repositories were already gone']);
    const all = await runWithTestRenderer([deleteCodeCommitTask(deps({ codeCommit }), ['demo-code'])]);
    expect(titlesOf(all.lines)).toEqual(['Deleted the CodeCommit repositories']);
  });

  it('deletes tagged volumes re-checked one by one, journaling each outcome as it happens', async () => {
    const { deps, progress, appended } = world();
    const volume = (id: string, tags: Record<string, string>): EbsVolume => ({
      id,
      sizeGiB: 8,
      state: 'available',
      tags,
      attachedTo: [],
    });
    const live: Record<string, EbsVolume> = {
      'vol-1': volume('vol-1', { 'stackguide:deployment': DEPLOYMENT }),
      'vol-2': volume('vol-2', {}),
    };
    const ebs = fakePort<EbsPort>({
      describeVolume: async (id) => live[id],
      deleteVolume: async (id) => {
        delete live[id];
        return { outcome: 'deleted' };
      },
    });
    const teardown: Teardown = {
      ...emptyTeardown(),
      tagged: ['vol-1', 'vol-2'].map((id) => ({
        kind: 'volume',
        id,
        sizeGiB: 8,
        state: 'available',
        tags: {},
        ownedBy: { key: 'stackguide:deployment', value: 'demo' },
      })),
    };
    const { lines } = await runWithTestRenderer([deleteTaggedVolumesTask(deps({ ebs }), teardown)]);
    expect(Object.keys(live)).toEqual(['vol-2']);
    expect(progress()[0]).toBe('ebs: volume vol-1: deleted');
    expect(progress()[1]).toMatch(/^ebs: volume vol-2: skipped \(no longer carries/);
    // Journaled as each finishes (concurrently), not in plan order.
    expect(appended.map((e) => (e.type === 'step.progress' ? e.message : e.type)).sort()).toEqual([
      'volume vol-1: deleted',
      'volume vol-2: skipped',
    ]);
    expect(titlesOf(lines)).toEqual(['Deleted the tagged volumes and snapshots']);
  });

  it('lists the teardown in order: emptying, the stacks, then what outlives them; nothing that is not planned', () => {
    const { deps } = world();
    const titles = (teardown: Teardown) => destroyTasks(teardown, deps()).map((task) => task.title);
    expect(titles(emptyTeardown())).toEqual([]);
    expect(
      titles({
        ...emptyTeardown(),
        buckets: ['b'],
        repositories: ['r'],
        stacks: [
          { name: 'demo-app', stackId: 'a', status: 'CREATE_COMPLETE' },
          { name: 'demo-data', stackId: 'd', status: 'CREATE_COMPLETE' },
        ],
        stepResources: [{ kind: 'certificate', step: 'cert', arn: 'arn' }],
        codeCommitRepositories: ['code'],
        tagged: [
          {
            kind: 'snapshot',
            id: 'snap-1',
            sizeGiB: 1,
            state: 'completed',
            tags: {},
            ownedBy: { key: 'stackguide:deployment', value: 'demo' },
          },
        ],
      }),
    ).toEqual([
      'Empty the buckets',
      'Empty the ECR repositories',
      'Delete stack demo-app',
      'Delete stack demo-data',
      'Delete what the preparation steps made',
      'Delete the CodeCommit repositories',
      'Delete the tagged volumes and snapshots',
    ]);
  });
});

function emptyTeardown(): Teardown {
  return {
    deployment: DEPLOYMENT,
    buckets: [],
    repositories: [],
    stacks: [],
    stepResources: [],
    codeCommitRepositories: [],
    tagged: [],
  };
}
