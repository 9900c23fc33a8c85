import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Blueprint, loadBlueprint } from '../../src/blueprint/load-blueprint.ts';
import { buildPolicies, type PolicyStatement, policySize } from '../../src/policy/operator-policy.ts';
import { RESOURCE_HANDLERS } from '../../src/policy/resource-handlers.ts';
import { projectRoot } from '../support/run-cli.ts';

const shipped = (name: string) => loadBlueprint(join(projectRoot, 'blueprints', name));
const statement = (statements: PolicyStatement[], sid: string) => {
  const found = statements.find((s) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid} in ${statements.map((s) => s.Sid).join(', ')}`);
  return found;
};
const actions = (statements: PolicyStatement[]) => statements.flatMap((s) => s.Action);

let demo: Blueprint;
beforeAll(async () => {
  demo = await shipped('demo');
});

describe('the operator policy of a blueprint', () => {
  it("scopes the demo's stacks, lock and tags to the deployment, and grants only the calls it makes", () => {
    const { operator } = buildPolicies(
      demo,
      { deployment: 'shop', region: 'eu-central-1', account: '111122223333' },
      { serviceRole: false },
    );
    const stacks = statement(operator.Statement, 'DeploymentStacks');
    expect(stacks.Resource).toEqual([
      'arn:aws:cloudformation:eu-central-1:111122223333:stack/shop-data/*',
      'arn:aws:cloudformation:eu-central-1:111122223333:stack/shop-app/*',
      'arn:aws:cloudformation:eu-central-1:111122223333:changeSet/stackguide-*/*',
    ]);
    expect(stacks.Action).toContain('cloudformation:CreateChangeSet');
    // stackguide deploys through change sets only.
    expect(actions(operator.Statement)).not.toContain('cloudformation:CreateStack');
    expect(statement(operator.Statement, 'DeploymentLock').Resource).toBe(
      'arn:aws:ssm:eu-central-1:111122223333:parameter/stackguide/locks/shop',
    );
    expect(statement(operator.Statement, 'ArtifactsBucket').Resource).toBe(
      'arn:aws:s3:::sg-shop-111122223333-eu-central-1',
    );
    expect(statement(operator.Statement, 'TaggedVolumes').Condition).toEqual({
      StringEquals: { 'aws:ResourceTag/stackguide:deployment': 'shop' },
    });
    expect(statement(operator.Statement, 'ServiceLinkedRoles')).toMatchObject({
      Action: ['iam:CreateServiceLinkedRole'],
      Resource: 'arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/*',
      Condition: { StringLike: { 'iam:AWSServiceName': ['autoscaling.amazonaws.com'] } },
    });
    // The demo has no certificate, zone, secret or repository: none of their actions.
    expect(
      actions(operator.Statement).filter((a) => /^(acm|route53|secretsmanager|ecr|codecommit):/.test(a)),
    ).toEqual([]);
    // Without a service role, CloudFormation acts with these credentials: the handlers are granted.
    expect(statement(operator.Statement, 'TemplateResources').Action).toEqual(
      expect.arrayContaining(['sqs:CreateQueue', 'sns:CreateTopic', 'iam:CreateRole', 's3:CreateBucket']),
    );
    expect(operator.Statement.map((s) => s.Sid)).not.toContain('PassServiceRole');
  });

  it('leaves what is not known yet as a wildcard', () => {
    const { operator } = buildPolicies(demo, {}, { serviceRole: false });
    expect(statement(operator.Statement, 'DeploymentStacks').Resource).toContain(
      'arn:aws:cloudformation:*:*:stack/*-data/*',
    );
    expect(statement(operator.Statement, 'TaggedSnapshots')).toMatchObject({
      Resource: 'arn:aws:ec2:*::snapshot/*',
      Condition: { StringLike: { 'aws:ResourceTag/stackguide:deployment': '*' } },
    });
  });

  it('with a service role, moves the resource handlers to the role and lets the operator pass it to CloudFormation only', () => {
    const policies = buildPolicies(
      demo,
      { deployment: 'shop', region: 'us-east-1', account: '111122223333' },
      { serviceRole: true },
    );
    const operatorActions = actions(policies.operator.Statement);
    expect(operatorActions).not.toContain('sqs:CreateQueue');
    expect(statement(policies.operator.Statement, 'PassServiceRole')).toEqual({
      Sid: 'PassServiceRole',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: 'arn:aws:iam::111122223333:role/stackguide-shop-cloudformation',
      Condition: { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
    });
    expect(policies.serviceRole?.policy.Statement[0]?.Action).toEqual(
      expect.arrayContaining([...(RESOURCE_HANDLERS['AWS::SQS::Queue']?.create ?? [])]),
    );
    expect(policies.serviceRole?.trustPolicy.Statement[0]).toMatchObject({
      Principal: { Service: 'cloudformation.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
    });
    expect(policies.summaries.map((s) => `${s.document} ${s.sid}`)).toContain(
      'service role TemplateResources',
    );
  });

  it("names a secret by its path and widens the buckets' scope where the templates name buckets themselves", async () => {
    const osl = await shipped('opensarlab');
    const { operator } = buildPolicies(
      osl,
      { deployment: 'lab', region: 'us-west-2' },
      { serviceRole: false },
    );
    expect(statement(operator.Statement, 'StepSecrets').Resource).toBe(
      'arn:aws:secretsmanager:us-west-2:*:secret:dockerhub/creds-??????',
    );
    expect(statement(operator.Statement, 'StackBuckets').Resource).toBe('arn:aws:s3:::*');
    expect(actions(operator.Statement)).toEqual(
      expect.arrayContaining([
        'ses:PutAccountDetails',
        'ce:UpdateCostAllocationTagsStatus',
        'ecr:BatchDeleteImage',
      ]),
    );
  });

  it('covers every resource type of every shipped blueprint, within the size IAM takes for the demo', async () => {
    for (const name of ['demo', 'codeocean-vpc', 'convox-rack', 'opensarlab', 'qhub']) {
      const blueprint = await shipped(name);
      const policies = buildPolicies(blueprint, {}, { serviceRole: true });
      expect(policies.resourceTypes.length, name).toBeGreaterThan(0);
      expect(policies.operator.Statement.length, name).toBeGreaterThan(3);
    }
    expect(policySize(buildPolicies(demo, {}, { serviceRole: true }).operator)).toBeLessThan(6144);
  });

  it('refuses a template resource type it has no permissions for', () => {
    const custom = {
      ...demo,
      templates: {
        ...demo.templates,
        data: {
          ...(demo.templates.data as NonNullable<(typeof demo.templates)['data']>),
          summary: {
            parameters: {},
            resources: { Thing: { type: 'AWS::Made::Up' } },
            outputs: [],
            imports: [],
          },
        },
      },
    } as Blueprint;
    expect(() => buildPolicies(custom, {}, { serviceRole: false })).toThrow(
      expect.objectContaining({ code: 'policy.unknown-resource-type', exitCode: 2 }),
    );
  });
});
