import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { BlueprintDocument } from '../../src/blueprint/blueprint-schema.ts';
import { loadBlueprint } from '../../src/blueprint/load-blueprint.ts';
import { StackguideError } from '../../src/errors.ts';
import {
  type DeploymentGraph,
  destroyGraph,
  findCycle,
  installGraph,
  refOf,
  topologicalOrder,
  upgradeGraph,
  waves,
} from '../../src/graph/deployment-graph.ts';
import { graphMermaid, graphText } from '../../src/graph/graph-text.ts';
import { validateText } from '../../src/output/validate-text.ts';

const stacksOf = (graph: DeploymentGraph): string[][] =>
  waves(graph)
    .map((wave) => wave.filter((id) => id.startsWith('stacks.')).map(refOf))
    .filter((wave) => wave.length > 0);

describe('the shipped blueprints’ graphs match their seeds’ guides', () => {
  it('opensarlab: the container and main stacks are created at once, the pipeline after main', async () => {
    const blueprint = await loadBlueprint('blueprints/opensarlab');
    const install = installGraph(blueprint, blueprint.templates);
    expect(stacksOf(install)).toEqual([['container', 'main'], ['pipeline']]);
    // Every preparation step comes first, one after another, in the order the guide gives them.
    expect(topologicalOrder(install).slice(0, blueprint.steps.length)).toEqual(
      blueprint.steps.map((step) => `steps.${step.id}`),
    );
  });

  it('opensarlab: destroy chains the stacks in the guide’s teardown order, leaves the container stack independent, and never deletes cognito', async () => {
    const blueprint = await loadBlueprint('blueprints/opensarlab');
    const guide = await readFile('/work/shared/seeds/001_771e654198e7d0b6.txt', 'utf8').catch(
      () => undefined,
    );
    // The guide's numbered teardown list ("you will need to delete your stacks in the following order");
    // `-auth` is "if applicable" and this blueprint has none. The container stack is not in it: "The
    // <deployment_name>-container is independent of other stacks, i.e., the deletion order does not matter".
    const guideOrder = guide
      ? [...guide.matchAll(/^\d\. \*?`<deployment_name>(-[a-z-]+)?` stack/gm)]
          .map((match) => match[1] ?? '')
          .filter((suffix) => suffix !== '-auth')
      : ['-jupyterhub', '-cluster', '-cluster-pipeline', ''];
    if (guide)
      expect(guide).toContain('is independent of other stacks, i.e., the deletion order does not matter');
    const nameOf = (ref: string): string => {
      const stack = blueprint.stacks.find((candidate) => candidate.id === ref);
      const name = stack ? stack.name : ref;
      return name.replace('{{deployment}}', '');
    };
    const graph = destroyGraph(blueprint, blueprint.templates);
    const order = topologicalOrder(graph).map((id) => nameOf(refOf(id)));
    expect(order.filter((name) => name !== '-container')).toEqual(guideOrder);
    // Independent: no edge of any kind to or from the container stack, so it is deletable in the first wave.
    expect(
      graph.edges.filter((edge) => edge.from === 'stacks.container' || edge.to === 'stacks.container'),
    ).toEqual([]);
    expect(waves(graph)[0]).toContain('stacks.container');
    expect(graph.retained).toEqual(['{{deployment}}-cognito']);
  });

  it('codeocean-vpc: the backup stack is upgraded first (seed 002) and deleted last', async () => {
    const blueprint = await loadBlueprint('blueprints/codeocean-vpc');
    expect(stacksOf(upgradeGraph(blueprint, blueprint.templates))).toEqual([['backup'], ['main']]);
    expect(stacksOf(destroyGraph(blueprint, blueprint.templates))).toEqual([['main'], ['backup']]);
  });

  it('validate’s text says what runs at once and why a stack waits', async () => {
    const blueprint = await loadBlueprint('blueprints/opensarlab');
    const text = graphText({
      install: installGraph(blueprint, blueprint.templates),
      upgrade: upgradeGraph(blueprint, blueprint.templates),
      destroy: destroyGraph(blueprint, blueprint.templates),
    });
    expect(text).toContain(
      '  1. preparation steps, one after another: ses, costTag, dockerhub, calendar, certificate, repositories',
    );
    expect(text.find((line) => line.startsWith('  2. at once: stack container, stack main'))).toContain(
      'step certificate: step output certificateArn',
    );
    expect(text).toContain('  3. stack pipeline (after main: dependsOn)');
    expect(text).toContain('  kept by destroy: <deployment>-cognito');
  });

  it('validate’s text at 80 columns: every line fits, a numbered line continues under its text', async () => {
    const blueprint = await loadBlueprint('blueprints/opensarlab');
    const text = validateText(
      '✔ opensarlab 1.0.0 is valid: 4 question(s), stacks container, main, pipeline',
      {
        install: installGraph(blueprint, blueprint.templates),
        upgrade: upgradeGraph(blueprint, blueprint.templates),
        destroy: destroyGraph(blueprint, blueprint.templates),
      },
      80,
    ).split('\n');
    expect(text.filter((line) => line.length > 80)).toEqual([]);
    // Trial finding 70: "calendar, ce" / "rtificate" was cut by the terminal at column 80.
    expect(text).toContain('  1. preparation steps, one after another: ses, costTag, dockerhub, calendar,');
    expect(text).toContain('     certificate, repositories');
    expect(
      validateText(
        '✔ valid',
        {
          install: installGraph(blueprint, blueprint.templates),
          upgrade: upgradeGraph(blueprint, blueprint.templates),
          destroy: destroyGraph(blueprint, blueprint.templates),
        },
        undefined,
      ),
    ).toContain('calendar, certificate, repositories\n');
  });
});

