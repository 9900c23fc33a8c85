// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are CloudFormation Fn::Sub and !Sub bodies, not JavaScript templates
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Blueprint, loadBlueprint } from '../../src/blueprint/load-blueprint.ts';
import { buildPolicies, type PolicyStatement } from '../../src/policy/operator-policy.ts';
import { passedRoles, type RoleNaming } from '../../src/policy/passed-roles.ts';
import { projectRoot } from '../support/run-cli.ts';

const TARGET = { deployment: 'shop', region: 'eu-central-1', account: '111122223333' };
const passRoleStatements = (statements: readonly PolicyStatement[]) =>
  statements.filter((statement) => statement.Action.includes('iam:PassRole'));

describe('iam:PassRole in the printed policies', () => {
  it('is never granted on any role: the demo gets its WorkerRole only, passed to ECS tasks only', async () => {
    const demo = await loadBlueprint(join(projectRoot, 'blueprints', 'demo'));
    const { operator, summaries } = buildPolicies(demo, TARGET, { serviceRole: false });
    expect(passRoleStatements(operator.Statement)).toEqual([
      {
        Sid: 'PassTemplateRoles',
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        // CloudFormation names a role the template does not name <stack>-<logical id>-<random>.
        Resource: 'arn:aws:iam::111122223333:role/shop-app-WorkerRole-*',
        Condition: { StringEquals: { 'iam:PassedToService': ['ecs-tasks.amazonaws.com'] } },
      },
    ]);
    expect(summaries.find((summary) => summary.sid === 'PassTemplateRoles')?.where).toBe(
      "the templates' roles, to ecs-tasks.amazonaws.com only",
    );
    // With a service role, the same narrow grant goes to the role's policy, beside PassServiceRole.
    const withRole = buildPolicies(demo, TARGET, { serviceRole: true });
    expect(passRoleStatements(withRole.serviceRole?.policy.Statement ?? []).map((s) => s.Resource)).toEqual([
      'arn:aws:iam::111122223333:role/shop-app-WorkerRole-*',
    ]);
    expect(passRoleStatements(withRole.operator.Statement).map((s) => s.Sid)).toEqual(['PassServiceRole']);
    expect(withRole.summaries.map((s) => `${s.document} ${s.sid}`)).toContain(
      'service role PassTemplateRoles',
    );
  });

  it('in every shipped blueprint, names roles only under the deployment (or the names the templates give)', async () => {
    for (const name of ['codeocean-vpc', 'convox-rack', 'opensarlab', 'qhub']) {
      const blueprint = await loadBlueprint(join(projectRoot, 'blueprints', name));
      const policies = buildPolicies(blueprint, TARGET, { serviceRole: false });
      for (const statement of passRoleStatements(policies.operator.Statement)) {
        const resources = [statement.Resource].flat();
        for (const resource of resources)
          expect(resource, name).toMatch(/^arn:aws:iam::111122223333:role\/shop-/);
      }
    }
  });
});

/** A blueprint of one stack per template, enough for passedRoles. */
function blueprintOf(
  templates: Record<string, Record<string, unknown>>,
  nested: Record<string, unknown[]> = {},
) {
  return {
    stacks: Object.keys(templates).map((id) => ({
      id,
      name: `{{deployment}}-${id}`,
      parameters: { Env: 'prod' },
    })),
    templates: Object.fromEntries(
      Object.entries(templates).map(([id, Resources]) => [id, { document: { Resources } }]),
    ),
    nested: Object.fromEntries(
      Object.entries(nested).map(([id, list]) => [
        id,
        list.map((Resources) => ({ document: { Resources } })),
      ]),
    ),
  } as unknown as Blueprint;
}

const naming = (deployment = 'shop'): RoleNaming => ({
  stackName: (stackId) => `${deployment}-${stackId}`,
  substitute: (_stackId, variable) =>
    variable === 'Env' ? 'prod' : variable === 'AWS::AccountId' ? '111122223333' : undefined,
  roleArn: (resource) => `arn:aws:iam::111122223333:${resource}`,
});

const trust = (...services: unknown[]) => ({
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: services.length === 1 ? services[0] : services },
      Action: 'sts:AssumeRole',
    },
  ],
});

