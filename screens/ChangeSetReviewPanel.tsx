import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import type { ChangeSetSummary, ReviewedChange } from '../src/stacks/change-set.ts';

export interface ChangeSetReviewPanelProps {
  summary: ChangeSetSummary;
  /** 'execute' or 'decline'. */
  onDecision: (decision: 'execute' | 'decline') => void;
  /** The window's columns: every line is cut to fit inside the border, none wraps. */
  width?: number;
  /** Lines the panel may take, margin and border included; the changes beyond fold into "+N more". */
  maxHeight?: number;
}

/** One change as drawn: its depth in the tree of nested change sets. */
interface ChangeLine {
  change: ReviewedChange;
  depth: number;
  order: number;
}

/**
 * One stack's change set before it is executed: every change with its action, type and replacement
 * (True in red, Conditional in yellow), nested change sets as a tree, IAM resources with the
 * capabilities to acknowledge. Replacing a stateful resource needs the stack name typed in full. When
 * the changes do not fit the window, what matters most shows (replacements, removals, then changes,
 * then additions) and the rest is counted on one line.
 */
export function ChangeSetReviewPanel({
  summary,
  onDecision,
  width = 80,
  maxHeight = Number.POSITIVE_INFINITY,
}: ChangeSetReviewPanelProps) {
  const needsTyping = summary.statefulReplacements.length > 0;
  const [typed, setTyped] = useState('');
  useInput((input, key) => {
    if (key.escape || (key.ctrl && input === 'c')) return onDecision('decline');
    if (!needsTyping) {
      if (input === 'y' || input === 'Y') onDecision('execute');
      else if (input === 'n' || input === 'N') onDecision('decline');
      return;
    }
    if (key.return) return onDecision(typed === summary.stackName ? 'execute' : 'decline');
    if (key.backspace || key.delete) return setTyped((value) => value.slice(0, -1));
    if (input && !key.ctrl && !key.meta) setTyped((value) => value + input);
  });
  const inner = Math.max(10, width - 4);
  const cut = (text: string): string => (text.length <= inner ? text : `${text.slice(0, inner - 1)}…`);
  const lines = flatten(summary.changes, 1);
  const room = Math.max(1, maxHeight - fixedHeight(summary));
  const shown = lines.length <= room ? lines : mostImportant(lines, room - 1);
  const hidden = lines.filter((line) => !shown.includes(line));
  // A parameter-only update has no resource rows (or rows that do not name it): its parameters are
  // counted and listed, deployed → new, whatever the rows say (trial finding 53).
  const parameters = summary.parameterChanges ?? [];
  const resources = `${summary.changes.length}${parameters.length > 0 ? ' resource' : ''} change${summary.changes.length === 1 ? '' : 's'}`;
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} marginTop={1}>
      <Text bold wrap="truncate-end">
        {cut(
          `Change set for ${summary.stackName} (${summary.type === 'CREATE' ? 'new stack' : 'update'}): ${parameters.length > 0 ? `${parameters.length} parameter${parameters.length === 1 ? '' : 's'}, ` : ''}${resources}`,
        )}
      </Text>
      {parameters.map((parameter) => (
        <Text key={`parameter:${parameter.name}`} wrap="truncate-end">
          {cut(`  ~ ${parameter.name}: ${parameter.deployed} → ${parameter.next}`)}
        </Text>
      ))}
      {shown.map(({ change, depth, order }) => (
        <Text key={`${order}:${change.logicalResourceId}`} wrap="truncate-end">
          {'  '.repeat(depth)}
          {symbol(change.action)} {change.logicalResourceId} <Text dimColor>{change.resourceType}</Text>
          {change.replacement === 'True' && <Text color="red"> replacement</Text>}
          {change.replacement === 'Conditional' && <Text color="yellow"> may be replaced</Text>}
        </Text>
      ))}
      {hidden.length > 0 && <Text dimColor>{cut(`  +${hidden.length} more: ${tally(hidden)}`)}</Text>}
      {summary.iamResources.length > 0 && (
        <Box flexDirection="column" marginTop={1}>
          <Text color="yellow" wrap="truncate-end">
            {cut(`IAM resources: ${summary.iamResources.join(', ')}`)}
          </Text>
          <Text color="yellow" wrap="truncate-end">
            {cut(`Going ahead acknowledges ${summary.capabilities.join(', ') || 'that these are created'}.`)}
          </Text>
        </Box>
      )}
      {needsTyping ? (
        <Box flexDirection="column" marginTop={1}>
          <Text color="red" bold wrap="truncate-end">
            {cut(
              `Replaces or removes stateful resources (their data is lost): ${summary.statefulReplacements.join(', ')}`,
            )}
          </Text>
          <Text wrap="truncate-end">
            Type the stack name ({summary.stackName}) and Enter to go ahead, Esc to stop:{' '}
            <Text bold>{typed}</Text>
          </Text>
        </Box>
      ) : (
        <Text wrap="truncate-end">
          Execute? <Text bold>y</Text> to go ahead, <Text bold>n</Text> to stop (the change set is deleted)
        </Text>
      )}
    </Box>
  );
}

/** Lines the panel takes besides its changes: margin, border, title, IAM block, the question. */
function fixedHeight(summary: ChangeSetSummary): number {
  return (
    1 +
    2 +
    1 +
    (summary.parameterChanges?.length ?? 0) +
    (summary.iamResources.length > 0 ? 3 : 0) +
    (summary.statefulReplacements.length > 0 ? 3 : 1)
  );
}

/** Lines the panel takes in a window: all its changes when they fit in `maxHeight`, else `maxHeight`. */
export function changeSetPanelHeight(summary: ChangeSetSummary, maxHeight: number): number {
  return Math.min(maxHeight, fixedHeight(summary) + flatten(summary.changes, 1).length);
}

function flatten(changes: readonly ReviewedChange[], depth: number, into: ChangeLine[] = []): ChangeLine[] {
  for (const change of changes) {
    into.push({ change, depth, order: into.length });
    if (change.nested) flatten(change.nested, depth + 2, into);
  }
  return into;
}

/** What can lose data or break things first: replacements, removals, modifications, then additions. */
function weight({ change }: ChangeLine): number {
  if (change.replacement === 'True') return 0;
  if (change.action === 'Remove') return 1;
  if (change.replacement === 'Conditional') return 2;
  if (change.action === 'Modify') return 3;
  return 4;
}

function mostImportant(lines: readonly ChangeLine[], count: number): ChangeLine[] {
  const picked = new Set(
    [...lines].sort((a, b) => weight(a) - weight(b) || a.order - b.order).slice(0, count),
  );
  return lines.filter((line) => picked.has(line));
}

function tally(lines: readonly ChangeLine[]): string {
  const counts = new Map<string, number>();
  for (const { change } of lines) {
    const word = ACTION_WORDS[change.action] ?? change.action.toLowerCase();
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return [...counts].map(([word, count]) => `${count} ${word}`).join(', ');
}

const ACTION_WORDS: Record<string, string> = {
  Add: 'to add',
  Remove: 'to remove',
  Modify: 'to modify',
};

function symbol(action: string): string {
  if (action === 'Add') return '+';
  if (action === 'Remove') return '-';
  if (action === 'Modify') return '~';
  return '?';
}
