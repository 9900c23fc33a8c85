import type { TemplateParameter } from '../../stacks/cloudformation-template.ts';
import type { Question } from '../blueprint-schema.ts';
import { parseReferences } from '../references.ts';
import type { CheckInput, CheckProblem } from './blueprint-check.ts';

/**
 * A template parameter filled straight from an answer (`Size: '{{answers.size}}'`) must accept every
 * answer the question allows: the choices within its AllowedValues, numbers for a Number parameter,
 * a list for a list of numbers. Otherwise the operator's valid answer fails at the change set.
 */
export function questionParameterProblems({ blueprint, templates }: CheckInput): CheckProblem[] {
  const problems: CheckProblem[] = [];
  const questions = new Map(blueprint.questions.map((question) => [question.id, question]));
  blueprint.stacks.forEach((stack, index) => {
    const declared = templates[stack.id]?.summary.parameters;
    if (!declared) return;
    for (const [key, value] of Object.entries(stack.parameters)) {
      const parameter = declared[key];
      if (typeof value !== 'string' || !parameter) continue;
      const references = parseReferences(value);
      const [only] = references;
      // Only a value that is exactly one answer says what the parameter receives.
      if (
        references.length !== 1 ||
        value.trim() !== `{{${only?.source}}}` ||
        only?.reference?.kind !== 'answer'
      )
        continue;
      const question = questions.get(only.reference.questionId);
      if (!question) continue;
      const problem = mismatch(question, parameter, key);
      if (problem) problems.push({ segments: ['stacks', index, 'parameters', key], ...problem });
    }
  });
  return problems;
}

function mismatch(
  question: Question,
  parameter: TemplateParameter,
  key: string,
): { message: string; fix: string } | undefined {
  const possible = possibleAnswers(question);
  const allowed = parameter.allowedValues;
  if (allowed !== undefined) {
    if (possible === undefined)
      return {
        message: `${key} allows only ${allowed.join(', ')}, but question "${question.id}" (${question.type}) takes any value`,
        fix: `Make "${question.id}" a choice question with choices: [${allowed.join(', ')}].`,
      };
    const outside = possible.filter((answer) => !allowed.includes(answer));
    if (outside.length > 0)
      return {
        message: `${key} allows only ${allowed.join(', ')}, but question "${question.id}" allows ${outside.map((x) => `"${x}"`).join(', ')}`,
        fix: `Make the choices of "${question.id}" match the parameter's AllowedValues, or add ${outside.join(', ')} to AllowedValues.`,
      };
  }
  const type = parameter.type;
  if (type === 'Number') {
    const numeric = question.type === 'number' || possible?.every(isNumber) === true;
    if (!numeric)
      return {
        message: `${key} is a Number parameter, but question "${question.id}" is a ${question.type} question`,
        fix: `Make "${question.id}" a number question (type: number), or the parameter Type: String.`,
      };
  }
  if (type === 'List<Number>' && question.type !== 'list' && question.type !== 'number')
    return {
      message: `${key} is a List<Number> parameter, but question "${question.id}" is a ${question.type} question`,
      fix: `Make "${question.id}" a list question with itemPattern: '^-?\\d+(\\.\\d+)?$'.`,
    };
  if (type === 'List<Number>' && question.type === 'list' && question.itemPattern === undefined)
    return {
      message: `${key} is a List<Number> parameter, but question "${question.id}" accepts any items`,
      fix: `Add itemPattern: '^-?\\d+(\\.\\d+)?$' to "${question.id}".`,
    };
  return undefined;
}

/** Every answer a question can give, as the parameter receives it; undefined when it is open-ended. */
function possibleAnswers(question: Question): string[] | undefined {
  switch (question.type) {
    case 'choice':
      return question.choices.map((choice) => (typeof choice === 'string' ? choice : choice.value));
    case 'boolean':
      return ['true', 'false'];
    default:
      return undefined;
  }
}

function isNumber(text: string): boolean {
  return text.trim() !== '' && Number.isFinite(Number(text));
}
