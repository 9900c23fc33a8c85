import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StackguideError } from '../../src/errors.ts';
import { regionStep } from '../../src/steps/region/region-step.ts';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { checkById, configFor, preflightContext } from '../support/preflight-context.ts';

// moto serves us-east-1's real zones (a to f) and its recorded per-zone offerings: us-east-1e offers
// none of the current types, x2iezn.2xlarge is offered in a, b and c only.
let moto: MotoServer;

beforeAll(async () => {
  moto = await startMotoServer();
});
afterAll(async () => {
  await moto?.stop();
});

const context = (answers: Record<string, string> = {}) =>
  preflightContext({ endpoint: moto.endpoint, stepId: 'region', answers });

describe('region step against moto', () => {
  it("passes Code Ocean's needs in us-east-1 and outputs the zones that offer every type", async () => {
    const config = {
      instanceTypes: ['m5.large', 'r5d.4xlarge', 'g4dn.4xlarge'],
      minAvailabilityZones: 2,
      maxAvailabilityZones: 6,
    };
    const results = await checkById(regionStep, context(), config);
    expect([...results.keys()]).toEqual([
      'region.zones',
      'region.instanceType.m5.large',
      'region.instanceType.r5d.4xlarge',
      'region.instanceType.g4dn.4xlarge',
      'region.availabilityZones',
    ]);
    expect(results.get('region.zones')).toMatchObject({
      status: 'pass',
      summary: expect.stringMatching(/^6 of 6 zones usable/),
    });
    expect(results.get('region.instanceType.g4dn.4xlarge')).toMatchObject({
      status: 'pass',
      summary:
        'offered in 5 of 6 usable zones: us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1f; not in us-east-1e',
    });
    expect(results.get('region.availabilityZones')).toMatchObject({
      status: 'pass',
      facts: { availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1f'] },
    });
    for (const result of results.values()) if (result.status === 'pass') expect(result.fix).toBeUndefined();

    const outputs = await regionStep.apply?.(context(), configFor(regionStep, config), {});
    expect(outputs).toEqual({ availabilityZones: 'us-east-1a,us-east-1b,us-east-1c,us-east-1d,us-east-1f' });
  });

  it('fails a type offered in fewer zones than needed, naming the zones and the command that lists them', async () => {
    const config = { instanceTypes: ['m5.large', 'x2iezn.2xlarge'], minAvailabilityZones: 4 };
    const results = await checkById(regionStep, context(), config);
    const x2 = results.get('region.instanceType.x2iezn.2xlarge');
    expect(x2).toMatchObject({
      status: 'fail',
      required: true,
      summary:
        'offered in 3 of 6 usable zones: us-east-1a, us-east-1b, us-east-1c; not in us-east-1d, us-east-1e, us-east-1f',
    });
    expect(x2?.fix).toContain('choose a region where it is offered in at least 4 zones');
    expect(x2?.fix).toContain(
      'aws ec2 describe-instance-type-offerings --location-type availability-zone --filters Name=instance-type,Values=x2iezn.2xlarge --region us-east-1',
    );
    expect(results.get('region.instanceType.m5.large')?.status).toBe('pass');
    expect(results.get('region.availabilityZones')).toMatchObject({
      status: 'fail',
      summary: '3 zones offering m5.large, x2iezn.2xlarge: us-east-1a, us-east-1b, us-east-1c',
    });
    const apply = regionStep.apply?.(context(), configFor(regionStep, config), {});
    await expect(apply).rejects.toBeInstanceOf(StackguideError);
    await expect(apply).rejects.toMatchObject({ code: 'step.region-zones' });
  });

  it('fails a type the region does not offer at all', async () => {
    const results = await checkById(regionStep, context(), { instanceTypes: ['m5.nonexistent'] });
    expect(results.get('region.instanceType.m5.nonexistent')).toMatchObject({
      status: 'fail',
      summary: 'not offered in any usable zone of us-east-1',
    });
    expect(results.get('region.availabilityZones')?.summary).toBe(
      'no zone of us-east-1 is offering m5.nonexistent',
    );
  });

  it('reads an instance type from an answer, and says which answer to change', async () => {
    const config = { instanceTypes: ['m5.large', '{{answers.workerType}}'], minAvailabilityZones: 5 };
    const results = await checkById(regionStep, context({ workerType: 'p4d.24xlarge' }), config);
    const worker = results.get('region.instanceType.p4d.24xlarge');
    expect(worker?.status).toBe('fail');
    expect(worker?.fix).toContain(
      'answer workerType (answers.workerType) with an instance type offered in at least 5 zones',
    );
    // An unanswered reference is an error naming the answer, not a silent pass.
    await expect(checkById(regionStep, context(), config)).rejects.toMatchObject({
      code: 'reference.unresolved',
    });
  });

  it('warns that OpenSearch and ElastiCache types cannot be verified here, with the command that can', async () => {
    const results = await checkById(regionStep, context(), {
      openSearchInstanceTypes: ['t3.small.search'],
      elastiCacheNodeTypes: ['cache.t3.micro'],
    });
    const search = results.get('region.openSearch.t3.small.search');
    expect(search).toMatchObject({ status: 'warn', required: false });
    expect(search?.summary).toMatch(
      /^cannot be verified here; the EC2 type t3\.small it runs on is offered in 5 usable zones/,
    );
    expect(search?.fix).toContain('aws opensearch list-instance-type-details');
    const cache = results.get('region.elastiCache.cache.t3.micro');
    expect(cache).toMatchObject({ status: 'warn', required: false });
    expect(cache?.fix).toContain(
      'aws elasticache describe-reserved-cache-nodes-offerings --cache-node-type cache.t3.micro --region us-east-1',
    );
  });
});
