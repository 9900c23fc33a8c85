import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PortToken } from '../../src/aws/port-token.ts';
import { loadBlueprint } from '../../src/blueprint/load-blueprint.ts';
import { STEP_CALLS, templateResourceTypes, toolCalls } from '../../src/policy/tool-calls.ts';
import { stepConfigs } from '../../src/steps/step-configs.ts';
import { projectRoot } from '../support/run-cli.ts';

const stepsDir = join(projectRoot, 'src', 'steps');
const kebab = (kind: string) => kind.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory() ? filesUnder(join(dir, entry.name)) : Promise.resolve([join(dir, entry.name)]),
    ),
  );
  return files.flat().filter((file) => file.endsWith('.ts'));
}

/** A step's sources, with the files of other step folders it imports (a shared zone lookup). */
async function stepSources(kind: string): Promise<string> {
  const own = await filesUnder(join(stepsDir, kebab(kind)));
  const borrowed = new Set<string>();
  for (const file of own)
    for (const [, path] of (await readFile(file, 'utf8')).matchAll(/from '(\.\.\/[a-z-]+\/[^']+)'/g)) {
      const target = resolve(dirname(file), path ?? '');
      if (target.startsWith(stepsDir) && !own.includes(target)) borrowed.add(target);
    }
  return (await Promise.all([...own, ...borrowed].map((file) => readFile(file, 'utf8')))).join('\n');
}

/** Every port token, by the name it is imported under. */
async function tokensByName(): Promise<Map<string, PortToken<object>>> {
  const dir = join(projectRoot, 'src', 'aws');
  const tokens = new Map<string, PortToken<object>>();
  for (const file of (await readdir(dir)).filter((name) => name.endsWith('-port.ts'))) {
    const module = (await import(join(dir, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module))
      if (value && typeof value === 'object' && 'methods' in value)
        tokens.set(name, value as PortToken<object>);
  }
  return tokens;
}

describe('what each step kind calls', () => {
  it('lists every step kind', () => {
    expect(Object.keys(STEP_CALLS).sort()).toEqual(stepConfigs.map((config) => config.kind).sort());
  });

  it("lists every port method a step's source calls: a new call fails here until the policy knows it", async () => {
    const tokens = await tokensByName();
    const unlisted: string[] = [];
    for (const { kind } of stepConfigs) {
      const source = await stepSources(kind);
      const declared = STEP_CALLS[kind];
      const listed = new Set(
        [...(declared?.reads ?? []), ...(declared?.writes ?? [])].map(
          (c) => `${c.token.service}.${c.method}`,
        ),
      );
      for (const [name, token] of tokens) {
        if (!new RegExp(`\\b${name}\\b`).test(source)) continue;
        for (const method of token.methods)
          if (new RegExp(`\\.${method}\\(`).test(source) && !listed.has(`${token.service}.${method}`))
            unlisted.push(`${kind}: ${token.service}.${method}`);
      }
    }
    expect(unlisted).toEqual([]);
  });
});

describe('what the tool calls for a blueprint', () => {
  it('asks the demo only for what its steps and stacks need', async () => {
    const demo = await loadBlueprint(join(projectRoot, 'blueprints', 'demo'));
    expect(templateResourceTypes(demo)).toEqual([
      'AWS::IAM::Role',
      'AWS::S3::Bucket',
      'AWS::SNS::Topic',
      'AWS::SQS::Queue',
      'AWS::SSM::Parameter',
    ]);
    const methods = new Set(toolCalls(demo).map((c) => `${c.call.token.service}.${c.call.method}`));
    expect(methods).toContain('IAM.createServiceLinkedRole');
    expect(methods).toContain('S3.listObjectVersions');
    // No step of the demo touches these, nor does it package templates or keep an ECR repository.
    for (const absent of [
      'ACM.requestCertificate',
      'Route53.createHostedZone',
      'Secrets Manager.createSecret',
      'S3.putObject',
      'ECR.emptyRepository',
      'CodeCommit.deleteRepository',
      'RDS.describeDbInstance',
      'CloudFormation.createStack',
      'CloudFormation.updateStack',
    ])
      expect(methods).not.toContain(absent);
  });

  it('asks opensarlab for its secret, SES, cost tag, certificate and ECR calls, and packaging', async () => {
    const osl = await loadBlueprint(join(projectRoot, 'blueprints', 'opensarlab'));
    const methods = new Set(toolCalls(osl).map((c) => `${c.call.token.service}.${c.call.method}`));
    for (const present of [
      'Secrets Manager.createSecret',
      'SESv2.requestProductionAccess',
      'Cost Explorer.setCostAllocationTagStatus',
      'ACM.requestCertificate',
      'ECR.emptyRepository',
    ])
      expect(methods).toContain(present);
  });
});
