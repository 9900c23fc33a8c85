import type { StackguideError } from '../errors.ts';
import type { StackguideEvent } from '../events.ts';

/** The one rendering of an error for humans: what happened, each problem by path with its fix, next steps. */
export function renderErrorText(error: StackguideError): string {
  const lines = [`✖ ${error.message}`];
  for (const detail of error.details) {
    lines.push(`  • ${detail.path}: ${detail.message}`);
    if (detail.fix) lines.push(`      fix: ${detail.fix}`);
  }
  if (error.nextSteps.length > 0) {
    lines.push('', 'Next:');
    for (const step of error.nextSteps) lines.push(`  → ${step}`);
  }
  if (error.kind === 'bug' && error.cause instanceof Error && error.cause.stack)
    lines.push('', error.cause.stack);
  return lines.join('\n');
}

export function errorEvent(error: StackguideError): Extract<StackguideEvent, { type: 'error' }> {
  return {
    type: 'error',
    code: error.code,
    kind: error.kind,
    message: error.message,
    details: error.details.map((detail) => ({ ...detail })),
    nextSteps: [...error.nextSteps],
  };
}
