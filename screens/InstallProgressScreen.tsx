import { Box, Static, Text, useInput, useStdout } from 'ink';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { formatDuration, waitScheduleText } from '../src/output/format.ts';
import {
  doneCount,
  type Estimate,
  failedResources,
  type ProgressSnapshot,
  type ProgressStore,
  type ResourceProgress,
  type StackProgress,
  type StepProgress,
  type TaskLine,
  WAITING_FOR,
} from '../src/progress/progress-store.ts';
import { isFailedStatus, isInProgress } from '../src/stacks/stack-status.ts';
import { ChangeSetReviewPanel, changeSetPanelHeight } from './ChangeSetReviewPanel.tsx';
import { InterruptMenuPanel } from './InterruptMenuPanel.tsx';

export interface InstallProgressScreenProps {
  store: ProgressStore;
  now?: () => number;
  /** Ctrl+C while no prompt is open: the composition root decides what it means right now. */
  onInterrupt?: () => void;
}

/**
 * The live view: one row per preparation step, stack (nested stacks under their parent) and other piece
 * of work, each with its state, elapsed time and one line of detail. A step waiting on the outside
 * world shows what the operator must do under its row (the NS records to copy, the approver
 * addresses); warnings stay on their row. Settled rows move into <Static> (printed once, then
 * scrolled away), and the live region is cut to the window: never taller than its height minus two
 * lines, with running and failing rows first and the rest folded into "+N more".
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
  // Re-lay out when the window is resized.
  useEffect(() => {
    const resized = (): void => tick((n) => n + 1);
    stdout.on('resize', resized);
    return () => {
      stdout.off('resize', resized);
    };
  }, [stdout]);

  const topLevel = snapshot.stackOrder
    .map((name) => snapshot.stacks[name])
    .filter((s): s is StackProgress => s !== undefined && s.parent === undefined);
  const steps = snapshot.stepOrder
    .map((id) => snapshot.steps[id])
    .filter((step): step is StepProgress => step !== undefined);
  // Only a settled row moves into <Static>: what is printed there is never redrawn, so it must be final.
  // <Static> prints only items appended since its last render, so the list only grows: a stack opened
  // again (a retried delete) is printed a second time when it settles again.
  const printed = useRef<PrintedRow[]>([]);
  for (const step of steps) {
    if (settledStep(step) && !printed.current.some((row) => row.kind === 'step' && row.step.id === step.id))
      printed.current.push({ kind: 'step', step });
  }
  // Finished work that is not a stack or a step (buckets emptied) is printed where it happened: before
  // the stacks when its task comes before theirs, after them otherwise. Left in the live region, "✔
  // Emptied the buckets" sat under the deleted stacks though it was done first (trial finding 74).
  const firstStackTask = snapshot.tasks.findIndex((task) => STACK_TASK.test(task.title));
  const finishedWork = (before: boolean): TaskLine[] =>
    snapshot.tasks.filter(
      (task, index) =>
        task.state === 'completed' &&
        !STACK_TASK.test(task.title) &&
        !steps.some((step) => task.title.startsWith(step.title)) &&
        (firstStackTask >= 0 && index < firstStackTask) === before,
    );
  const printWork = (tasks: readonly TaskLine[]): void => {
    for (const task of tasks)
      if (!printed.current.some((row) => row.kind === 'task' && row.task.id === task.id))
        printed.current.push({ kind: 'task', task });
  };
  printWork(finishedWork(true));
  for (const stack of topLevel) {
    const last = printed.current.findLast((row) => row.kind === 'stack' && row.stack.name === stack.name);
    if (
      stack.settled === true &&
      (last === undefined || (last.kind === 'stack' && last.stack.finishedAt !== stack.finishedAt))
    )
      printed.current.push({ kind: 'stack', stack });
  }
  printWork(finishedWork(false));
  const liveSteps = steps.filter((step) => !settledStep(step));
  const live = topLevel.filter((stack) => stack.settled !== true);
  // A stack task with no stack row yet waits its turn (for the stacks it depends on, or a free slot
  // under --concurrency) or prepares its change set: its output says which.
  // A step's task waiting for the step before it is waiting too (◻), not running (trial finding 89).
  const pending = snapshot.tasks.filter(
    (task) =>
      (task.state === 'pending' ||
        (task.state === 'running' && (STACK_TASK.test(task.title) || waitsItsTurn(task)))) &&
      !snapshot.stacks[task.title.replace(STACK_TASK, '')] &&
      !steps.some((step) => task.title.startsWith(step.title)),
  );
  // Work that is neither a stack nor a step (emptying buckets, deleting tagged volumes) is a row of its own.
  const work = snapshot.tasks.filter(
    (task) =>
      task.state !== 'pending' &&
      !printed.current.some((row) => row.kind === 'task' && row.task.id === task.id) &&
      !waitsItsTurn(task) &&
      !STACK_TASK.test(task.title) &&
      !steps.some((step) => task.title.startsWith(step.title)),
  );

  // The window's lines: the live region keeps two free, so the frame never scrolls.
  const width = Math.max(20, (stdout as { columns?: number }).columns || 80);
  const height = Math.max(8, (stdout as { rows?: number }).rows || 24);
  // Warnings no step owned (an upgrade keeping a live value, a change set an earlier run left) stay
  // under the header, the newest few, wrapped whole: a cut one loses the change set's name.
  const runWarnings = snapshot.warnings.slice(-3).flatMap((warning) => warningLines(warning, width, ''));
  let room = height - 2 - 1 - runWarnings.length; // the header and the run's warnings
  // A prompt needs its room first; the rows fold around it.
  const prompting = snapshot.prompt !== undefined;
  // The change set panel gets all but two lines (the stack it is for, and the "+N more" of the rows it
  // folds); it folds its own changes beyond that.
  const panelRoom = Math.max(4, room - 2);
  if (prompting) room -= Math.min(room - 2, promptHeight(snapshot.prompt, width, panelRoom));
  // What the operator must act on comes first: running and failing steps, then stacks, then work.
  // A step's detail (why it waits: each name server's answer) gets the room the window has, all but a
  // line for what folds, and at least its first lines: cut, it lost the servers after the third line.
  const shownSteps: StepProgress[] = [];
  const detailRoom = new Map<string, number>();
  for (const step of liveSteps) {
    const base = stepHeight(step, width);
    const kept = Math.min(
      detailLines(step.detail, width, Number.POSITIVE_INFINITY).length,
      Math.max(DETAIL_LINES, room - base - 1),
    );
    const lines = base + kept;
    if (lines > room && shownSteps.length > 0) break;
    shownSteps.push(step);
    detailRoom.set(step.id, kept);
    room -= Math.min(lines, room);
  }
  const stackRows = live.map(
    (stack) =>
      1 + (stack.failure ? 1 : 0) + childrenOf(snapshot.stacks, snapshot.stackOrder, stack.name).length,
  );
  const shownStacks: StackProgress[] = [];
  for (const [index, stack] of live.entries()) {
    const lines = stackRows[index] ?? 1;
    if (lines > room - 1 && shownStacks.length > 0) break;
    shownStacks.push(stack);
    room -= lines;
  }
  // Then the resources of the running stacks (failures always show, inside ResourceLines), then other
  // work, then what waits its turn; one line stays for "+N more" when anything is folded.
  const trees = shownStacks.map((stack) => [
    stack,
    ...childrenOf(snapshot.stacks, snapshot.stackOrder, stack.name),
  ]);
  const failures = trees.flat().reduce((count, each) => count + failedResources(each).length, 0);
  room -= failures;
  const needs = trees.flat().map((each) => runningResources(each).length);
  // The prompt's own lines were taken from the room above: what is left shows running resources
  // (with the Ctrl+C menu open, 13 of 24 rows were used and one resource folded into "1 more").
  const shares = shareLines(needs, Math.max(0, room - 1));
  const shareOf = new Map(trees.flat().map((each, index) => [each.name, shares[index] ?? 0]));
  room -= shares.reduce((total, share, index) => total + share + (share < (needs[index] ?? 0) ? 1 : 0), 0);
  const shownWork = work.slice(0, Math.max(0, room - 1));
  room -= shownWork.length;
  const folded =
    liveSteps.length -
    shownSteps.length +
    (live.length - shownStacks.length) +
    (work.length - shownWork.length);
  const shownPending = pending.slice(0, Math.max(0, room - (folded > 0 || pending.length > room ? 1 : 0)));
  const hiddenPending = pending.length - shownPending.length;
  const clip = (text: string, indent = 0): string => truncate(text, width - indent);

  return (
    <Box flexDirection="column">
      <Static items={[...printed.current]}>
        {(row, index) =>
          row.kind === 'stack' ? (
            <StackLine key={`stack-${row.stack.name}-${index}`} stack={row.stack} now={now()} width={width} />
          ) : row.kind === 'task' ? (
            <Text key={`task-${row.task.id}`} wrap="truncate-end">
              {truncate(`${TASK_ICON[row.task.state]} ${row.task.title}`, width)}
            </Text>
          ) : (
            <StepLines key={`step-${row.step.id}`} step={row.step} now={now()} width={width} settled />
          )
        }
      </Static>
      <Text bold wrap="truncate-end">
        {header(snapshot, now(), width)}
      </Text>
      {runWarnings.map((line) => (
        <Text key={line} color="yellow" wrap="truncate-end">
          {line}
        </Text>
      ))}
      {shownSteps.map((step) => (
        <StepLines
          key={step.id}
          step={step}
          now={now()}
          width={width}
          detailRoom={detailRoom.get(step.id) ?? DETAIL_LINES}
        />
      ))}
      {shownStacks.map((stack) => (
        <Box key={stack.name} flexDirection="column">
          <StackLine stack={stack} now={now()} width={width} />
          {childrenOf(snapshot.stacks, snapshot.stackOrder, stack.name).map((child) => (
            <Box key={child.name} marginLeft={2} flexDirection="column">
              <StackLine stack={child} now={now()} width={width - 2} />
              <ResourceLines stack={child} now={now()} budget={shareOf.get(child.name) ?? 0} />
            </Box>
          ))}
          <ResourceLines stack={stack} now={now()} budget={shareOf.get(stack.name) ?? 0} />
        </Box>
      ))}
      {shownWork.map((task) => (
        <Text key={task.id} wrap="truncate-end" {...(task.state === 'failed' ? { color: 'red' } : {})}>
          {clip(
            `${TASK_ICON[task.state]} ${task.title}${task.output && task.state === 'running' ? ` ${task.output}` : ''}`,
          )}
        </Text>
      ))}
      {shownPending.map((task) => (
        <Text key={task.id} dimColor wrap="truncate-end">
          {clip(`◻ ${task.title.replace(STACK_TASK, '')} ${task.output || 'waiting'}`)}
        </Text>
      ))}
      {folded + hiddenPending > 0 && (
        <Text dimColor>
          {clip(`+${folded + hiddenPending} more${hiddenPending > 0 ? ` (${hiddenPending} waiting)` : ''}`)}
        </Text>
      )}
      {snapshot.prompt?.kind === 'changeset' && (
        <ChangeSetReviewPanel
          summary={snapshot.prompt.summary}
          width={width}
          maxHeight={panelRoom}
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

type PrintedRow =
  | { kind: 'stack'; stack: StackProgress }
  | { kind: 'step'; step: StepProgress }
  | { kind: 'task'; task: TaskLine };

/** Done, confirmed by the operator, or pending on someone outside the run: this run changes its row no more. */
function settledStep(step: StepProgress): boolean {
  return step.state === 'done' || step.state === 'confirmed' || step.state === 'pending';
}

