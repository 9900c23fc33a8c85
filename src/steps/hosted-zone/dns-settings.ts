import type { DelegationCheckDeps, DelegationCheckOptions } from '../../dns/delegation-check.ts';
import { createDnsClient } from '../../dns/dns-client.ts';
import { systemClock } from '../../runtime/clock.ts';
import type { StepContext } from '../step.ts';

/**
 * What the delegation check needs from a step's context. The DNS client keeps the system clock for its
 * socket timeouts on purpose: those measure the network, which a test's fake clock does not speed up;
 * the check's own polling and timestamps follow the context's clock.
 */
export function delegationDeps(context: StepContext): DelegationCheckDeps {
  return { dns: createDnsClient({ clock: systemClock }), clock: context.clock };
}

export function delegationOptions(
  context: StepContext,
  domain: string,
  parentZone: string,
  expectedNameServers: readonly string[],
): DelegationCheckOptions {
  return {
    domain,
    parentZone,
    expectedNameServers,
    ...context.settings.dns,
    signal: context.signal,
  };
}
