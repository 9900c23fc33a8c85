import { describe, expect, it } from 'vitest';
import { loadBlueprint } from '../../src/blueprint/load-blueprint.ts';
import { stacksQuestion, updatesOnly } from '../../src/install/install-plan.ts';
import { knownStepOutputs } from '../../src/steps/run-steps.ts';
import { demoInstallPlan } from '../support/demo-plan.ts';

async function demoStacks() {
  return (await demoInstallPlan('us-east-1')).stacks;
}

// Trial finding 75: a re-install was asked "Create these 2 stacks?" and headed "Installing" while it
// updated both.
describe('what the review asks and the live view says, from the stacks that exist', () => {
  it('says create, update or both, by what the plan read of each stack', async () => {
    const stacks = await demoStacks();
    const existing = stacks.map((stack) => ({ ...stack, deployedParameters: {} }));
    const [data, app] = stacks;
    const [dataExisting] = existing;
    if (!data || !app || !dataExisting) throw new Error('the demo has two stacks');
    expect(stacksQuestion(stacks)).toBe('Create these 2 stacks?');
    expect(stacksQuestion(existing)).toBe('Update these 2 stacks?');
    expect(stacksQuestion([dataExisting, app])).toBe('Create 1 and update 1 stack?');
    expect(stacksQuestion([data])).toBe('Create this stack?');
    expect(stacksQuestion([dataExisting])).toBe('Update this stack?');
    expect(stacksQuestion([...existing, { ...dataExisting, id: 'extra' }, app])).toBe(
      'Create 1 and update 3 stacks?',
    );
    expect(updatesOnly(existing)).toBe(true);
    expect(updatesOnly(stacks)).toBe(false);
    expect(updatesOnly([])).toBe(false);
  });

  it("knows a manual step's typed answer before it runs, and nothing of a step without one", async () => {
    const blueprint = await loadBlueprint('blueprints/opensarlab');
    const known = knownStepOutputs(blueprint.steps, {
      calendar: { key: 'url', answer: 'https://calendar.example.edu/osl.ics', confirmed: true },
      repositories: { confirmed: true },
    });
    expect(known).toEqual({ calendar: { url: 'https://calendar.example.edu/osl.ics' } });
  });
});
