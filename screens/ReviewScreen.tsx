import { Box, Static, Text, useInput, useStdout } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { AnswerValue } from '../src/blueprint/references.ts';
import type { CheckResult } from '../src/events.ts';
import type { InstallPlan, PlannedStep, ReviewDecision } from '../src/install/install-plan.ts';
import { parameterLine, stacksQuestion } from '../src/install/install-plan.ts';
import { commandLines } from '../src/output/command-lines.ts';
import { mask } from '../src/output/format.ts';
import { hangingWrap, rowsOf } from '../src/output/wrap.ts';
import { foldToFit, roomIn, type ScreenLine, ScreenLines } from './fitted-lines.tsx';

export interface ReviewScreenProps {
  plan: InstallPlan;
  onDecision: (decision: ReviewDecision) => void;
}

/**
 * Everything the install will create, before anything is created. y goes ahead; n, Esc or Ctrl+C stop;
 * c picks an answer to change (the flow asks it again, then shows the review anew). The plan is printed
 * once through <Static>: it is often taller than the window, and a live frame that tall is reprinted
 * whole on every key. Only the row above the question and the question (or the picker) are live. The
 * answer taken stays on the question's row (`✔ Create these 3 stacks? Yes`), as every other question
 * echoes its own; Enter, which takes the default elsewhere, says on the row above which keys answer:
 * a change to an AWS account has no default (trial finding 103: it was ignored in silence).
 */
export function ReviewScreen({ plan, onDecision }: ReviewScreenProps) {
  const { stdout } = useStdout();
  const width = (stdout as { columns?: number }).columns || 80;
  const rows = (stdout as { rows?: number }).rows;
  // The question wraps like the review above it, and the review keeps room for all of its rows.
  const question = reviewQuestion(plan, width);
  const entries = pickable(plan);
  const [picking, showPicking] = useState<number | undefined>(undefined);
  const [changing, setChanging] = useState<Pickable | undefined>(undefined);
  // Enter on the name or region when a rule keeps it: the reason, said under the list.
  const [refused, setRefused] = useState<string | undefined>(undefined);
  const [taken, setTaken] = useState<boolean | undefined>(undefined);
  const [enterPressed, setEnterPressed] = useState(false);
  // Keys typed ahead (a paste, a quick typist: "c", Down, Down, Enter) arrive before React draws the
  // picker; each must see what the one before did, so the state the keys act on lives in a ref and the
  // state above only draws it.
  const keys = useRef<{
    picking: number | undefined;
    changing: Pickable | undefined;
    taken: boolean | undefined;
  }>({
    picking: undefined,
    changing: undefined,
    taken: undefined,
  });
  const setPicking = (next: number | undefined) => {
    keys.current.picking = next;
    showPicking(next);
  };
  // Told once the picker has folded to one line, so that line, not the list, is what stays on screen.
  useEffect(() => {
    if (changing !== undefined) onDecision(changing.decision);
  }, [changing, onDecision]);
  // Likewise told once the answer is echoed on the question's row.
  useEffect(() => {
    if (taken !== undefined) onDecision(taken);
  }, [taken, onDecision]);
  const take = (answer: boolean) => {
    keys.current.taken = answer;
    setTaken(answer);
  };
  useInput((input, key) => {
    const { picking, changing } = keys.current;
    if (changing !== undefined || keys.current.taken !== undefined) return;
    if (key.ctrl && input === 'c') return onDecision(false);
    if (picking !== undefined) {
      setRefused(undefined);
      if (key.escape) return setPicking(undefined);
      if (key.upArrow) return setPicking((picking + entries.length - 1) % entries.length);
      if (key.downArrow) return setPicking((picking + 1) % entries.length);
      const entry = entries[picking];
      if (key.return && entry) {
        if (entry.fixed) setRefused(`${entry.label} stays ${entry.value}: ${entry.fixed}`);
        else {
          keys.current.changing = entry;
          setChanging(entry);
        }
      }
      return;
    }
    if (input === 'y' || input === 'Y') take(true);
    else if (input === 'n' || input === 'N' || key.escape) take(false);
    else if (input === 'c' || input === 'C') setPicking(0);
    else if (key.return) setEnterPressed(true);
  });
  return (
    <>
      <Static items={[plan]}>
        {(shown) => (
          // Under the review: the row for a hint (blank), the question, and the row the cursor waits on.
          <ReviewBody key="plan" plan={shown} width={width} room={roomIn(rows, question.length + 2)} />
        )}
      </Static>
      {enterPressed && picking === undefined && taken === undefined ? (
        <Text color="yellow" wrap="truncate-end">
          Enter is not an answer here: press y, n or c.
        </Text>
      ) : (
        <Text> </Text>
      )}
      {taken !== undefined ? (
        <Text>
          <Text color="green">✔</Text> {stacksQuestion(plan.stacks)}{' '}
          <Text color="cyan">{taken ? 'Yes' : 'No'}</Text>
        </Text>
      ) : changing !== undefined ? (
        <Text>
          Changing <Text bold>{changing.label}</Text>; the review follows again.
        </Text>
      ) : picking === undefined ? (
        <Box flexDirection="column">
          {question.map((line) => (
            <KeyedLine key={line} text={line} />
          ))}
        </Box>
      ) : (
        <AnswerPicker plan={plan} entries={entries} cursor={picking} refused={refused} />
      )}
    </>
  );
}

