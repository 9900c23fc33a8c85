import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

describe('stackguide validate prints the graphs', () => {
  it('as text after the verdict, as Mermaid with --output graph, and refuses a cycle with exit 2', async () => {
    const text = await runCli(['validate', 'blueprints/opensarlab']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Install:\n');
    expect(text.stdout).toContain('  3. stack pipeline (after main: dependsOn)');
    // Destroy deletes one stack at a time in the plan's order (trial finding 71): the blueprint's
    // decommission.order, then the container stack; placeholders worded, not left as {{deployment}}.
    expect(text.stdout).toContain(
      [
        'Destroy, one stack at a time:',
        '  1. stack <deployment>-jupyterhub (if it exists: the platform makes it)',
        '  2. stack <deployment>-cluster (if it exists: the platform makes it)',
        '  3. stack pipeline',
        '  4. stack main (after pipeline: dependsOn)',
        '  5. stack container',
        '  kept by destroy: <deployment>-cognito',
      ].join('\n'),
    );
    expect(text.stdout).not.toContain('{{');

    const graph = await runCli(['validate', 'blueprints/opensarlab', '--output', 'graph']);
    expect(graph.code).toBe(0);
    expect(graph.stdout.split('\n')[0]).toBe('flowchart TD');
    expect(graph.stdout).toContain('i_stacks_main -->|"dependsOn"| i_stacks_pipeline');

    const cycle = await runCli(['validate', 'test/fixtures/blueprints/broken/dependency-cycle']);
    expect(cycle.code).toBe(2);
    expect(cycle.stderr).toContain('the stacks network → app → network form a cycle');
  });
});
