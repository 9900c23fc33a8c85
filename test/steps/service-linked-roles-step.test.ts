import { CreateServiceLinkedRoleCommand, IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { iamPort } from '../../src/aws/iam-port.ts';
import { serviceLinkedRolesStep } from '../../src/steps/service-linked-roles/service-linked-roles-step.ts';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { checkById, configFor, preflightContext } from '../support/preflight-context.ts';

let moto: MotoServer;
let iam: IAMClient;

beforeAll(async () => {
  moto = await startMotoServer();
  iam = new IAMClient({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
});
afterAll(async () => {
  iam?.destroy();
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
});

const SERVICES = ['batch.amazonaws.com', 'elasticache.amazonaws.com', 'spot.amazonaws.com'];
const context = () => preflightContext({ endpoint: moto.endpoint, stepId: 'roles' });

/** What IAM holds under the service-role paths, per service. */
async function rolesInIam(): Promise<Record<string, string[]>> {
  const listed = await iam.send(new ListRolesCommand({ PathPrefix: '/aws-service-role/' }));
  const byService: Record<string, string[]> = {};
  for (const role of listed.Roles ?? []) {
    const service = /^\/aws-service-role\/([^/]+)\/$/.exec(role.Path ?? '')?.[1] ?? '?';
    byService[service] = [...(byService[service] ?? []), role.RoleName ?? ''];
  }
  return byService;
}

describe('serviceLinkedRoles step against moto', () => {
  it('finds an existing role by its path, whatever its name, and warns about missing ones', async () => {
    await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'batch.amazonaws.com' }));
    const results = await checkById(serviceLinkedRolesStep, context(), { services: SERVICES });
    expect([...results.keys()]).toEqual(SERVICES.map((service) => `roles.${service}`));
    expect(results.get('roles.batch.amazonaws.com')).toMatchObject({
      status: 'pass',
      // moto names roles its own way (AWSServiceRoleForbatch); the lookup goes by path, not name.
      summary: expect.stringMatching(/^exists \(AWSServiceRoleFor\w+\)$/),
    });
    expect(results.get('roles.batch.amazonaws.com')?.fix).toBeUndefined();
    expect(results.get('roles.batch.amazonaws.com')?.plannedByInstall).toBeUndefined();
    // Missing is not a blocking failure: install creates it before any stack needs it, and an
    // install's review shows it with the plan rather than as a failure.
    expect(results.get('roles.spot.amazonaws.com')).toMatchObject({
      status: 'warn',
      summary: 'missing: stackguide install creates it',
      plannedByInstall: true,
      fix: expect.stringContaining(
        'aws iam create-service-linked-role --aws-service-name spot.amazonaws.com',
      ),
    });
  });

  it('plans and creates only the missing roles; a second apply changes nothing', async () => {
    await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'batch.amazonaws.com' }));
    const config = configFor(serviceLinkedRolesStep, { services: SERVICES });

    const plan = await serviceLinkedRolesStep.plan?.(context(), config, {});
    expect(plan?.map((change) => [change.action, change.resource])).toEqual([
      ['create', 'service-linked role for elasticache.amazonaws.com'],
      ['create', 'service-linked role for spot.amazonaws.com'],
    ]);

    const first = context();
    expect(await serviceLinkedRolesStep.apply?.(first, config, {})).toEqual({});
    const afterFirst = await rolesInIam();
    expect(Object.keys(afterFirst).sort()).toEqual(SERVICES);
    for (const names of Object.values(afterFirst)) expect(names).toHaveLength(1);
    expect(
      first.events.map((event) => (event.type === 'step.progress' ? event.message : event.type)),
    ).toEqual([
      'Service-linked role for batch.amazonaws.com exists',
      'Creating the service-linked role for elasticache.amazonaws.com',
      // Typed, for a stop to name what stays (never learnt from the words of the line after it).
      'step.resource-created',
      'Created the service-linked role for elasticache.amazonaws.com',
      'Creating the service-linked role for spot.amazonaws.com',
      'step.resource-created',
      'Created the service-linked role for spot.amazonaws.com',
    ]);
    expect(first.events).toContainEqual({
      type: 'step.resource-created',
      step: expect.any(String),
      resource: {
        kind: 'serviceLinkedRole',
        id: expect.stringMatching(/^AWSServiceRoleFor/),
        name: 'spot.amazonaws.com',
      },
    });

    const second = context();
    await serviceLinkedRolesStep.apply?.(second, config, {});
    expect(await rolesInIam()).toEqual(afterFirst);
    expect(
      second.events.every((event) => event.type === 'step.progress' && / exists$/.test(event.message)),
    ).toBe(true);
    expect(await serviceLinkedRolesStep.plan?.(context(), config, {})).toEqual([]);
    const results = await checkById(serviceLinkedRolesStep, context(), { services: SERVICES });
    expect([...results.values()].map((result) => result.status)).toEqual(['pass', 'pass', 'pass']);
  });

  it('counts "already exists" from IAM as success when another process created the role meanwhile', async () => {
    const config = configFor(serviceLinkedRolesStep, { services: ['batch.amazonaws.com'] });
    const ctx = context();
    // The role appears between the step's lookup and its create: moto then answers EntityAlreadyExists.
    const lookup = ctx.aws.use(iamPort);
    const original = lookup.listRoles;
    lookup.listRoles = async (prefix) => {
      const roles = await original(prefix);
      await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'batch.amazonaws.com' }));
      return roles;
    };
    await serviceLinkedRolesStep.apply?.(ctx, config, {});
    expect(ctx.events.at(-1)).toMatchObject({
      type: 'step.progress',
      message: 'Service-linked role for batch.amazonaws.com already exists',
    });
    const held = await rolesInIam();
    expect(Object.keys(held)).toEqual(['batch.amazonaws.com']);
    expect(held['batch.amazonaws.com']).toHaveLength(1);
  });
});