/**
 * The question under the review, with the keys it takes, wrapped by words at `width`: a key stays
 * with what it does ("c to change an answer" is never split after its "c").
 */
function reviewQuestion(plan: InstallPlan, width: number): string[] {
  const kept = (words: string) => words.replaceAll(' ', KEEP);
  const text = `${stacksQuestion(plan.stacks)} ${['y to go ahead,', 'n to stop,', 'c to change an answer'].map(kept).join(' ')}`;
  return hangingWrap('', text, '  ', width).map((line) => line.replaceAll(KEEP, ' '));
}

/** A space no line breaks at. */
const KEEP = '\uE001';

/** A line of the question, its keys (`y to …`) in bold. */
function KeyedLine({ text }: { text: string }) {
  const parts = text.split(/(?<=^|\s)([ync])(?= to )/);
  return (
    <Text>
      {parts.map((part, index) =>
        index % 2 === 1 ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one line never move.
          <Text key={index} bold>
            {part}
          </Text>
        ) : (
          part
        ),
      )}
    </Text>
  );
}

/** One line of the picker: the deployment's name and region first, then every answer. */
interface Pickable {
  key: string;
  label: string;
  value: string;
  decision: Exclude<ReviewDecision, boolean>;
  /** Why a rule keeps it as it is. */
  fixed?: string;
}

function pickable(plan: InstallPlan): Pickable[] {
  const setting = (key: 'deployment' | 'region', label: string, value: string): Pickable => ({
    key,
    label,
    value,
    decision: { setting: key },
    ...(plan.fixed?.[key] ? { fixed: plan.fixed[key] } : {}),
  });
  return [
    setting('deployment', 'deployment name', plan.deployment),
    setting('region', 'region', plan.region),
    ...Object.keys(plan.answers).map((id) => ({
      key: `answer:${id}`,
      label: id,
      value: '',
      decision: { change: id },
    })),
    // Then the preparation steps' inputs (the SES request, the registry credentials, a certificate's
    // files), asked again as a whole.
    ...(plan.stepInputs ?? []).map((step) => ({
      key: `step:${step.id}`,
      label: step.title,
      value: step.value,
      decision: { step: step.id },
    })),
  ];
}

