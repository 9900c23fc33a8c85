import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CloudFormationPort, StackDescription } from '../../src/aws/cloudformation-port.ts';
import { type Blueprint, loadBlueprint } from '../../src/blueprint/load-blueprint.ts';
import { buildDestroyPlan } from '../../src/decommission/destroy-plan.ts';
import { StackguideError } from '../../src/errors.ts';
import { destroyPlanText } from '../../src/output/destroy-plan-text.ts';
import { projectRoot } from '../support/run-cli.ts';

/**
 * The destroy plan when a stack's template cannot be read: the plan still lists the stack and its
 * buckets, but says, by name, that what the template keeps (DeletionPolicy) is unknown, and how to fix it.
 */
let demo: Blueprint;
beforeAll(async () => {
  demo = await loadBlueprint(join(projectRoot, 'blueprints', 'demo'));
});

const arnOf = (name: string) => `arn:aws:cloudformation:us-east-1:123456789012:stack/${name}/1`;
const stack = (name: string): StackDescription => ({
  stackId: arnOf(name),
  stackName: name,
  status: 'CREATE_COMPLETE',
  outputs: {},
  parameters: {},
  tags: { 'stackguide:deployment': 'demo' },
  terminationProtection: false,
});

/** CloudFormation holding demo-data (a bucket its template retains) and demo-app (a queue). */
function cloudFormation(getTemplateBody: (id: string) => Promise<string | undefined>): CloudFormationPort {
  return {
    describeStack: async (name: string) =>
      ['demo-data', 'demo-app'].includes(name) ? stack(name) : undefined,
    getTemplateBody,
    listStackResources: async (id: string) =>
      id === arnOf('demo-data')
        ? [
            {
              logicalResourceId: 'Archive',
              physicalResourceId: 'demo-data-archive',
              resourceType: 'AWS::S3::Bucket',
              status: 'CREATE_COMPLETE',
            },
          ]
        : [
            {
              logicalResourceId: 'Queue',
              physicalResourceId: 'https://sqs/demo-app-queue',
              resourceType: 'AWS::SQS::Queue',
              status: 'CREATE_COMPLETE',
            },
          ],
  } as unknown as CloudFormationPort;
}

const RETAINING = JSON.stringify({
  Resources: { Archive: { Type: 'AWS::S3::Bucket', DeletionPolicy: 'Retain' } },
});

const plan = (port: CloudFormationPort) =>
  buildDestroyPlan({
    blueprint: demo,
    deployment: 'demo',
    region: 'us-east-1',
    answers: {},
    cloudFormation: port,
  });

describe('the destroy plan and unreadable templates', () => {
  it('with the templates read: the retained bucket is kept by policy, not emptied, and no warning', async () => {
    const built = await plan(cloudFormation(async (id) => (id === arnOf('demo-data') ? RETAINING : '{}')));
    expect(built.keptByPolicy.map((kept) => kept.logicalId)).toEqual(['Archive']);
    expect(built.buckets).toEqual([]);
    expect(built.unreadableTemplates).toEqual([]);
    expect(destroyPlanText(built)).not.toContain('Templates not read');
  });

  it('names a refused GetTemplate in the plan, with the permission to grant, instead of going on silently', async () => {
    const refused = new StackguideError(
      'AWS refused cloudformation:GetTemplate (CloudFormation GetTemplate)',
      {
        code: 'aws.access-denied',
        kind: 'aws',
      },
    );
    const built = await plan(
      cloudFormation(async (id) => {
        if (id === arnOf('demo-data')) throw refused;
        return '{}';
      }),
    );
    // The stacks are still planned (they can be deleted), but the plan cannot know the retained bucket.
    expect(built.stacks.map((s) => s.name)).toEqual(['demo-app', 'demo-data']);
    expect(built.unreadableTemplates).toEqual([
      {
        stack: 'demo-data',
        message: expect.stringContaining('AWS refused cloudformation:GetTemplate'),
        fix: `Grant cloudformation:GetTemplate on ${arnOf('demo-data')} (stackguide policy prints it in DeploymentStacks), then run destroy again to see the full plan.`,
      },
    ]);
    expect(built.unreadableTemplates[0]?.message).toContain('a bucket it keeps is emptied like the others');
    const text = destroyPlanText(built);
    expect(text).toContain('⚠ Templates not read (destroy.template-unreadable)');
    expect(text).toContain('  ! demo-data: AWS refused cloudformation:GetTemplate');
    expect(text).toContain(`    fix: Grant cloudformation:GetTemplate on ${arnOf('demo-data')}`);
  });

  it('says so too when the template could not be read for another reason', async () => {
    const built = await plan(
      cloudFormation(async (id) => {
        if (id === arnOf('demo-app')) throw new Error('socket hang up');
        return '{}';
      }),
    );
    expect(built.unreadableTemplates).toEqual([
      {
        stack: 'demo-app',
        message: expect.stringMatching(/^its template could not be read \(socket hang up\): what it keeps/),
        fix: 'Run destroy again to read it before anything is deleted.',
      },
    ]);
  });
});