describe('passedRoles', () => {
  it('names template roles by RoleName, Path and ${...}, or by the stack prefix CloudFormation gives them', () => {
    const passed = passedRoles(
      blueprintOf(
        {
          app: {
            Named: {
              Type: 'AWS::IAM::Role',
              Properties: {
                RoleName: 'fixed',
                Path: '/svc/',
                AssumeRolePolicyDocument: trust('lambda.amazonaws.com'),
              },
            },
            Subbed: {
              Type: 'AWS::IAM::Role',
              Properties: {
                RoleName: { 'Fn::Sub': '${AWS::StackName}-${Env}-${Unknown}' },
                AssumeRolePolicyDocument: trust(['events.amazonaws.com', 'lambda.amazonaws.com']),
              },
            },
            Generated: {
              Type: 'AWS::IAM::Role',
              Properties: { AssumeRolePolicyDocument: trust('ecs-tasks.amazonaws.com') },
            },
            Fn: {
              Type: 'AWS::Lambda::Function',
              Properties: { Role: { 'Fn::GetAtt': ['Generated', 'Arn'] } },
            },
            Rule: {
              Type: 'AWS::Events::Rule',
              Properties: { Targets: [{ RoleArn: { 'Fn::GetAtt': 'Subbed.Arn' } }] },
            },
            Profile: { Type: 'AWS::IAM::InstanceProfile', Properties: { Roles: [{ Ref: 'Named' }] } },
            Box: { Type: 'AWS::EC2::Instance', Properties: { IamInstanceProfile: { Ref: 'Profile' } } },
          },
        },
        // A nested stack's generated name starts with its parent's name.
        {
          app: [
            {
              Inner: {
                Type: 'AWS::IAM::Role',
                Properties: { AssumeRolePolicyDocument: trust('lambda.amazonaws.com') },
              },
            },
          ],
        },
      ),
      naming(),
    );
    expect(passed).toEqual({
      resources: [
        'arn:aws:iam::111122223333:role/shop-app-Generated-*',
        'arn:aws:iam::111122223333:role/shop-app-Inner-*',
        'arn:aws:iam::111122223333:role/shop-app-prod-*',
        'arn:aws:iam::111122223333:role/svc/fixed',
      ],
      condition: {
        StringEquals: {
          'iam:PassedToService': ['ecs-tasks.amazonaws.com', 'events.amazonaws.com', 'lambda.amazonaws.com'],
        },
      },
      what: "the templates' roles, to ecs-tasks.amazonaws.com, events.amazonaws.com, lambda.amazonaws.com only",
    });
  });

  it('keeps the start of a long stack name, as CloudFormation shortens a generated role name to 64 characters', () => {
    const passed = passedRoles(
      blueprintOf({
        a: {
          AVeryLongLogicalIdForTheWorkerRole: {
            Type: 'AWS::IAM::Role',
            Properties: { AssumeRolePolicyDocument: trust('ec2.amazonaws.com') },
          },
        },
      }),
      naming('a-deployment-name-that-is-quite-long'),
    );
    expect(passed?.resources).toEqual(['arn:aws:iam::111122223333:role/a-deployment-nam*']);
  });

  it('adds a role ARN the templates write out, without a service condition (it is not theirs)', () => {
    const passed = passedRoles(
      blueprintOf({
        data: {
          Bucket: {
            Type: 'AWS::S3::Bucket',
            Properties: {
              ReplicationConfiguration: {
                Role: { 'Fn::Sub': 'arn:aws:iam::${AWS::AccountId}:role/replication' },
                Rules: [],
              },
            },
          },
          Db: {
            Type: 'AWS::RDS::DBInstance',
            Properties: { MonitoringRoleArn: 'arn:aws:iam::111122223333:role/rds-monitoring' },
          },
          Own: {
            Type: 'AWS::IAM::Role',
            Properties: { AssumeRolePolicyDocument: trust('lambda.amazonaws.com') },
          },
        },
      }),
      naming(),
    );
    expect(passed).toEqual({
      resources: [
        'arn:aws:iam::111122223333:role/rds-monitoring',
        'arn:aws:iam::111122223333:role/replication',
        'arn:aws:iam::111122223333:role/shop-data-Own-*',
      ],
      what: "the templates' roles",
    });
  });

  it('drops the service condition when a trust policy does not name its services literally', () => {
    const passed = passedRoles(
      blueprintOf({
        a: {
          R: {
            Type: 'AWS::IAM::Role',
            Properties: { AssumeRolePolicyDocument: trust({ 'Fn::Sub': '${Svc}.amazonaws.com' }) },
          },
          // A name and path from parameters the blueprint does not set: any role under any path.
          P: {
            Type: 'AWS::IAM::Role',
            Properties: {
              RoleName: { Ref: 'Name' },
              Path: { Ref: 'Path' },
              AssumeRolePolicyDocument: trust('ec2.amazonaws.com'),
            },
          },
        },
      }),
      naming(),
    );
    expect(passed).toEqual({
      resources: ['arn:aws:iam::111122223333:role/**', 'arn:aws:iam::111122223333:role/shop-a-R-*'],
      what: "the templates' roles",
    });
  });

  it('falls back to every role of the account, saying why, when a role comes from a parameter', () => {
    const passed = passedRoles(
      blueprintOf({
        a: {
          Fn: {
            Type: 'AWS::Lambda::Function',
            Properties: { Role: { Ref: 'RoleArnParameter' }, Code: { 'Fn::Sub': 'x' } },
          },
        },
      }),
      naming(),
    );
    expect(passed).toEqual({
      resources: ['arn:aws:iam::111122223333:role/*'],
      what: 'any role of the account (Fn (AWS::Lambda::Function) is given a role the templates do not create or name)',
    });
  });

  it('grants nothing when the templates create and name no role', () => {
    expect(
      passedRoles(
        blueprintOf({ a: { Q: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'q' } } } }),
        naming(),
      ),
    ).toBeUndefined();
  });
});