/** The answers to pick from, as many as the window holds around the cursor. */
function AnswerPicker({
  plan,
  entries,
  cursor,
  refused,
}: {
  plan: InstallPlan;
  entries: Pickable[];
  cursor: number;
  refused: string | undefined;
}) {
  const { stdout } = useStdout();
  const width = (stdout as { columns?: number }).columns || 80;
  // Why the item under the cursor is fixed, whole, wrapped under it: cut at the window's edge the
  // operator could not read it (trial finding 76). The other fixed items only say that they are.
  const fixed = entries[cursor]?.fixed;
  const reason = fixed ? hangingWrap('    fixed: ', fixed, '      ', width) : [];
  // A refusal and the hint are wrapped by words too, and counted as the rows they take: the picker
  // uses every row of the window but the two around it (the row above it and the cursor's), so one
  // row more than counted would push its heading off the top.
  const refusal = refused ? hangingWrap('', refused, '  ', width) : [];
  const hint = (count: boolean) =>
    hangingWrap(
      '',
      `↑↓ to move${count ? ` (${entries.length} answers)` : ''}, Enter to change it, Esc to go back to the review`,
      '  ',
      width,
    );
  const rows = (lines: string[]) => (lines.length === 0 ? 0 : rowsOf(lines.join('\n'), width));
  // The heading, the hint (counted at its longest), a refusal, the reason and the two rows around.
  const room = Math.max(
    3,
    ((stdout as { rows?: number }).rows || 24) -
      2 -
      rows([PICKER_HEADING]) -
      rows(hint(true)) -
      rows(refusal) -
      rows(reason),
  );
  const start = Math.min(Math.max(0, cursor - Math.floor(room / 2)), Math.max(0, entries.length - room));
  const shown = entries.slice(start, start + room);
  return (
    <Box flexDirection="column">
      <Text bold>{PICKER_HEADING}</Text>
      {shown.map((entry, index) => (
        <Box key={entry.key} flexDirection="column">
          <Text wrap="truncate-end" {...(start + index === cursor ? { color: 'cyan' } : {})}>
            {start + index === cursor ? '❯ ' : '  '}
            {entry.label}:{' '}
            {'change' in entry.decision
              ? answerText(plan, entry.label, plan.answers[entry.label])
              : entry.value}
            {entry.fixed ? <Text dimColor> (fixed)</Text> : ''}
          </Text>
          {start + index === cursor &&
            reason.map((text) => (
              <Text key={text} dimColor>
                {text}
              </Text>
            ))}
        </Box>
      ))}
      {refusal.map((text) => (
        <Text key={text} color="yellow">
          {text}
        </Text>
      ))}
      {hint(entries.length > shown.length).map((text) => (
        <Text key={text} dimColor>
          {text}
        </Text>
      ))}
    </Box>
  );
}

const PICKER_HEADING = 'Which answer do you want to change?';

function answerText(plan: InstallPlan, id: string, value: AnswerValue | undefined) {
  const text = answerString(plan, id, value);
  return text === NOT_SET ? <Text dimColor>{text}</Text> : text;
}

const NOT_SET = '(not set)';

function answerString(plan: InstallPlan, id: string, value: AnswerValue | undefined): string {
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return NOT_SET;
  if (plan.secretAnswerIds.includes(id)) return mask(String(value));
  return Array.isArray(value) ? value.join(', ') : String(value);
}

function ReviewBody({ plan, width, room }: { plan: InstallPlan; width: number; room: number }) {
  return <ScreenLines lines={reviewLines(plan, width, room)} />;
}

/**
 * How much the review folds to fit the window, each level adding to the one before: `steps` folds
 * the steps that are already right into one counted line and says each step's change on its line
 * (and the header, tags and IAM line say less); `parameters` writes them `Key=value`; `counted` says
 * only how many parameters a stack gets, except those a re-install changes; `fixes` leaves a
 * warning's fix out (`preflight` and `status` say it); `terse` says the checks' count and the IAM
 * acknowledgement in fewer words; `details` says each change by its action and resource, without
 * its detail (a first install of opensarlab at 80x24 needs it: the SES request, the secret and the
 * certificate it creates each took a row or two more; trial finding 93).
 */
