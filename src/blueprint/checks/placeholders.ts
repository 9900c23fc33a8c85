import { findStepConfig } from '../../steps/step-configs.ts';
import type { StepEntry } from '../blueprint-schema.ts';
import { oneOf } from '../did-you-mean.ts';
import { parseReferences, REFERENCE_FORMS } from '../references.ts';
import type { CheckInput, CheckProblem } from './blueprint-check.ts';

/**
 * Every `{{...}}` in the after-install checklist and in the steps' texts (a manual step's instructions,
 * a hosted zone's domain) can be filled when it is shown: the question exists and always has a value,
 * the stack or step output exists and is known by then. Preparation steps run before any stack, so they
 * can use answers and earlier steps only. None of them is a secret answer, which would be shown.
 */
export function placeholderProblems({ blueprint, templates }: CheckInput): CheckProblem[] {
  const problems: CheckProblem[] = [];
  const questions = new Map(blueprint.questions.map((question) => [question.id, question]));
  const stepOutputs = (entry: StepEntry | undefined): readonly string[] => {
    const declared = entry ? findStepConfig(entry.kind)?.outputs : undefined;
    return typeof declared === 'function' ? declared(entry) : (declared ?? []);
  };

  const check = (
    text: string,
    segments: PropertyKey[],
    known: { steps: readonly StepEntry[]; stacks: boolean; optionalAnswersOk: boolean },
  ): void => {
    for (const { source, reference } of parseReferences(text)) {
      const add = (message: string, fix: string): void => {
        problems.push({
          segments,
          message: `{{${source}}}${message.startsWith(':') ? '' : ' '}${message}`,
          fix,
        });
      };
      if (!reference) {
        add('is not a reference stackguide knows', `Use one of ${REFERENCE_FORMS}.`);
        continue;
      }
      if (reference.kind === 'answer') {
        const question = questions.get(reference.questionId);
        if (!question) add('refers to no question', oneOf(reference.questionId, [...questions.keys()]));
        // These texts are shown to the operator (and a step's are sent to AWS as they are): a secret
        // answer belongs in a stack parameter, where the template can keep it NoEcho.
        else if (question.type === 'secret')
          add(
            `would show the secret answer "${question.id}" on the screen`,
            'Pass the secret to a stack parameter, and leave it out of the steps and the after-install checklist.',
          );
        else if (
          !known.optionalAnswersOk &&
          !question.required &&
          !('default' in question && question.default !== undefined)
        )
          add(
            `cannot be filled when the optional question "${question.id}" is left empty`,
            `Give "${question.id}" a default, or make it required.`,
          );
      } else if (reference.kind === 'stepOutput') {
        const step = known.steps.find((candidate) => candidate.id === reference.stepId);
        if (!step) {
          const later = blueprint.steps.some((candidate) => candidate.id === reference.stepId);
          add(
            later ? 'refers to a step that runs later' : 'refers to no step',
            later
              ? `Move step "${reference.stepId}" before this one.`
              : oneOf(
                  reference.stepId,
                  known.steps.map((candidate) => candidate.id),
                ),
          );
        } else if (!stepOutputs(step).includes(reference.key))
          add(
            `: a ${step.kind} step has no output ${reference.key}`,
            oneOf(reference.key, stepOutputs(step)),
          );
      } else if (reference.kind === 'stackOutput') {
        if (!known.stacks) {
          add(
            'is a stack output, and steps run before any stack is created',
            'Use answers, {{deployment}}, {{region}}, {{account}} or an earlier step’s outputs here.',
          );
          continue;
        }
        const stackIds = blueprint.stacks.map((stack) => stack.id);
        if (!stackIds.includes(reference.stackId))
          add('refers to no stack', oneOf(reference.stackId, stackIds));
        else {
          const outputs = templates[reference.stackId]?.summary.outputs;
          if (outputs && !outputs.includes(reference.outputKey))
            add(
              `: the template of "${reference.stackId}" has no output ${reference.outputKey}`,
              oneOf(reference.outputKey, outputs),
            );
        }
      }
    }
  };

  const walk = (
    value: unknown,
    segments: PropertyKey[],
    visit: (text: string, at: PropertyKey[]) => void,
  ): void => {
    if (typeof value === 'string') visit(value, segments);
    else if (Array.isArray(value))
      for (const [index, item] of value.entries()) walk(item, [...segments, index], visit);
    else if (value !== null && typeof value === 'object')
      for (const [key, item] of Object.entries(value)) walk(item, [...segments, key], visit);
  };

  // Install steps run before any stack; an upgrade's run when the stacks exist, after the install's.
  const stepLists = [
    { base: ['steps'], steps: blueprint.steps, before: [], stacks: false },
    { base: ['upgrade', 'before'], steps: blueprint.upgrade.before, before: blueprint.steps, stacks: true },
  ] as const;
  for (const list of stepLists) {
    list.steps.forEach((step, index) => {
      const { id: _id, kind: _kind, ...config } = step;
      const known = {
        steps: [...list.before, ...list.steps.slice(0, index)],
        stacks: list.stacks,
        // Other kinds read an empty answer as "not given" (no existing VPC); a manual step shows the text.
        optionalAnswersOk: step.kind !== 'manual',
      };
      walk(config, [...list.base, index], (text, at) => check(text, at, known));
    });
  }
  blueprint.afterInstall.forEach((item, index) => {
    walk(item, ['afterInstall', index], (text, at) =>
      check(text, at, { steps: blueprint.steps, stacks: true, optionalAnswersOk: false }),
    );
  });
  return problems;
}