// A manual step the operator confirmed is ticked in a box, as the checklist's ☐ items are: no check of
// stackguide's passed, so it never takes a check's ✔ (trial finding 100).
const STEP_ICON: Record<StepProgress['state'], string> = {
  running: '◼',
  done: '✔',
  confirmed: '☑',
  pending: '◷',
  failed: '✖',
  // Not the ✖ of a failure: the operator asked for the stop, and the step did nothing wrong.
  stopped: '◻',
};
const STEP_COLOUR: Partial<Record<StepProgress['state'], string>> = {
  done: 'green',
  confirmed: 'green',
  pending: 'yellow',
  failed: 'red',
  stopped: 'yellow',
};
/** Said after a step's time when its mark alone could be misread (◷ and ◻ are not a check's ✔). */
const STEP_STATE_WORDS: Partial<Record<StepProgress['state'], string>> = {
  pending: ' pending',
  stopped: ' stopped',
  confirmed: ' confirmed by you',
};

/** Lines a step's row takes besides its detail: the row, what the operator must do, its warnings. */
function stepHeight(step: StepProgress, width: number): number {
  const action = step.action.reduce((total, line) => total + wrapText(line.trim(), width - 4).length, 0);
  const warnings = step.warnings.reduce(
    (total, warning) => total + warningLines(warning, width, '  ').length,
    0,
  );
  return 1 + action + warnings + (waits(step) ? 1 : 0);
}