type Fold = 'none' | 'steps' | 'parameters' | 'counted' | 'fixes' | 'terse' | 'details';
const FOLDS: readonly Fold[] = ['none', 'steps', 'parameters', 'counted', 'fixes', 'terse', 'details'];

/**
 * The review, compact enough that it and its question fit the window with nothing scrolled off: what
 * the operator approves is on screen when they answer. Each section is one heading with its items
 * packed on as few lines as the width allows (answers, parameters and tags side by side, `; ` between
 * them, an item never split across lines unless it is longer than one), wrapped by words under its
 * own indent. In full (a plan like the demo's, or a window tall enough) nothing is left out: what the
 * run before was doing if it was killed, every answer, every change a step makes, every check that is
 * not fine under its step, every stack with every parameter, the tags and the IAM acknowledgement.
 * A plan too tall for the window (opensarlab's at 80x24) is folded as little as it takes, never its
 * answers, changes, warnings or failures. Without a known height (no terminal) it is never folded.
 */
function reviewLines(plan: InstallPlan, width: number, room: number): ScreenLine[] {
  return foldToFit(FOLDS.length, room, width, (fold) => layoutReview(plan, width, fold));
}

function layoutReview(plan: InstallPlan, width: number, fold: number): ScreenLine[] {
  const folds = (level: Fold) => fold >= FOLDS.indexOf(level);
  const lines: ScreenLine[] = [];
  const heading = (head: string, text: string[]) => {
    for (const [index, line] of text.entries())
      lines.push(index === 0 ? { text: line, bold: [0, head.length] } : { text: line });
  };
  heading(
    'Review:',
    hangingWrap(
      'Review: ',
      `${plan.blueprintId} ${plan.blueprintVersion} as ${folds('steps') ? '' : 'deployment '}${plan.deployment} in account ${plan.account}, ${plan.region}`,
      '  ',
      width,
    ),
  );
  // A re-run says first what the run before was doing when it was killed or stopped, whole.
  if (plan.lastRun)
    for (const text of hangingWrap('⚠ ', plan.lastRun, '  ', width)) lines.push({ text, color: 'yellow' });
  const answers = Object.entries(plan.answers).map(
    ([id, value]) => `${id}: ${answerString(plan, id, value)}`,
  );
  heading('Answers:', packed('Answers: ', answers.length > 0 ? answers : ['none asked'], '  ', width));

  if (plan.steps.length > 0) {
    // The checks' count heads the section: what is planned below answers those install does.
    // Terse, the heading leaves out "in order" (the steps below are in it), so the count that now
    // says what the operator confirmed apart from what was checked keeps to one row at 80 columns.
    const prepHead = folds('terse') ? 'Preparation' : 'Preparation, in order';
    heading(
      prepHead,
      hangingWrap('', `${prepHead} (${checksText(plan, folds('terse'))}):`, '  ', width).map((line) =>
        line.replaceAll(KEEP, ' '),
      ),
    );
    const warnings = plan.checks.filter((each) => each.status !== 'pass' && !isPlanned(plan, each));
    const warning = (check: CheckResult, indent: string) => {
      const fix = check.fix && !check.plannedByInstall && !folds('fixes') ? ` (${check.fix})` : '';
      for (const text of hangingWrap(
        `${indent}⚠ `,
        `${check.title}: ${check.summary}${fix}`,
        `${indent}  `,
        width,
      ))
        lines.push({ text, color: 'yellow' });
    };
    const right: string[] = [];
    const confirmed: string[] = [];
    for (const step of plan.steps) {
      const own = warnings.filter((check) => check.step === step.id);
      if (step.changes.length === 0 && own.length === 0) {
        // A manual step was not checked by stackguide: the operator said it is done.
        const manual = step.kind === 'manual';
        // Named by their titles, as every other row names a step (trial finding 100).
        if (folds('steps')) (manual ? confirmed : right).push(step.title);
        else
          for (const text of hangingWrap(
            '  ',
            `${step.title}: ${manual ? 'confirmed by you' : 'already right, nothing to change'}`,
            '    ',
            width,
          ))
            lines.push({ text, dim: true });
        continue;
      }
      const [only, ...more] = step.changes;
      if (folds('steps') && only && more.length === 0 && (folds('details') || !isCommand(only.detail))) {
        // Folded, a step's one change goes on its line.
        for (const text of hangingWrap(
          '  ',
          `${step.title}: ${changeText(only, folds('details'))}`,
          '    ',
          width,
        ))
          lines.push({ text });
      } else if (!folds('steps') || step.changes.length > 0) {
        // A step that changes nothing but has a warning is not "already right": the warning says why.
        const title = step.changes.length === 0 ? `${step.title}: nothing to change now` : step.title;
        for (const text of hangingWrap('  ', title, '    ', width)) lines.push({ text });
        for (const each of step.changes)
          for (const text of folds('details')
            ? hangingWrap('    ', changeText(each, true), '      ', width)
            : changeLines(each, '    ', width))
            lines.push({ text, dim: true });
      }
      // Folded, a step without changes is told by its warnings alone, which name what they check.
      for (const check of own) warning(check, folds('steps') && step.changes.length === 0 ? '  ' : '    ');
    }
    // Titles are longer than ids: terse, the lead before them is said in fewer words.
    const named = (lead: string, terse: string, titles: string[]) => {
      if (titles.length === 0) return;
      for (const text of hangingWrap(
        '  ',
        `${folds('terse') ? terse : lead}: ${titles.join(', ')}`,
        '    ',
        width,
      ))
        lines.push({ text, dim: true });
    };
    named(
      `${right.length === 1 ? 'Step' : `${right.length} steps`} already right, nothing to change`,
      'Already right',
      right,
    );
    named(
      `${confirmed.length === 1 ? 'Manual step' : `${confirmed.length} manual steps`} confirmed by you`,
      'Confirmed by you',
      confirmed,
    );
    // Checks of no planned step (the deployment's name, say) come after the steps.
    for (const check of warnings.filter((each) => !plan.steps.some((step) => step.id === each.step)))
      warning(check, '  ');
  }

  const stacksHead = 'Stacks to create or update, in order';
  const stacksNote = folds('counted') ? ' (a taller window lists their parameters)' : '';
  // Wrapped by words under its text: the terminal would go on at column 0 (a 50-column window).
  heading(stacksHead, hangingWrap('', `${stacksHead}${stacksNote}:`, '  ', width));
  for (const [index, stack] of plan.stacks.entries()) {
    const number = `  ${index + 1}. `;
    const parameters = Object.entries(stack.parameterSources).map(([key, source]) => {
      const line = parameterLine(plan, stack, key, source);
      return folds('parameters') ? line.replace(/^(\w+) = /, '$1=') : line;
    });
    // Counted, only what a re-install changes (`Key: deployed → new`) is still shown.
    const shown = folds('counted') ? parameters.filter((line) => line.includes(' → ')) : parameters;
    const counted = parameters.length - shown.length;
    const facts = [
      ...(stack.resourceCount !== undefined ? [`${stack.resourceCount} resources`] : []),
      // By the stacks' names, as the operator sees them, not the blueprint's ids.
      ...(stack.dependsOn.length > 0
        ? [
            `after ${stack.dependsOn.map((id) => plan.stacks.find((each) => each.id === id)?.name ?? id).join(', ')}`,
          ]
        : []),
      ...(counted > 0 ? [`${counted} ${counted === 1 ? 'parameter' : 'parameters'}`] : []),
    ];
    const title = `${stack.name}${facts.length > 0 ? ` (${facts.join(', ')})` : ''}`;
    const rows =
      shown.length > 0
        ? packed(`${number}${title}: `, shown, '     ', width)
        : hangingWrap(number, title, '     ', width);
    for (const [row, text] of rows.entries())
      lines.push(row === 0 ? { text, bold: [number.length, number.length + stack.name.length] } : { text });
  }
  const tags = commonTags(plan);
  const own = tags.filter((tag) => tag.startsWith('stackguide:'));
  const shownTags =
    folds('steps') && own.length > 1
      ? [...tags.filter((tag) => !own.includes(tag)), `${own.length} stackguide:* tags`]
      : tags;
  for (const text of packed('  Tags on every stack: ', shownTags, '    ', width))
    lines.push({ text, dim: true });

  const iamStacks = plan.stacks.filter((stack) => stack.capabilities.length > 0);
  if (iamStacks.length > 0) {
    const names =
      folds('steps') && iamStacks.length === plan.stacks.length && iamStacks.length > 1
        ? `All ${iamStacks.length} stacks`
        : iamStacks.map((stack) => stack.name).join(', ');
    const capabilities = [...new Set(iamStacks.flatMap((stack) => stack.capabilities))].join(', ');
    // "Creates IAM resources" only when the templates are known to hold one; otherwise it is what the
    // blueprint asks for, and the change sets (which list no IAM resource then) do not contradict it.
    const creates = iamStacks.every((stack) =>
      stack.resourceTypes?.some((type) => type.startsWith('AWS::IAM::')),
    );
    // Terse, what the blueprint asks is said as what the stacks may do: the same claim, one row.
    const text = creates
      ? `${names} ${iamStacks.length === 1 ? 'creates' : 'create'} IAM resources (${capabilities}): y acknowledges that.`
      : folds('terse')
        ? `${names} may create IAM resources (${capabilities}): y acknowledges that.`
        : `The blueprint asks that ${names.replace(/^All /, 'all ')} may create IAM resources (${capabilities}): y acknowledges that.`;
    for (const line of hangingWrap('⚠ ', text, '  ', width)) lines.push({ text: line, color: 'yellow' });
  }
  // The last change asked for here that a required check refused: undone, each failure said.
  if (plan.refusedChange) {
    const { label, value, failures } = plan.refusedChange;
    for (const text of hangingWrap(
      '✖ ',
      `${label} was not changed to ${value}: ${failures.length === 1 ? 'a required check fails' : `${failures.length} required checks fail`} with it. Nothing was written; the plan above is the one before it.`,
      '  ',
      width,
    ))
      lines.push({ text, color: 'red' });
    for (const failure of failures)
      for (const text of hangingWrap(
        '  • ',
        `${failure.title}: ${failure.summary}${failure.fix ? ` (${failure.fix})` : ''}`,
        '    ',
        width,
      ))
        lines.push({ text, color: 'red' });
    lines.push({ text: '  Press c to change it again.', color: 'red' });
  }
  return lines;
}

