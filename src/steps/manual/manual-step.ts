import { resolveValue } from '../../blueprint/references.ts';
import { StackguideError } from '../../errors.ts';
import { type CheckResult, defineStep, type SavedStepInputs, type ValidateContext } from '../step.ts';
import { type ManualCollect, manualConfig } from './manual-config.ts';

/**
 * A checklist item stackguide cannot do itself ("create a public iCal calendar and paste its URL",
 * "enable maintenance mode"): the operator reads the instructions, gives the answer it needs (checked),
 * and confirms. Unattended, both come from the answers file: steps.<id>.<key> and steps.<id>.confirmed.
 */

type Inputs = { key?: string; answer?: string; confirmed: boolean };

const CHECKS: Record<ManualCollect['type'], { pattern: RegExp; hint: string }> = {
  url: { pattern: /^https?:\/\/\S+$/, hint: 'an http(s) URL' },
  email: { pattern: /^[^@\s]+@[^@\s]+\.[^@\s]+$/, hint: 'an email address' },
  string: { pattern: /\S/, hint: 'some text' },
};

function problemWith(collect: ManualCollect, value: string): string | undefined {
  const rule = collect.pattern
    ? {
        pattern: new RegExp(collect.pattern, 'u'),
        hint: collect.patternHint ?? `text matching ${collect.pattern}`,
      }
    : CHECKS[collect.type];
  return rule.pattern.test(value) ? undefined : `"${value}" is not ${rule.hint}`;
}

/**
 * The guide's words with their `{{deployment}}`, `{{answers.x}}`... filled in, so the operator reads
 * "create geo-class-container", not the placeholder. A reference to a step output not known yet when
 * asked stays as written rather than failing the question.
 */
function filled(text: string, context: ValidateContext & { account?: string }, where: string): string {
  const scope = {
    deployment: context.deployment,
    region: context.region,
    ...(context.account ? { account: context.account } : {}),
    answers: context.answers,
    stackOutputs: {},
  };
  try {
    return resolveValue(text, scope, `steps.${context.stepId}.${where}`);
  } catch (error) {
    if (error instanceof StackguideError && error.code === 'reference.unresolved') return text;
    throw error;
  }
}

function filledConfig<T extends { instructions: string; confirm?: string | undefined }>(
  context: ValidateContext & { account?: string },
  config: T,
): T {
  return {
    ...config,
    instructions: filled(config.instructions, context, 'instructions'),
    ...(config.confirm ? { confirm: filled(config.confirm, context, 'confirm') } : {}),
  };
}

function manualOutputs(
  config: { collect?: ManualCollect | undefined },
  inputs: Inputs,
): Record<string, string> {
  return config.collect && inputs.answer !== undefined ? { [config.collect.key]: inputs.answer } : {};
}

export const manualStep = defineStep<typeof manualConfig.configSchema, Inputs>({
  ...manualConfig,
  doneByOperator: true,
  async ask(context, rawConfig, saved) {
    const config = filledConfig(context, rawConfig);
    const collect = config.collect;
    let answer =
      typeof saved?.[collect?.key ?? ''] === 'string' ? String(saved?.[collect?.key ?? '']) : undefined;
    // A step with nothing to confirm (only an answer to bring back) is confirmed by the answer: an
    // answers file holding the answer alone is done, as a guided run would have left it.
    let confirmed = !config.confirm || saved?.confirmed === true;
    // Done before (the answers file holds a valid answer and the confirmation): not asked again.
    const done =
      (!collect || (answer !== undefined && problemWith(collect, answer) === undefined)) &&
      (!config.confirm || confirmed);
    if (context.prompter && (!done || context.reask === true)) {
      // The blueprint's title says what the step is ("Set up an iCal calendar for notifications"); its id
      // says nothing to the operator.
      context.prompter.section(`Manual step: ${context.stepTitle ?? context.stepId}`);
      if (collect) {
        answer = await context.prompter.input({
          message: collect.prompt,
          help: config.instructions,
          ...(answer ? { default: answer } : {}),
          validate: (value) => problemWith(collect, value) ?? true,
        });
      }
      // Without an answer to collect, the instructions go with the confirmation, so the operator always
      // reads what to do before saying it is done. Yes is the default: the blueprint asks for something
      // the guide has the operator do before installing, and the install cannot go on without it; No
      // stops with the step's instructions.
      confirmed = config.confirm
        ? await context.prompter.confirm({
            message: `${config.confirm}?`,
            ...(collect ? {} : { help: config.instructions }),
            default: true,
          })
        : true;
    }
    const missing: Array<{ path: string; message: string; fix: string }> = [];
    if (collect && answer === undefined)
      missing.push({
        path: `steps.${context.stepId}.${collect.key}`,
        message: `"${collect.prompt}" has no answer`,
        fix: config.instructions,
      });
    else if (collect && answer !== undefined && problemWith(collect, answer))
      missing.push({
        path: `steps.${context.stepId}.${collect.key}`,
        message: problemWith(collect, answer) ?? '',
        fix: config.instructions,
      });
    if (config.confirm && !confirmed)
      missing.push({
        path: `steps.${context.stepId}.confirmed`,
        message: `"${config.confirm}" is not confirmed`,
        fix: `Do it (${config.instructions}), then set steps.${context.stepId}.confirmed: true.`,
      });
    if (missing.length > 0) {
      throw new StackguideError(`The manual step ${context.stepId} is not done`, {
        code: 'step.manual-missing',
        kind: 'user',
        details: missing,
      });
    }
    return {
      ...(collect ? { key: collect.key } : {}),
      ...(answer !== undefined ? { answer } : {}),
      confirmed,
    };
  },
  saveable(inputs) {
    const saved: SavedStepInputs = { confirmed: inputs.confirmed };
    if (inputs.key && inputs.answer !== undefined) saved[inputs.key] = inputs.answer;
    return saved;
  },
  async check(context, rawConfig, inputs): Promise<CheckResult[]> {
    const config = filledConfig(context, rawConfig);
    return [
      {
        id: `${context.stepId}.done`,
        step: context.stepId,
        // Titled by the step, as the operator was asked it: two steps confirmed with the same words
        // ("Done, or not needed") must still read as two different items.
        title: context.stepTitle ?? config.confirm ?? config.instructions.split('\n')[0] ?? context.stepId,
        status: inputs.confirmed ? 'pass' : 'fail',
        summary: inputs.confirmed
          ? `confirmed by you${inputs.answer ? `: ${inputs.answer}` : ''}`
          : 'not confirmed',
        required: true,
        // It passes on the operator's word: nothing here looked at the calendar or the repositories.
        ...(inputs.confirmed ? { confirmedByOperator: true } : { fix: config.instructions }),
      },
    ];
  },
  async apply(_context, config, inputs) {
    return manualOutputs(config, inputs);
  },
  // The typed answer is the output: the review shows the URL where a stack parameter takes it.
  known: (config, inputs) => manualOutputs(config, inputs),
});