/** A blueprint of the shape the graph reads, without files: stacks with dependencies, no steps. */
function document(stacks: Array<{ id: string; dependsOn?: string[]; parameters?: Record<string, string> }>) {
  return {
    steps: [],
    stacks: stacks.map((stack) => ({
      id: stack.id,
      name: `{{deployment}}-${stack.id}`,
      parameters: stack.parameters ?? {},
      tags: {},
      dependsOn: stack.dependsOn ?? [],
      capabilities: [],
      terminationProtection: false,
    })),
    decommission: { retain: [] },
  } as unknown as BlueprintDocument;
}

describe('the graph', () => {
  it('puts two independent chains of three side by side', () => {
    const graph = installGraph(
      document([
        { id: 'a1' },
        { id: 'b1' },
        { id: 'a2', dependsOn: ['a1'] },
        { id: 'b2', parameters: { X: '{{stacks.b1.outputs.Out}}' } },
        { id: 'a3', dependsOn: ['a2'] },
        { id: 'b3', dependsOn: ['b2'] },
      ]),
      {},
    );
    expect(stacksOf(graph)).toEqual([
      ['a1', 'b1'],
      ['a2', 'b2'],
      ['a3', 'b3'],
    ]);
    expect(graph.edges.find((edge) => edge.to === 'stacks.b2')?.reasons).toEqual([
      { kind: 'output', key: 'Out' },
    ]);
    // Destroy walks it backwards.
    expect(stacksOf(destroyGraph(document([{ id: 'a1' }, { id: 'a2', dependsOn: ['a1'] }]), {}))).toEqual([
      ['a2'],
      ['a1'],
    ]);
  });

  it('finds a cycle and names its stacks in order', () => {
    const graph = installGraph(
      document([
        { id: 'x', dependsOn: ['z'] },
        { id: 'y', dependsOn: ['x'] },
        { id: 'z', dependsOn: ['y'] },
        { id: 'free' },
      ]),
      {},
    );
    expect(findCycle(graph)).toEqual(['stacks.x', 'stacks.y', 'stacks.z', 'stacks.x']);
    expect(stacksOf(graph)).toEqual([['free']]);
    expect(
      findCycle(installGraph(document([{ id: 'x' }, { id: 'y', dependsOn: ['x'] }]), {})),
    ).toBeUndefined();
  });

  it('draws Mermaid with one subgraph per command and labelled edges', () => {
    const blueprint = document([{ id: 'data' }, { id: 'app', dependsOn: ['data'] }]);
    const lines = graphMermaid({
      install: installGraph(blueprint, {}),
      upgrade: upgradeGraph(blueprint, {}),
      destroy: destroyGraph(blueprint, {}),
    });
    expect(lines[0]).toBe('flowchart TD');
    expect(lines).toContain('  subgraph d[destroy]');
    expect(lines).toContain('    i_stacks_data -->|"dependsOn"| i_stacks_app');
    expect(lines).toContain('    d_stacks_app -->|"dependsOn"| d_stacks_data');
  });
});

describe('validate and cycles', () => {
  it('refuses a cycle made of an import and an output, naming both stacks (exit 2)', async () => {
    const error = await loadBlueprint('test/fixtures/blueprints/broken/dependency-cycle').catch(
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(StackguideError);
    const failure = error as StackguideError;
    expect(failure.exitCode).toBe(2);
    const cycle = failure.details.find((detail) => detail.message.includes('form a cycle'));
    expect(cycle?.message).toContain('the stacks network → app → network form a cycle');
    expect(cycle?.message).toContain('"network" waits for "app" (imports {{deployment}}-alerts)');
    expect(cycle?.path).toBe('blueprint.yaml:10 stacks[0]');
  });

  it('accepts a stack listed before the stack it depends on, and orders them', async () => {
    const { cp, readFile: read, writeFile } = await import('node:fs/promises');
    const { tempDir } = await import('../support/temp-dir.ts');
    const dir = await tempDir();
    try {
      await cp('blueprints/demo', dir.path, { recursive: true });
      const file = `${dir.path}/blueprint.yaml`;
      const yaml = await read(file, 'utf8');
      // The app stack first, then the data stack it depends on.
      const start = yaml.indexOf('  - id: data');
      const middle = yaml.indexOf('  - id: app');
      const end =
        yaml.indexOf('\n', yaml.indexOf("      environment: '{{answers.environment}}'", middle)) + 1;
      const swapped = `${yaml.slice(0, start)}${yaml.slice(middle, end)}${yaml.slice(start, middle)}${yaml.slice(end)}`;
      await writeFile(file, swapped);
      const blueprint = await loadBlueprint(dir.path).catch((error: StackguideError) => {
        throw new Error(JSON.stringify(error.details));
      });
      expect(blueprint.stacks.map((stack) => stack.id)).toEqual(['data', 'app']);
    } finally {
      await dir.remove();
    }
  });
});