/** A change's detail that is a command to run: printed so that it pastes as one (trial finding 78). */
function isCommand(detail: string | undefined): detail is string {
  return detail !== undefined && /^(aws|stackguide) /.test(detail);
}

/** `create secret dockerhub/creds: <detail>`; `brief`, without the detail. */
function changeText(change: PlannedStep['changes'][number], brief = false): string {
  return `${change.action} ${change.resource}${change.detail && !brief ? `: ${change.detail}` : ''}`;
}

/** A step's change under `indent`; a command in it on lines of its own, cut with ` \` as the product's others. */
function changeLines(change: PlannedStep['changes'][number], indent: string, width: number): string[] {
  if (!isCommand(change.detail)) return hangingWrap(indent, changeText(change), `${indent}  `, width);
  const head = `${indent}${change.action} ${change.resource}:`;
  const whole = `${head} ${change.detail}`;
  return whole.length <= width ? [whole] : [head, ...commandLines(change.detail, width, `${indent}  `)];
}

/**
 * Items side by side after `first`, separated by `; `, as many on a line as `width` holds; an item
 * that does not fit starts the next line (under `rest`), the line before ending with `;` so the list
 * reads on (a heading with no room for the first item ends its line alone), and only an item longer
 * than a whole line is wrapped by words: its own rows go on two columns deeper, and the next item
 * starts a row of its own, so a wrapped value (a step output named by the step's title) never reads
 * as the start of another item.
 */
