import { describe, expect, it } from 'vitest';
import { loadBlueprint } from '../../src/blueprint/load-blueprint.ts';
import type { Prompter } from '../../src/install/prompter.ts';
import { askDeploymentName } from '../../src/install/questionnaire.ts';

// Trial finding 87: the help read "Names this installation's stacks and tags. lowercase letters, ...",
// a sentence starting in lower case; the blueprint's pattern hint is a phrase, not a sentence.
describe("the deployment name question's help", () => {
  it.each(['demo', 'opensarlab'])('joins the blueprint %s pattern hint as a sentence', async (name) => {
    const blueprint = await loadBlueprint(`blueprints/${name}`);
    const helps: string[] = [];
    const prompter: Prompter = {
      section: () => undefined,
      confirm: async () => true,
      select: async (question) => question.choices[0]?.value as never,
      password: async () => '',
      input: async (question) => {
        helps.push(question.help ?? '');
        return 'lab';
      },
    };
    await askDeploymentName({ blueprint, sets: {}, env: {} }, undefined, prompter);
    expect(helps).toEqual([
      `Names this installation's stacks and tags. Use ${blueprint.deployment.patternHint}, at most ${blueprint.deployment.maxLength} characters.`,
    ]);
    // Every sentence starts with a capital.
    for (const sentence of (helps[0] ?? '').split(/\. /)) expect(sentence).toMatch(/^[A-Z]/);
  });
});
