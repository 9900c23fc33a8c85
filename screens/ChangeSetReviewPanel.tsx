import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import type { ChangeSetSummary, ReviewedChange } from '../src/stacks/change-set.ts';

export interface ChangeSetReviewPanelProps {
  summary: ChangeSetSummary;
  /** 'execute' or 'decline'. */
  onDecision: (decision: 'execute' | 'decline') => void;
}

/**
 * One stack's change set before it is executed: every change with its action, type and replacement
 * (True in red, Conditional in yellow), nested change sets as a tree, IAM resources with the
 * capabilities to acknowledge. Replacing a stateful resource needs the stack name typed in full.
 */
export function ChangeSetReviewPanel({ summary, onDecision }: ChangeSetReviewPanelProps) {
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
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} marginTop={1}>
      <Text bold>
        Change set for {summary.stackName} ({summary.type === 'CREATE' ? 'new stack' : 'update'}):{' '}
        {summary.changes.length} change
        {summary.changes.length === 1 ? '' : 's'}
      </Text>
      <ChangeLines changes={summary.changes} depth={1} />
      {summary.iamResources.length > 0 && (
        <Box flexDirection="column" marginTop={1}>
          <Text color="yellow">IAM resources: {summary.iamResources.join(', ')}</Text>
          <Text color="yellow">
            Going ahead acknowledges {summary.capabilities.join(', ') || 'that these are created'}.
          </Text>
        </Box>
      )}
      {needsTyping ? (
        <Box flexDirection="column" marginTop={1}>
          <Text color="red" bold>
            Replaces or removes stateful resources (their data is lost):{' '}
            {summary.statefulReplacements.join(', ')}
          </Text>
          <Text>
            Type the stack name ({summary.stackName}) and Enter to go ahead, Esc to stop:{' '}
            <Text bold>{typed}</Text>
          </Text>
        </Box>
      ) : (
        <Text>
          Execute? <Text bold>y</Text> to go ahead, <Text bold>n</Text> to stop (the change set is deleted)
        </Text>
      )}
    </Box>
  );
}

function ChangeLines({ changes, depth }: { changes: readonly ReviewedChange[]; depth: number }) {
  return (
    <Box flexDirection="column">
      {changes.map((change) => (
        <Box key={`${change.logicalResourceId}:${change.action}`} flexDirection="column">
          <Text>
            {'  '.repeat(depth)}
            {symbol(change.action)} {change.logicalResourceId} <Text dimColor>{change.resourceType}</Text>
            {change.replacement === 'True' && <Text color="red"> replacement</Text>}
            {change.replacement === 'Conditional' && <Text color="yellow"> may be replaced</Text>}
          </Text>
          {change.nested && <ChangeLines changes={change.nested} depth={depth + 2} />}
        </Box>
      ))}
    </Box>
  );
}

function symbol(action: string): string {
  if (action === 'Add') return '+';
  if (action === 'Remove') return '-';
  if (action === 'Modify') return '~';
  return '?';
}
