import type { CloudFormationPort, StackDescription } from '../aws/cloudformation-port.ts';
import { StackguideError } from '../errors.ts';
import type { Clock } from '../runtime/clock.ts';

/** How often a running detection is asked about: CloudFormation takes seconds to minutes per stack. */
const POLL_MS = 2_000;
/** A detection not done after this long is reported as unknown rather than waited on forever. */
const DETECTION_TIMEOUT_MS = 5 * 60_000;

export interface DriftDeps {
  cloudFormation: CloudFormationPort;
  clock: Clock;
  signal: AbortSignal;
  timeoutMs?: number;
}

/**
 * `status --drift`: runs drift detection on every existing stack at once and waits for all of them,
 * then returns the descriptions with what it found (status and time of the check). A detection that
 * fails or takes too long says UNKNOWN with the reason, so the rest of status still shows.
 */
export async function detectDrift(
  deps: DriftDeps,
  stacks: ReadonlyArray<{ name: string; description: StackDescription | undefined }>,
): Promise<Array<{ name: string; description: StackDescription | undefined }>> {
  const deadline = deps.clock.now() + (deps.timeoutMs ?? DETECTION_TIMEOUT_MS);
  return Promise.all(
    stacks.map(async (stack) => {
      if (!stack.description) return stack;
      const drift = await detectOne(deps, stack.description.stackId, deadline);
      return { name: stack.name, description: { ...stack.description, drift } };
    }),
  );
}

async function detectOne(
  deps: DriftDeps,
  stackId: string,
  deadline: number,
): Promise<NonNullable<StackDescription['drift']>> {
  const id = await deps.cloudFormation.detectStackDrift(stackId);
  for (;;) {
    const detection = await deps.cloudFormation.describeDriftDetection(id);
    if (detection.status === 'DETECTION_COMPLETE' && detection.driftStatus) {
      return {
        status: detection.driftStatus,
        ...(detection.checkedAt ? { checkedAt: detection.checkedAt } : {}),
      };
    }
    if (detection.status === 'DETECTION_FAILED') {
      // A partial detection still knows a drift it found; otherwise the result is unknown.
      return {
        status: detection.driftStatus === 'DRIFTED' ? 'DRIFTED' : 'UNKNOWN',
        ...(detection.checkedAt ? { checkedAt: detection.checkedAt } : {}),
      };
    }
    if (deps.clock.now() >= deadline) return { status: 'UNKNOWN' };
    try {
      await deps.clock.sleep(POLL_MS, deps.signal);
    } catch (error) {
      throw new StackguideError('Stopped waiting for drift detection.', {
        code: 'cancelled',
        kind: 'cancelled',
        cause: error,
      });
    }
  }
}
