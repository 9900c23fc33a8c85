import { ipv4NetworkProblem } from '../cidr.ts';
import type { DeploymentRules, Question } from './blueprint-schema.ts';
import type { AnswerValue } from './references.ts';

/**
 * Validation of one answer against its question, shared by the live prompt (each keystroke's submit),
 * the answers file, `--set key=value` and the blueprint's own defaults, so all four agree.
 */
export type AnswerCheck = { ok: true; value: AnswerValue } | { ok: false; message: string; fix: string };

/** Validates a raw answer: a string typed or passed on the command line, or a YAML value. */
export function validateAnswer(question: Question, raw: unknown): AnswerCheck {
  switch (question.type) {
    case 'string':
    case 'secret': {
      if (typeof raw !== 'string' && typeof raw !== 'number') return expected('a text value');
      const value = String(raw);
      if (question.minLength !== undefined && value.length < question.minLength)
        return fail(`is ${value.length} characters long`, `Use at least ${question.minLength} characters.`);
      if (question.type === 'string' && question.maxLength !== undefined && value.length > question.maxLength)
        return fail(`is ${value.length} characters long`, `Use at most ${question.maxLength} characters.`);
      if (question.pattern !== undefined && !new RegExp(question.pattern, 'u').test(value))
        return fail(
          'does not have the expected form',
          `Use ${question.patternHint ?? `a value matching ${question.pattern}`}.`,
        );
      return { ok: true, value };
    }
    case 'number': {
      const value =
        typeof raw === 'number'
          ? raw
          : typeof raw === 'string' && raw.trim() !== ''
            ? Number(raw)
            : Number.NaN;
      if (!Number.isFinite(value)) return expected(question.integer ? 'a whole number' : 'a number');
      if (question.integer && !Number.isInteger(value)) return expected('a whole number');
      if (question.min !== undefined && value < question.min)
        return fail(`${value} is below ${question.min}`, rangeFix(question));
      if (question.max !== undefined && value > question.max)
        return fail(`${value} is above ${question.max}`, rangeFix(question));
      return { ok: true, value };
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      const text = String(raw).trim().toLowerCase();
      if (['true', 'yes', 'y'].includes(text)) return { ok: true, value: true };
      if (['false', 'no', 'n'].includes(text)) return { ok: true, value: false };
      return expected('true or false');
    }
    case 'choice': {
      const allowed = question.choices.map((choice) => (typeof choice === 'string' ? choice : choice.value));
      if (!isScalar(raw)) return expected(`one of: ${allowed.join(', ')}`);
      const value = String(raw);
      if (!allowed.includes(value))
        return fail(`"${value}" is not one of the choices`, `Use one of: ${allowed.join(', ')}.`);
      return { ok: true, value };
    }
    case 'cidr': {
      if (typeof raw !== 'string') return expected('a network in CIDR form (text such as 10.0.0.0/16)');
      const value = raw.trim();
      const problem = ipv4NetworkProblem(value);
      if (problem) return fail(problem, 'Use an IPv4 network in CIDR form, such as 10.0.0.0/16.');
      const prefix = Number(value.split('/')[1]);
      if (question.minPrefix !== undefined && prefix < question.minPrefix)
        return fail(`/${prefix} is larger than allowed`, `Use a prefix of /${question.minPrefix} or longer.`);
      if (question.maxPrefix !== undefined && prefix > question.maxPrefix)
        return fail(
          `/${prefix} is smaller than allowed`,
          `Use a prefix of /${question.maxPrefix} or shorter.`,
        );
      return { ok: true, value };
    }
    case 'cron': {
      if (typeof raw !== 'string') return expected('a cron expression (text such as "0 18 * * 5")');
      const value = raw.trim();
      const problem = cronProblem(value);
      return problem
        ? fail(
            problem,
            'Use five fields in UTC: minute hour day-of-month month day-of-week, e.g. "0 18 * * 5".',
          )
        : { ok: true, value };
    }
    case 'list': {
      if (Array.isArray(raw) ? !raw.every(isScalar) : typeof raw !== 'string')
        return expected('a list of texts (a YAML list, or comma-separated text)');
      const items = Array.isArray(raw)
        ? raw.map(String)
        : String(raw)
            .split(',')
            .map((item) => item.trim())
            .filter((item) => item !== '');
      if (question.minItems !== undefined && items.length < question.minItems)
        return fail(
          `has ${items.length} item(s)`,
          `Give at least ${question.minItems}, separated by commas.`,
        );
      if (question.maxItems !== undefined && items.length > question.maxItems)
        return fail(`has ${items.length} items`, `Give at most ${question.maxItems}.`);
      if (question.itemPattern !== undefined) {
        const pattern = new RegExp(question.itemPattern, 'u');
        const bad = items.find((item) => !pattern.test(item));
        if (bad !== undefined)
          return fail(
            `"${bad}" does not have the expected form`,
            `Use ${question.patternHint ?? `items matching ${question.itemPattern}`}.`,
          );
      }
      return { ok: true, value: items };
    }
  }
}

