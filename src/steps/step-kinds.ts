import { manualStep } from './manual/manual-step.ts';
import type { AnyStepDefinition } from './step.ts';

/**
 * Every preparation step kind stackguide knows, in the order their documentation lists them. The
 * blueprint schema is built from this list (each kind's config schema becomes one branch of `steps:`),
 * and the install, preflight and status commands look kinds up here. Add a kind by adding one line.
 */
export const stepKinds: readonly AnyStepDefinition[] = [manualStep];

export function findStepKind(kind: string): AnyStepDefinition | undefined {
  return stepKinds.find((step) => step.kind === kind);
}
