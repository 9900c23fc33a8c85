import type { StackguideEvent } from '../events.ts';
import { wrapToWidth } from './terminal-text.ts';

type SupportBundleEvent = Extract<StackguideEvent, { type: 'support.bundle' }>;

/**
 * What `support-bundle` says when it is done: where the archive is, whether AWS was reached, what was
 * redacted by kind and count (never a value, never a length), the files, and what is missing. Wrapped
 * by words to `width` (stdout's columns in a terminal; none for a pipe), a line continuing two in (trial
 * finding 70: "mode 0" / "600)" and "aws/stacks.json," / " aws/stack-events.json" cut by the terminal).
 */
export function supportBundleText(
  event: SupportBundleEvent,
  deployment: string,
  region: string | undefined,
  width?: number,
): string {
  const size = event.bytes < 1024 ? `${event.bytes} B` : `${(event.bytes / 1024).toFixed(1)} KiB`;
  const total = event.redactions.reduce((sum, { count }) => sum + count, 0);
  const lines = [
    `Support bundle of ${deployment}${region ? ` (${region})` : ''} written to ${event.path} (${size}, mode 0600)`,
    event.aws.reached
      ? 'AWS: reached; the stacks and their recent events are in'
      : `AWS: not reached (${event.aws.reason ?? 'no reason given'}); the local parts are in`,
    total === 0
      ? 'Redacted: nothing matched a secret'
      : `Redacted before writing (${total}): ${event.redactions.map(({ kind, count }) => `${kind} ×${count}`).join(', ')}`,
    `Files: ${event.files.join(', ')}`,
    ...event.notes.map((note) => `Note: ${note}`),
  ];
  return `${wrapToWidth(lines.join('\n'), width)}\n`;
}
