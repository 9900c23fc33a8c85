import { Box, Static, Text, useInput, useStdout } from 'ink';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { formatDuration } from '../src/output/format.ts';
import {
  doneCount,
  failedResources,
  type ProgressStore,
  type StackProgress,
  type TaskLine,
} from '../src/progress/progress-store.ts';
import { isFailedStatus, isInProgress } from '../src/stacks/stack-status.ts';
import { ChangeSetReviewPanel } from './ChangeSetReviewPanel.tsx';
import { InterruptMenuPanel } from './InterruptMenuPanel.tsx';

export interface InstallProgressScreenProps {
  store: ProgressStore;
  now?: () => number;
  /** Ctrl+C while no prompt is open: the composition root decides what it means right now. */
  onInterrupt?: () => void;
}

/**
 * The live tree: one line per stack with its status, progress n/total and elapsed time; under a running
 * stack its resources still in progress, under a failed one the failures. Finished stacks move into
 * <Static> (printed once, scrolled away), so the live region stays shorter than the window.
 */
export function InstallProgressScreen({ store, now = Date.now, onInterrupt }: InstallProgressScreenProps) {
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  // Raw mode delivers Ctrl+C as a key, not a signal; a prompt panel handles its own.
  useInput(
    (input, key) => {
      if (key.ctrl && input === 'c') onInterrupt?.();
    },
    { isActive: snapshot.prompt === undefined && onInterrupt !== undefined },
  );
  const { stdout } = useStdout();
  const [, tick] = useState(0);
  useEffect(() => {
    if (snapshot.finished) return;
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [snapshot.finished]);

  const topLevel = snapshot.stackOrder
    .map((name) => snapshot.stacks[name])
    .filter((s): s is StackProgress => s !== undefined && s.parent === undefined);
  // Only a settled stack moves into <Static>: what is printed there is never redrawn, so it must be final.
  // <Static> prints only items appended since its last render, so the list only grows: a stack opened
  // again (a retried delete) is printed a second time when it settles again.
  const printed = useRef<StackProgress[]>([]);
  for (const stack of topLevel) {
    const last = printed.current.findLast((row) => row.name === stack.name);
    if (stack.settled === true && (last === undefined || last.finishedAt !== stack.finishedAt))
      printed.current.push(stack);
  }
  const live = topLevel.filter((stack) => stack.settled !== true);
  const pending = snapshot.tasks.filter(
    (task) => task.state === 'pending' && !snapshot.stacks[task.title.replace(STACK_TASK, '')],
  );
  // Work that is not a stack (emptying buckets, deleting tagged volumes) is a row of its own once started.
  const work = snapshot.tasks.filter((task) => task.state !== 'pending' && !STACK_TASK.test(task.title));
  // Leave room for the header, the stack lines and a margin; the rest goes to resource lines.
  const budget = Math.max(
    3,
    ((stdout as { rows?: number }).rows || 24) - 6 - live.length - pending.length - work.length,
  );

  return (
    <Box flexDirection="column">
      <Static items={[...printed.current]}>
        {(stack, index) => <StackLine key={`${stack.name}-${index}`} stack={stack} now={now()} />}
      </Static>
      <Text bold>
        {snapshot.title} · {formatDuration(now() - snapshot.startedAt)}
      </Text>
      {live.map((stack) => (
        <Box key={stack.name} flexDirection="column">
          <StackLine stack={stack} now={now()} />
          {childrenOf(snapshot.stacks, snapshot.stackOrder, stack.name).map((child) => (
            <Box key={child.name} marginLeft={2} flexDirection="column">
              <StackLine stack={child} now={now()} />
              <ResourceLines stack={child} now={now()} budget={Math.floor(budget / 2)} />
            </Box>
          ))}
          <ResourceLines stack={stack} now={now()} budget={budget} />
        </Box>
      ))}
      {work.map((task) => (
        <Text key={task.id} {...(task.state === 'failed' ? { color: 'red' } : {})}>
          {TASK_ICON[task.state]} {task.title}
          {task.output && task.state === 'running' ? <Text dimColor> {task.output}</Text> : ''}
        </Text>
      ))}
      {pending.map((task) => (
        <Text key={task.id} dimColor>
          ◻ {task.title.replace(STACK_TASK, '')} waiting
        </Text>
      ))}
      {snapshot.prompt?.kind === 'changeset' && (
        <ChangeSetReviewPanel
          summary={snapshot.prompt.summary}
          onDecision={(decision) => store.answer(decision)}
        />
      )}
      {snapshot.prompt?.kind === 'interrupt' && (
        <InterruptMenuPanel
          message={`${snapshot.prompt.stack} is still changing in AWS. What now?`}
          choices={snapshot.prompt.choices}
          onChoice={(value) => store.answer(value)}
        />
      )}
      {snapshot.prompt?.kind === 'choice' && (
        <InterruptMenuPanel
          message={snapshot.prompt.message}
          choices={snapshot.prompt.choices}
          cancelValue={snapshot.prompt.cancelValue}
          onChoice={(value) => store.answer(value)}
        />
      )}
    </Box>
  );
}

/** The task of one stack (its row is the stack's own); other tasks get rows of their own. */
const STACK_TASK = /^(Deploy|Deployed|Delete|Deleted) stack /;
const TASK_ICON: Record<TaskLine['state'], string> = {
  pending: '◻',
  running: '◼',
  completed: '✔',
  failed: '✖',
  skipped: '↓',
};

function childrenOf(stacks: Record<string, StackProgress>, order: string[], parent: string): StackProgress[] {
  return order.map((name) => stacks[name]).filter((s): s is StackProgress => s?.parent === parent);
}

function StackLine({ stack, now }: { stack: StackProgress; now: number }) {
  const failed = isFailedStatus(stack.status) || stack.status.includes('ROLLBACK');
  const icon = failed ? '✖' : isInProgress(stack.status) ? '◼' : stack.status === 'PENDING' ? '◻' : '✔';
  // Resources seen finishing in the events, out of those the operation touches: counted, never assumed.
  const progress =
    stack.resourceCount !== undefined
      ? ` ${Math.min(doneCount(stack), stack.resourceCount)}/${stack.resourceCount}`
      : '';
  const elapsed = stack.startedAt ? ` ${formatDuration((stack.finishedAt ?? now) - stack.startedAt)}` : '';
  return (
    <Box flexDirection="column">
      <Text {...(failed ? { color: 'red' } : icon === '✔' ? { color: 'green' } : {})}>
        {icon} {stack.name}{' '}
        <Text dimColor>
          {stack.status}
          {progress}
          {elapsed}
        </Text>
      </Text>
      {stack.failure && (
        <Text color="red">
          {'  '}root cause: {stack.failure}
        </Text>
      )}
    </Box>
  );
}

function ResourceLines({ stack, now, budget }: { stack: StackProgress; now: number; budget: number }) {
  const resources = [...stack.resources.values()];
  // The failing branch stays open; finished resources collapse into the n/total count.
  const shown = [...failedResources(stack), ...resources.filter((r) => isInProgress(r.status))].slice(
    0,
    budget,
  );
  const hidden =
    resources.filter((r) => isInProgress(r.status)).length + failedResources(stack).length - shown.length;
  return (
    <Box flexDirection="column" marginLeft={2}>
      {shown.map((resource) => (
        <Text key={resource.logicalId} {...(isFailedStatus(resource.status) ? { color: 'red' } : {})}>
          {isFailedStatus(resource.status) ? '✖' : '·'} {resource.logicalId}{' '}
          <Text dimColor>
            {resource.type} {resource.status}{' '}
            {formatDuration((resource.finishedAt ?? now) - resource.startedAt)}
          </Text>
          {resource.reason && isFailedStatus(resource.status) ? ` - ${resource.reason}` : ''}
        </Text>
      ))}
      {hidden > 0 && <Text dimColor>… and {hidden} more in progress</Text>}
    </Box>
  );
}
