/**
 * The --debug line of one HTTP exchange. Kept apart from aws-call-guard.ts, which imports the SDK's
 * HTTP layer: the composition root loads this for every command, and `validate` must not pay for an
 * HTTP client it never uses.
 */
import type { AwsExchange } from './aws-call-guard.ts';

/** `debug: CloudFormation DescribeStacks → 200 in 84 ms (request id 5f0c…)`: names and numbers only. */
export function debugLine(exchange: AwsExchange): string {
  const outcome = exchange.failure ?? String(exchange.status);
  const id = exchange.requestId ? ` (request id ${exchange.requestId})` : '';
  return `debug: ${exchange.service} ${exchange.action} → ${outcome} in ${exchange.durationMs} ms${id}`;
}
