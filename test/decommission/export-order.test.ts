import { describe, expect, it } from 'vitest';
import type { DestroyPlan } from '../../src/decommission/destroy-plan.ts';
import { checkExportOrder } from '../../src/decommission/export-order.ts';
import { StackguideError } from '../../src/errors.ts';

/**
 * The order check's every branch, over a fake of the two calls it makes (the scenario-server test in
 * test/cli/exports-scenario.test.ts drives the same code over the wire, paged and refused).
 */
const id = (name: string) => `arn:aws:cloudformation:us-east-1:123456789012:stack/${name}/1`;

function plan(order: string[], retained: string[] = []): DestroyPlan {
  return {
    deployment: 'lab',
    region: 'us-east-1',
    stacks: order.map((name) => ({ name, stackId: id(name), status: 'CREATE_COMPLETE' })),
    retained: retained.map((name) => ({ name, status: 'CREATE_COMPLETE' })),
    absent: [],
    buckets: [],
    repositories: [],
    keptByPolicy: [],
    terminationProtected: [],
    codeCommitRepositories: [],
    cautions: [],
    untaggedButDeclared: [],
    unreadableTemplates: [],
    platformTags: [],
  };
}

function port(exports: Record<string, string>, imports: Record<string, string[]>) {
  return {
    listExports: async () =>
      Object.entries(exports).map(([name, exporter]) => ({ name, exportingStackId: id(exporter) })),
    listImports: async (name: string) => imports[name] ?? [],
  };
}

describe('checkExportOrder', () => {
  it('accepts an order that deletes every importer before its exporter', async () => {
    const problems = await checkExportOrder(
      plan(['app', 'base']),
      port({ 'lab-topic': 'base', 'other-export': 'elsewhere' }, { 'lab-topic': ['app'] }),
    );
    expect(problems).toEqual([]);
  });

  it('names an exporter deleted before its importer, a kept importer, and an importer outside the deployment', async () => {
    const problems = await checkExportOrder(
      plan(['base', 'app'], ['keeper']),
      port({ 'lab-topic': 'base' }, { 'lab-topic': ['app', 'keeper', 'stranger'] }),
    );
    expect(problems.map((p) => p.message)).toEqual([
      'base would be deleted before app, which imports its export lab-topic',
      'keeper is kept by the blueprint but imports lab-topic from base',
      'stranger, which is not part of this deployment, imports lab-topic from base',
    ]);
    expect(problems[0]?.fix).toBe("Put app before base in the blueprint's decommission.order.");
  });

  it('fails closed when ListExports cannot be read', async () => {
    const refused = {
      ...port({}, {}),
      listExports: async () => {
        throw new Error('User: x is not authorized to perform: cloudformation:ListExports');
      },
    };
    const error = await checkExportOrder(plan(['base']), refused).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StackguideError);
    expect(error).toMatchObject({
      code: 'destroy.export-check-failed',
      kind: 'aws',
      message: expect.stringContaining('(ListExports failed: User: x is not authorized'),
      nextSteps: expect.arrayContaining([expect.stringContaining('--skip-export-check')]),
    });
  });

  it('fails closed when ListImports stays throttled after the retries', async () => {
    const throttled = {
      ...port({ 'lab-topic': 'base' }, {}),
      listImports: async () => {
        throw new Error('Rate exceeded');
      },
    };
    await expect(checkExportOrder(plan(['base']), throttled)).rejects.toMatchObject({
      code: 'destroy.export-check-failed',
      message: expect.stringContaining('(ListImports for lab-topic failed: Rate exceeded)'),
    });
  });
});