function packed(first: string, items: readonly string[], rest: string, width: number): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const [index, item] of items.entries()) {
    // Room is kept for the `;` that ends the line when another item follows.
    const room = index < items.length - 1 ? width - 1 : width;
    const joined = empty ? `${line}${item}` : `${line}; ${item}`;
    if (joined.length <= room) {
      line = joined;
      empty = false;
      continue;
    }
    // An item that fits a line of its own starts one: never split after a heading that has no room.
    if (!empty || `${rest}${item}`.length <= room) {
      lines.push(empty ? line.trimEnd() : `${line};`);
      line = rest;
    }
    const wrapped = hangingWrap(line, item, `${rest}  `, room);
    const last = wrapped.at(-1) ?? line;
    lines.push(...wrapped.slice(0, -1));
    if (wrapped.length > 1 && index < items.length - 1) {
      lines.push(`${last};`);
      line = rest;
      empty = true;
      continue;
    }
    line = last;
    empty = false;
  }
  lines.push(line);
  return lines;
}

/**
 * A check that finds missing what this install does, and the step's plan lists the change: the
 * plan says it, so it is neither a warning nor a failure here, and its fix (run install) is not said.
 */
function isPlanned(plan: InstallPlan, check: CheckResult): boolean {
  return (
    check.plannedByInstall === true &&
    check.status !== 'pass' &&
    plan.steps.some((step) => step.id === check.step && step.changes.length > 0)
  );
}

