import { StackguideError } from '../errors.ts';

/**
 * `{{...}}` references in blueprint values: the one place they are parsed and resolved, so the loader
 * (which checks that every reference points at something) and the planner (which fills them in) agree.
 */
export type Reference =
  | { kind: 'deployment' }
  | { kind: 'region' }
  | { kind: 'account' }
  | { kind: 'answer'; questionId: string }
  | { kind: 'stackOutput'; stackId: string; outputKey: string }
  | { kind: 'stepOutput'; stepId: string; key: string };

const REFERENCE = /\{\{\s*([^}]*?)\s*\}\}/g;

export interface ParsedReference {
  /** The text between the braces, trimmed. */
  source: string;
  reference: Reference | undefined;
}

export function parseReferences(value: string): ParsedReference[] {
  return [...value.matchAll(REFERENCE)].map((match) => {
    const source = match[1] ?? '';
    return { source, reference: parseReference(source) };
  });
}

function parseReference(source: string): Reference | undefined {
  if (source === 'deployment') return { kind: 'deployment' };
  if (source === 'region') return { kind: 'region' };
  if (source === 'account') return { kind: 'account' };
  const answer = /^answers\.([a-zA-Z][a-zA-Z0-9_]*)$/.exec(source);
  if (answer?.[1]) return { kind: 'answer', questionId: answer[1] };
  const output = /^stacks\.([a-zA-Z][a-zA-Z0-9_]*)\.outputs\.([a-zA-Z0-9]+)$/.exec(source);
  if (output?.[1] && output[2]) return { kind: 'stackOutput', stackId: output[1], outputKey: output[2] };
  const step = /^steps\.([a-zA-Z][a-zA-Z0-9_]*)\.([a-zA-Z][a-zA-Z0-9_]*)$/.exec(source);
  if (step?.[1] && step[2]) return { kind: 'stepOutput', stepId: step[1], key: step[2] };
  return undefined;
}

export const REFERENCE_FORMS =
  '{{deployment}}, {{region}}, {{account}}, {{answers.<id>}}, {{stacks.<id>.outputs.<Key>}}, {{steps.<id>.<output>}}';

/** What references resolve against. Stack outputs appear as stacks complete. */
export interface ReferenceScope {
  deployment: string;
  region: string;
  account?: string;
  answers: Readonly<Record<string, AnswerValue>>;
  stackOutputs: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Outputs of preparation steps, known once they have been applied. */
  stepOutputs?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export type AnswerValue = string | number | boolean | readonly string[];

/** Renders an answer the way CloudFormation parameters and tags take it. */
function answerToString(value: AnswerValue): string {
  return Array.isArray(value) ? value.join(',') : String(value);
}

/**
 * Fills every reference in `value`. `where` names the blueprint path for the error when a reference
 * cannot be resolved yet (an output of a stack that has not run, an unanswered optional question).
 */
export function resolveValue(value: string | number | boolean, scope: ReferenceScope, where: string): string {
  if (typeof value !== 'string') return String(value);
  return value.replace(REFERENCE, (_whole, inner: string) => {
    const reference = parseReference(inner.trim());
    const resolved = reference ? lookup(reference, scope) : undefined;
    if (resolved === undefined && reference?.kind === 'stackOutput') {
      const published = scope.stackOutputs[reference.stackId];
      // The stack has run and CloudFormation answered its outputs, without this one: not a blueprint
      // typo (the loader checks the template declares it) but what the endpoint reported.
      if (published) throw missingOutput(where, reference, Object.keys(published));
    }
    if (resolved === undefined) {
      throw new StackguideError(`${where}: {{${inner.trim()}}} has no value yet`, {
        code: 'reference.unresolved',
        kind: 'user',
        nextSteps: [
          reference?.kind === 'answer'
            ? `Answer "${reference.questionId}" (answers file key answers.${reference.questionId}).`
            : `Check that ${where} only refers to answers and to outputs of stacks it depends on.`,
        ],
      });
    }
    return resolved;
  });
}

function missingOutput(
  where: string,
  reference: { stackId: string; outputKey: string },
  published: readonly string[],
): StackguideError {
  const reported = published.length > 0 ? `only ${published.join(', ')}` : 'no outputs at all';
  return new StackguideError(
    `${where}: stack ${reference.stackId} completed, but CloudFormation reports ${reported}, not ${reference.outputKey}`,
    {
      code: 'reference.outputMissing',
      kind: 'aws',
      nextSteps: [
        `Check the ${reference.outputKey} output of stack ${reference.stackId} with \`aws cloudformation describe-stacks\`: an output with a Condition that is false is left out, and an AWS-compatible endpoint that publishes no outputs cannot run a blueprint that passes them on.`,
        'Run the same stackguide command again once the stack reports it: stacks already made are kept.',
      ],
    },
  );
}

function lookup(reference: Reference, scope: ReferenceScope): string | undefined {
  switch (reference.kind) {
    case 'deployment':
      return scope.deployment;
    case 'region':
      return scope.region;
    case 'account':
      return scope.account;
    case 'answer': {
      const answer = scope.answers[reference.questionId];
      return answer === undefined ? undefined : answerToString(answer);
    }
    case 'stackOutput':
      return scope.stackOutputs[reference.stackId]?.[reference.outputKey];
    case 'stepOutput':
      return scope.stepOutputs?.[reference.stepId]?.[reference.key];
  }
}