/** A warning as lines within the width: `⚠ ` before the first, the rest under its text. */
function warningLines(warning: string, width: number, indent: string): string[] {
  return wrapText(warning, width - indent.length - 2).map(
    (line, index) => `${indent}${index === 0 ? '⚠ ' : '  '}${line}`,
  );
}

/** A running step between two checks of a wait: its schedule gets a line of its own. */
function waits(step: StepProgress): boolean {
  return step.state === 'running' && step.nextCheckAt !== undefined && step.givesUpAt !== undefined;
}

/**
 * The lines of a step's detail a window too short for it still shows: why it waits is often past the
 * first 80 columns.
 */
const DETAIL_LINES = 3;

/** A step's detail wrapped to the width, in at most `room` lines (the last one cut with "…"). */
function detailLines(detail: string | undefined, width: number, room: number): string[] {
  if (!detail) return [];
  const lines = wrapText(detail, width - 2);
  if (lines.length <= room) return lines;
  if (room <= 0) return [];
  const kept = lines.slice(0, room);
  kept[room - 1] = truncate(`${kept[room - 1]} ${lines.slice(room).join(' ')}`, width - 2);
  return kept;
}

/** Word wrap to `width` columns; a word longer than a line (a DNS name) is split where it must be. */
function wrapText(text: string, width: number): string[] {
  const room = Math.max(10, width);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((each) => each !== '')) {
    if (line === '' ? word.length <= room : line.length + 1 + word.length <= room) {
      line = line === '' ? word : `${line} ${word}`;
      continue;
    }
    if (line !== '') lines.push(line);
    line = word;
    while (line.length > room) {
      lines.push(line.slice(0, room));
      line = line.slice(room);
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

/**
 * Lines for the running resources of each stack of the tree: all of them when they fit, else an equal
 * share each, less the line that says how many more are running.
 */
function shareLines(needs: readonly number[], lines: number): number[] {
  if (needs.reduce((total, need) => total + need, 0) <= lines) return [...needs];
  const each = Math.max(0, Math.floor(lines / Math.max(1, needs.length)) - 1);
  return needs.map((need) => Math.min(need, each));
}

/** Lines a prompt panel takes: its margin and border, its question (wrapped), its choices or changes. */
function promptHeight(prompt: ProgressSnapshot['prompt'], width: number, panelRoom: number): number {
  if (!prompt) return 0;
  const wrapped = (text: string): number => Math.max(1, Math.ceil(text.length / Math.max(1, width - 4)));
  if (prompt.kind === 'changeset') return changeSetPanelHeight(prompt.summary, panelRoom);
  const message =
    prompt.kind === 'choice' ? prompt.message : `${prompt.stack} is still changing in AWS. What now?`;
  return 3 + wrapped(message) + prompt.choices.length;
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

function StepLines({
  step,
  now,
  width,
  settled = false,
  detailRoom = DETAIL_LINES,
}: {
  step: StepProgress;
  now: number;
  width: number;
  settled?: boolean;
  /** Lines its detail may take in the live region. */
  detailRoom?: number;
}) {
  const color = STEP_COLOUR[step.state];
  const elapsed = step.startedAt ? formatDuration((step.finishedAt ?? now) - step.startedAt) : '';
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end" {...(color ? { color } : {})}>
        {STEP_ICON[step.state]} {step.title} <Text dimColor>{elapsed}</Text>
        {STEP_STATE_WORDS[step.state] ?? ''}
      </Text>
      {/* Printed once and never redrawn: what it waits for goes whole, wrapped by words. */}
      {step.pending !== undefined &&
        wrapText(`waiting for ${step.pending}`, width - 4).map((part) => (
          <Text key={`pending-${part}`} color="yellow">
            {'    '}
            {part}
          </Text>
        ))}
      {!settled &&
        detailLines(step.detail, width, detailRoom).map((line) => (
          <Text key={`detail-${line}`} dimColor wrap="truncate-end">
            {'  '}
            {line}
          </Text>
        ))}
      {!settled &&
        step.action.flatMap((line) =>
          // What the operator copies (an NS record, an address) is never cut: it wraps if it must.
          wrapText(line.trim(), width - 4).map((part) => (
            <Text key={`${line}-${part}`} color="cyan" wrap="truncate-end">
              {'    '}
              {part}
            </Text>
          )),
        )}
      {/* After what to do: the records to copy read on from the detail that asks for them. */}
      {!settled && waits(step) && (
        <Text dimColor wrap="truncate-end">
          {'  '}
          {truncate(waitScheduleText(step.nextCheckAt ?? now, step.givesUpAt ?? now, now), width - 2)}
        </Text>
      )}
      {step.warnings.flatMap((warning) =>
        warningLines(warning, width, '  ').map((line) => (
          <Text key={`${warning}-${line}`} color="yellow" wrap="truncate-end">
            {line}
          </Text>
        )),
      )}
    </Box>
  );
}

/** A running task that has not started its work: it waits for another task or a free slot. */
function waitsItsTurn(task: TaskLine): boolean {
  return task.state === 'running' && task.output?.startsWith(WAITING_FOR) === true;
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

/**
 * The run's title, its elapsed time and its time left, within the width. The title (what is installed,
 * into which account and region) is said whole first; the times say less before it is cut: without
 * `(a guess)`, then the time left in whole minutes, then without the elapsed time (each row shows its
 * own); then the title's shorter forms, if it has some (an upgrade's "what changed" counted, then left
 * out: trial finding 97, where the account and region were cut instead), each with the times said as
 * fully as fits; only a title wider than the window in its shortest form is cut (with "…"). While a
 * question waits for the operator no time left is counted down: the run waits on them, and says so.
 */
function header(snapshot: ProgressSnapshot, now: number, width: number): string {
  const elapsed = ` · ${formatDuration(now - snapshot.startedAt)}`;
  const lefts = snapshot.finished
    ? ['']
    : snapshot.prompt !== undefined
      ? [' · waiting for your answer', ' · waiting for you']
      : timeLefts(snapshot.eta, now);
  const [full = '', ...shorter] = lefts;
  const times = [`${elapsed}${full}`, ...shorter.map((left) => `${elapsed}${left}`), ...lefts, elapsed];
  const titles = [snapshot.title, ...(snapshot.shorterTitles ?? [])];
  for (const title of titles) {
    const fits = times.find((each) => title.length + each.length <= width);
    if (fits !== undefined) return `${title}${fits}`;
  }
  const shortest = titles.at(-1) ?? snapshot.title;
  return `${truncate(shortest, Math.max(10, width - elapsed.length))}${elapsed}`.slice(0, Math.max(0, width));
}

/**
 * ` · about 4m left` (and `, a guess` when the estimate leaned on typical durations), counting down,
 * then the same in fewer words: without the guess, then in whole minutes (` · 4m left`).
 */
function timeLefts(eta: Estimate | undefined, now: number): string[] {
  if (!eta) return [''];
  const left = Math.max(0, eta.remainingSeconds * 1000 - (now - eta.at));
  const about = ` · about ${formatDuration(left)} left`;
  const minutes = left < 60_000 ? formatDuration(left) : `${Math.ceil(left / 60_000)}m`;
  return [`${about}${eta.guess ? ' (a guess)' : ''}`, ...(eta.guess ? [about] : []), ` · ${minutes} left`];
}

/** ` · about 4m left` (and ` (a guess)`), counting down: a running stack's row. */
function timeLeft(eta: Estimate | undefined, now: number): string {
  return timeLefts(eta, now)[0] ?? '';
}

function StackLine({ stack, now, width }: { stack: StackProgress; now: number; width: number }) {
  const failed = isFailedStatus(stack.status) || stack.status.includes('ROLLBACK');
  const notStarted = stack.status === 'NOT_STARTED';
  const icon = failed
    ? '✖'
    : isInProgress(stack.status)
      ? '◼'
      : stack.status === 'PENDING' || notStarted
        ? '◻'
        : '✔';
  // Resources seen finishing in the events, out of those the operation touches: counted, never assumed.
  // A stack that ended with none of its resources' events seen (an emulator sends none; a watch that
  // joined late) says how many the operation touched, not a 0/n that was never counted.
  const total = stack.resourceCount;
  const progress =
    total === undefined
      ? ''
      : total === 0
        ? // An update of parameters only: its change set named no resource.
          ' no resource changes'
        : stack.resources.size === 0 && !isInProgress(stack.status) && stack.status !== 'PENDING'
          ? ` ${total} ${total === 1 ? 'resource' : 'resources'}`
          : ` ${Math.min(doneCount(stack), total)}/${total}`;
  const elapsed = stack.startedAt ? ` ${formatDuration((stack.finishedAt ?? now) - stack.startedAt)}` : '';
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end" {...(failed ? { color: 'red' } : icon === '✔' ? { color: 'green' } : {})}>
        {icon} {stack.name}{' '}
        <Text dimColor>
          {/* NOT_STARTED is no status of AWS's: the row says in words why the stack was not started. */}
          {stack.status === 'PENDING'
            ? 'waiting'
            : notStarted
              ? (stack.failure ?? 'not started')
              : stack.status}
          {progress}
          {elapsed}
          {isInProgress(stack.status) ? timeLeft(stack.eta, now) : ''}
        </Text>
      </Text>
      {stack.failure && !notStarted && (
        <Text color="red" wrap="truncate-end">
          {'  '}
          {truncate(`root cause: ${stack.failure}`, width - 2)}
        </Text>
      )}
    </Box>
  );
}

/**
 * Its resources still in progress, while the stack itself is: once the stack has finished (a rollback
 * whose last resource events never came), none is shown as still changing.
 */
function runningResources(stack: StackProgress): ResourceProgress[] {
  if (!isInProgress(stack.status)) return [];
  return [...stack.resources.values()].filter((resource) => isInProgress(resource.status));
}

function ResourceLines({ stack, now, budget }: { stack: StackProgress; now: number; budget: number }) {
  // The failing branch stays open whatever the budget; finished resources collapse into the n/total
  // count; running ones show as far as the budget goes.
  const running = runningResources(stack);
  const shown = [...failedResources(stack), ...running.slice(0, budget)];
  const hidden = running.length - Math.min(running.length, budget);
  return (
    <Box flexDirection="column" marginLeft={2}>
      {shown.map((resource) => (
        <Text
          key={resource.logicalId}
          wrap="truncate-end"
          {...(isFailedStatus(resource.status) ? { color: 'red' } : {})}
        >
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