/**
 * `checks: 4 passed, 1 confirmed by you, 1 to be done by this install`: each check counted by what it
 * found, a manual step's by what the operator said (as preflight counts them); `terse`, `… 1 to do here`.
 */
function checksText(plan: InstallPlan, terse: boolean): string {
  const count = (test: (check: CheckResult) => boolean): number => plan.checks.filter(test).length;
  const planned = count((check) => isPlanned(plan, check));
  const warned = count((check) => check.status === 'warn' && !isPlanned(plan, check));
  const failed = count((check) => check.status === 'fail' && !isPlanned(plan, check));
  // A manual step passes on the operator's word: nothing checked it, so it is not counted as passed.
  const confirmed = count((check) => check.status === 'pass' && check.confirmedByOperator === true);
  // Each count stays on one row with what it counts ("1 warning" is never split after its "1").
  return [
    `checks: ${count((check) => check.status === 'pass') - confirmed} passed`,
    ...(confirmed > 0 ? [`${confirmed} confirmed by you`] : []),
    ...(planned > 0 ? [`${planned} ${terse ? 'to do here' : 'to be done by this install'}`] : []),
    ...(warned > 0 ? [`${warned} ${warned === 1 ? 'warning' : 'warnings'}`] : []),
    ...(failed > 0 ? [`${failed} failed (not required)`] : []),
  ]
    .map((item) => item.replaceAll(' ', KEEP))
    .join(', ');
}

/** Tags that every stack carries with the same value (the deployment and cost tags among them). */
function commonTags(plan: InstallPlan): string[] {
  const [first, ...rest] = plan.stacks;
  return Object.entries(first?.tags ?? {})
    .filter(([key, value]) => rest.every((stack) => stack.tags[key] === value))
    .map(([key, value]) => `${key}=${value}`);
}
