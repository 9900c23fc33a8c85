import { Box, Static, Text, useInput, useStdout } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { AnswerValue } from '../src/blueprint/references.ts';
import type { CheckResult } from '../src/events.ts';
import type { InstallPlan, ReviewDecision } from '../src/install/install-plan.ts';
import { parameterLine } from '../src/install/install-plan.ts';
import { mask } from '../src/output/format.ts';
import { hangingWrap } from '../src/output/wrap.ts';

export interface ReviewScreenProps {
  plan: InstallPlan;
  onDecision: (decision: ReviewDecision) => void;
}

/**
 * Everything the install will create, before anything is created. y goes ahead; n, Esc or Ctrl+C stop;
 * c picks an answer to change (the flow asks it again, then shows the review anew). The plan is printed
 * once through <Static>: it is often taller than the window, and a live frame that tall is reprinted
 * whole on every key. Only the question line (or the picker) is live.
 */
export function ReviewScreen({ plan, onDecision }: ReviewScreenProps) {
  const entries = pickable(plan);
  const [picking, showPicking] = useState<number | undefined>(undefined);
  const [changing, setChanging] = useState<Pickable | undefined>(undefined);
  // Enter on the name or region when a rule keeps it: the reason, said under the list.
  const [refused, setRefused] = useState<string | undefined>(undefined);
  // Keys typed ahead (a paste, a quick typist: "c", Down, Down, Enter) arrive before React draws the
  // picker; each must see what the one before did, so the state the keys act on lives in a ref and the
  // state above only draws it.
  const keys = useRef<{ picking: number | undefined; changing: Pickable | undefined }>({
    picking: undefined,
    changing: undefined,
  });
  const setPicking = (next: number | undefined) => {
    keys.current.picking = next;
    showPicking(next);
  };
  // Told once the picker has folded to one line, so that line, not the list, is what stays on screen.
  useEffect(() => {
    if (changing !== undefined) onDecision(changing.decision);
  }, [changing, onDecision]);
  useInput((input, key) => {
    const { picking, changing } = keys.current;
    if (changing !== undefined) return;
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
    if (input === 'y' || input === 'Y') onDecision(true);
    else if (input === 'n' || input === 'N' || key.escape) onDecision(false);
    else if (input === 'c' || input === 'C') setPicking(0);
  });
  return (
    <>
      <Static items={[plan]}>{(shown) => <ReviewBody key="plan" plan={shown} />}</Static>
      {changing !== undefined ? (
        <Text>
          Changing <Text bold>{changing.label}</Text>; the review follows again.
        </Text>
      ) : picking === undefined ? (
        <Text>
          Create these {plan.stacks.length} stacks? <Text bold>y</Text> to go ahead, <Text bold>n</Text> to
          stop, <Text bold>c</Text> to change an answer
        </Text>
      ) : (
        <AnswerPicker plan={plan} entries={entries} cursor={picking} refused={refused} />
      )}
    </>
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
  // The heading, the hint, a refusal and two lines of margin stay on screen with the list.
  const room = Math.max(3, ((stdout as { rows?: number }).rows || 24) - 4 - (refused ? 1 : 0));
  const start = Math.min(Math.max(0, cursor - Math.floor(room / 2)), Math.max(0, entries.length - room));
  const shown = entries.slice(start, start + room);
  return (
    <Box flexDirection="column">
      <Text bold>Which answer do you want to change?</Text>
      {shown.map((entry, index) => (
        <Text key={entry.key} wrap="truncate-end" {...(start + index === cursor ? { color: 'cyan' } : {})}>
          {start + index === cursor ? '❯ ' : '  '}
          {entry.label}:{' '}
          {'change' in entry.decision
            ? answerText(plan, entry.label, plan.answers[entry.label])
            : entry.value}
          {entry.fixed ? <Text dimColor> (fixed: {entry.fixed})</Text> : ''}
        </Text>
      ))}
      {refused && <Text color="yellow">{refused}</Text>}
      <Text dimColor>
        ↑↓ to move{entries.length > shown.length ? ` (${entries.length} answers)` : ''}, Enter to change it,
        Esc to go back to the review
      </Text>
    </Box>
  );
}

function answerText(plan: InstallPlan, id: string, value: AnswerValue | undefined) {
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0))
    return <Text dimColor>(not set)</Text>;
  if (plan.secretAnswerIds.includes(id)) return mask(String(value));
  return Array.isArray(value) ? value.join(', ') : String(value);
}