/**
 * What an answer must be, in the words the refusal would use, for the question's help: shown before the
 * first answer, so a range or a form is not learnt from an error. Undefined when the type says it all.
 */
export function answerRule(question: Question): string | undefined {
  switch (question.type) {
    case 'number':
      return question.min !== undefined || question.max !== undefined ? rangeFix(question) : undefined;
    case 'string':
    case 'secret':
      return question.pattern !== undefined && question.patternHint !== undefined
        ? `Use ${question.patternHint}.`
        : undefined;
    case 'cidr':
      return question.minPrefix !== undefined || question.maxPrefix !== undefined
        ? `Use an IPv4 network from /${question.minPrefix ?? 0} to /${question.maxPrefix ?? 32}, such as 10.0.0.0/${question.minPrefix ?? 16}.`
        : undefined;
    case 'list':
      return question.itemPattern !== undefined && question.patternHint !== undefined
        ? `Use ${question.patternHint}, separated by commas.`
        : undefined;
    default:
      return undefined;
  }
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function expected(what: string): AnswerCheck {
  return fail(`is not ${what}`, `Give ${what}.`);
}

function fail(message: string, fix: string): AnswerCheck {
  return { ok: false, message, fix };
}

function rangeFix(question: { min?: number | undefined; max?: number | undefined }): string {
  if (question.min !== undefined && question.max !== undefined)
    return `Use a number from ${question.min} to ${question.max}.`;
  if (question.min !== undefined) return `Use ${question.min} or more.`;
  return `Use ${question.max} or less.`;
}

const CRON_FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

/** Returns what is wrong with a five-field cron expression, or undefined when it is valid. */
function cronProblem(value: string): string | undefined {
  const fields = value.split(/\s+/).filter((field) => field !== '');
  if (fields.length !== 5)
    return `"${value}" has ${fields.length} field${fields.length === 1 ? '' : 's'}, not 5`;
  for (const [index, field] of fields.entries()) {
    const spec = CRON_FIELDS[index];
    if (!spec) continue;
    for (const part of field.split(',')) {
      const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
      if (!match) return `the ${spec.name} field "${field}" is not a number, range, list, step or *`;
      const numbers = [match[2], match[3]].filter((n): n is string => n !== undefined).map(Number);
      const outside = numbers.find((n) => n < spec.min || n > spec.max);
      if (outside !== undefined)
        return `the ${spec.name} field allows ${spec.min}-${spec.max}, not ${outside}`;
      if (match[4] !== undefined && Number(match[4]) === 0) return `the ${spec.name} field has a step of 0`;
    }
  }
  return undefined;
}

/** Checks the blueprint's `requires` / `excludes` rules between answers. */
export function relationProblems(
  questions: readonly Question[],
  answers: Readonly<Record<string, AnswerValue>>,
): Array<{ questionId: string; message: string; fix: string }> {
  // A switch that is off counts as not given: `proxy_protocol` excludes `internal_router` only when on.
  const given = (id: string): boolean => {
    const value = answers[id];
    return (
      value !== undefined && value !== '' && value !== false && !(Array.isArray(value) && value.length === 0)
    );
  };
  const problems: Array<{ questionId: string; message: string; fix: string }> = [];
  for (const question of questions) {
    if (!given(question.id)) continue;
    for (const other of question.requires ?? []) {
      if (!given(other))
        problems.push({
          questionId: other,
          message: `is needed because ${question.id} is set`,
          fix: `Answer ${other} too, or leave ${question.id} empty.`,
        });
    }
    for (const other of question.excludes ?? []) {
      if (given(other))
        problems.push({
          questionId: other,
          message: `cannot be set together with ${question.id}`,
          fix: `Leave one of ${question.id} and ${other} empty.`,
        });
    }
  }
  return problems;
}

/** Checks a deployment name against the blueprint's rules (pattern, length, reserved suffixes). */
export function deploymentNameProblem(
  rules: DeploymentRules,
  name: string,
): { message: string; fix: string } | undefined {
  if (name.length === 0) return { message: 'is empty', fix: 'Give the deployment a name.' };
  if (name.length > rules.maxLength)
    return {
      message: `"${name}" is ${name.length} characters long`,
      fix: `Use at most ${rules.maxLength} characters.`,
    };
  if (!new RegExp(rules.pattern, 'u').test(name))
    return { message: `"${name}" is not allowed`, fix: `Use ${rules.patternHint}.` };
  const suffix = rules.reservedSuffixes.find(
    (reserved) => name === reserved || name.endsWith(`-${reserved}`) || name.endsWith(reserved),
  );
  if (suffix !== undefined)
    return {
      message: `"${name}" ends in "${suffix}", which is reserved`,
      fix: `Pick a name that does not end in ${rules.reservedSuffixes.map((s) => `"${s}"`).join(', ')}: the platform creates stacks with those suffixes itself.`,
    };
  return undefined;
}