function ReviewBody({ plan }: { plan: InstallPlan }) {
  const iamStacks = plan.stacks.filter((stack) => stack.capabilities.length > 0);
  const { stdout } = useStdout();
  const width = (stdout as { columns?: number }).columns || 80;
  return (
    <Box flexDirection="column">
      <Text bold>Review</Text>
      <Text>
        {plan.blueprintId} {plan.blueprintVersion} as deployment <Text bold>{plan.deployment}</Text> in
        account {plan.account}, {plan.region}
      </Text>
      <Box flexDirection="column" marginTop={1}>
        <Text bold>Answers</Text>
        {Object.entries(plan.answers).map(([id, value]) => (
          <Text key={id}>
            {'  '}
            {id}: {answerText(plan, id, value)}
          </Text>
        ))}
      </Box>
      {plan.steps.length > 0 && (
        <Box flexDirection="column" marginTop={1}>
          <Text bold>Preparation, in order</Text>
          {plan.steps.map((step) => (
            <Box key={step.id} flexDirection="column">
              <Text>
                {'  '}
                {step.title}
                {step.changes.length === 0 ? <Text dimColor> (already right: nothing to change)</Text> : ''}
              </Text>
              {step.changes.map((change) => (
                <Wrapped
                  key={`${change.action}:${change.resource}`}
                  first="     "
                  text={`${change.action} ${change.resource}${change.detail ? `: ${change.detail}` : ''}`}
                  rest="       "
                  width={width}
                  dim
                />
              ))}
            </Box>
          ))}
          {plan.checks
            .filter((check) => check.status !== 'pass' && !isPlanned(plan, check))
            .map((check) => (
              <Wrapped
                key={check.id}
                first="  ⚠ "
                text={`${check.title}: ${check.summary}${check.fix && !check.plannedByInstall ? ` (${check.fix})` : ''}`}
                rest="    "
                width={width}
                color="yellow"
              />
            ))}
          <Text dimColor>
            {'  '}
            {checksText(plan)}
          </Text>
        </Box>
      )}
      <Box flexDirection="column" marginTop={1}>
        <Text bold>Stacks to create or update, in order</Text>
        {plan.stacks.map((stack, index) => (
          <Box key={stack.id} flexDirection="column">
            <Text>
              {'  '}
              {index + 1}. <Text bold>{stack.name}</Text>
              {stack.resourceCount !== undefined ? ` (${stack.resourceCount} resources)` : ''}
              {stack.dependsOn.length > 0 ? ` after ${stack.dependsOn.join(', ')}` : ''}
            </Text>
            {Object.entries(stack.parameterSources).map(([key, source]) => (
              <Wrapped
                key={key}
                first="       "
                text={parameterLine(plan, stack, key, source)}
                rest="         "
                width={width}
                dim
              />
            ))}
          </Box>
        ))}
        <Wrapped
          first="  "
          text={`Tags on every stack: ${commonTags(plan).join(', ')}`}
          rest="    "
          width={width}
          dim
        />
      </Box>
      {iamStacks.length > 0 && (
        <Box marginTop={1} flexDirection="column">
          <Text color="yellow">
            ⚠ {iamStacks.map((stack) => stack.name).join(', ')} create IAM resources (
            {[...new Set(iamStacks.flatMap((s) => s.capabilities))].join(', ')}).
          </Text>
          <Text color="yellow">
            {'  '}Answering y acknowledges that, as the console's "I acknowledge" box does.
          </Text>
        </Box>
      )}
      {plan.refusedChange && (
        <Box marginTop={1} flexDirection="column">
          <Wrapped
            first="✖ "
            text={`${plan.refusedChange.label} was not changed to ${plan.refusedChange.value}: ${plan.refusedChange.failures.length === 1 ? 'a required check fails' : `${plan.refusedChange.failures.length} required checks fail`} with it. Nothing was written; the plan above is the one before it.`}
            rest="  "
            width={width}
            color="red"
          />
          {plan.refusedChange.failures.map((failure) => (
            <Wrapped
              key={failure.id}
              first="  • "
              text={`${failure.title}: ${failure.summary}${failure.fix ? ` (${failure.fix})` : ''}`}
              rest="    "
              width={width}
              color="red"
            />
          ))}
          <Text color="red">{'  '}Press c to change it again.</Text>
        </Box>
      )}
      <Text> </Text>
    </Box>
  );
}

/**
 * A check that finds missing what this install does, and the step's plan above lists the change: the
 * plan says it, so it is neither a warning nor a failure here, and its fix (run install) is not said.
 */
function isPlanned(plan: InstallPlan, check: CheckResult): boolean {
  return (
    check.plannedByInstall === true &&
    check.status !== 'pass' &&
    plan.steps.some((step) => step.id === check.step && step.changes.length > 0)
  );
}

/** `Checks: 4 passed, 1 to be done by this install (above)`: each check counted by what it found. */
function checksText(plan: InstallPlan): string {
  const count = (test: (check: CheckResult) => boolean): number => plan.checks.filter(test).length;
  const planned = count((check) => isPlanned(plan, check));
  const warned = count((check) => check.status === 'warn' && !isPlanned(plan, check));
  const failed = count((check) => check.status === 'fail' && !isPlanned(plan, check));
  return [
    `Checks: ${count((check) => check.status === 'pass')} passed`,
    ...(planned > 0 ? [`${planned} to be done by this install (above)`] : []),
    ...(warned > 0 ? [`${warned} ${warned === 1 ? 'warning' : 'warnings'}`] : []),
    ...(failed > 0 ? [`${failed} failed (not required)`] : []),
  ].join(', ');
}

/**
 * A line of the review wrapped by words to the window, each line after the first under `rest`: Ink
 * would wrap it at the edge and start the rest at the first column.
 */
function Wrapped({
  first,
  text,
  rest,
  width,
  dim = false,
  color,
}: {
  first: string;
  text: string;
  rest: string;
  width: number;
  dim?: boolean;
  color?: string;
}) {
  return (
    <>
      {hangingWrap(first, text, rest, width).map((line) => (
        <Text key={line} dimColor={dim} {...(color ? { color } : {})}>
          {line}
        </Text>
      ))}
    </>
  );
}

/** Tags that every stack carries with the same value (the deployment and cost tags among them). */
function commonTags(plan: InstallPlan): string[] {
  const [first, ...rest] = plan.stacks;
  return Object.entries(first?.tags ?? {})
    .filter(([key, value]) => rest.every((stack) => stack.tags[key] === value))
    .map(([key, value]) => `${key}=${value}`);
}
