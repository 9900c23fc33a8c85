import type { StatusItem, StatusSection, StatusState } from '../events.ts';
import type { AnswersSource } from '../install/deployment-answers-file.ts';
import type { DeploymentStatus } from '../status/deployment-status.ts';
import { answersFromText, lookedForText } from './answers-source-text.ts';
import { shortTime } from './format.ts';
import { arnsOut } from './terminal-text.ts';
import { hangingWrap, ownLine } from './wrap.ts';

const ICON: Record<StatusState, string> = { healthy: '✔', 'needs-action': '✖', 'could-not-check': '?' };
const VERDICT: Record<StatusState, string> = {
  healthy: 'healthy',
  'needs-action': 'needs action',
  'could-not-check': 'could not be checked',
};

/**
 * `stackguide status` as text: a headline with the verdict, then one block per section (stacks, DNS,
 * certificates, SES, secrets, manual steps, the rest of the account preparation), each item with its
 * state and, when it is not healthy, the one next action. Wrapped by words to `width` (the terminal's
 * columns; none for a pipe): a line the text continues on is indented two more than the text it continues.
 * `fold` (a terminal, without `--all`) makes it one screen: see foldedStatusText.
 */
export function statusText(
  title: string,
  status: DeploymentStatus,
  width: number = Number.POSITIVE_INFINITY,
  now: Date = new Date(),
  fold = false,
): string {
  const lines = hangingWrap(
    '',
    `${title} · deployment ${status.deployment} · ${status.region} · ${VERDICT[status.state]}`,
    '  ',
    width,
  );
  if (status.answers)
    lines.push(...hangingWrap('', answersLine(status.answers, status.deployment), '  ', width));
  if (fold && status.destroyedAt !== undefined)
    return [...lines, '', ...destroyedSections(status, width, now)].join('\n');
  if (fold) return [...lines, '', ...foldedSections(status, width, now)].join('\n');
  for (const section of status.sections) lines.push('', ...sectionLines(section, width, now));
  return lines.join('\n');
}

/** Which answers file status took by itself (none was named), so a "not given" below can be understood. */
function answersLine(answers: AnswersSource, deployment: string): string {
  if (answers.path === undefined)
    return `No answers file of ${deployment} found (looked for ${lookedForText(answers)}; --config names one)`;
  return answersFromText(answers);
}

/**
 * A deployment the journal records as destroyed, in a terminal (trial finding 99: 40 rows at 80x24, the
 * stacks scrolled off under next steps for a certificate and manual steps): the stacks and when they were
 * destroyed first, in full; the preparation sections counted on one line, as they say only what a
 * re-install would go through, not something wrong now. `--all` and a pipe still list them.
 */
function destroyedSections(status: DeploymentStatus, width: number, now: Date): string[] {
  const stacks = status.sections.filter((section) => section.section === 'stacks');
  const preparation = status.sections.filter((section) => section.section !== 'stacks');
  const lines = foldedSections({ ...status, sections: stacks }, width, now);
  const items = preparation.flatMap((section) => section.items.filter((item) => item.detail !== true));
  if (items.length === 0) return lines;
  const count = (state: StatusState, advisory = false): number =>
    items.filter((item) => item.state === state && (item.advisory === true) === advisory).length;
  // Manual steps the operator confirmed are not checks that passed (trial finding 100).
  const confirmed = items.filter((item) => item.confirmedByOperator).length;
  const passed = count('healthy') - confirmed;
  const toDo = preparation.filter((section) => section.state === 'needs-action').map(({ title }) => title);
  const counts = [
    ...(count('needs-action') > 0 ? [`${count('needs-action')} to do (${toDo.join(', ')})`] : []),
    ...(count('could-not-check') > 0 ? [`${count('could-not-check')} not checkable`] : []),
    ...(passed > 0 ? [`${passed} passed`] : []),
    ...(confirmed > 0 ? [`${confirmed} confirmed by you`] : []),
    ...(count('healthy', true) > 0
      ? [`${count('healthy', true)} ${count('healthy', true) === 1 ? 'note' : 'notes'}`]
      : []),
  ];
  return [
    ...lines,
    '',
    ...hangingWrap(
      '',
      `Preparation a re-install goes through: ${counts.join(', ')} (--all lists them)`,
      '  ',
      width,
    ),
  ];
}

/**
 * What a section's header says of it: its verdict, the folded items it counts (checks that passed, and
 * apart from them manual steps the operator confirmed: nothing checked those, trial finding 100), and
 * that drift was not checked (once, not per stack).
 */
function sectionHead(section: StatusSection, folded: readonly StatusItem[] = []): string {
  const unchecked = section.items.some((item) => item.facts?.drift === 'NOT_CHECKED');
  const confirmed = folded.filter((item) => item.confirmedByOperator).length;
  const passed = folded.length - confirmed;
  const count = `${passed > 0 ? ` · ${passed} passed` : ''}${confirmed > 0 ? ` · ${confirmed} confirmed by you` : ''}`;
  return `${section.title}: ${VERDICT[section.state]}${count}${unchecked ? ' · drift not checked (--drift checks it)' : ''}`;
}

function sectionLines(section: StatusSection, width: number, now: Date): string[] {
  const lines = hangingWrap('', sectionHead(section), '  ', width);
  for (const item of section.items) lines.push(...itemLines(item, width, now));
  return lines;
}

const ORDER: Record<StatusState, number> = { 'needs-action': 0, 'could-not-check': 1, healthy: 2 };

/**
 * The status as one screen of a terminal (trial finding 29: opensarlab's was 50 lines at 80x24): the
 * sections that need action first, each item that needs action or could not be checked in full with its
 * next action, each stack with its outputs (what the operator came for), a note (⚠, healthy but worth
 * reading) by its words without its next step, and the checks that passed counted on their section's
 * line. The last line says what was folded and how to see it all (`--all`; a pipe gets it all too).
 */
function foldedSections(status: DeploymentStatus, width: number, now: Date): string[] {
  const lines: string[] = [];
  let passed = 0;
  let confirmed = 0;
  let notes = 0;
  const sections = [...status.sections].sort((a, b) => ORDER[a.state] - ORDER[b.state]);
  for (const section of sections) {
    const folded = section.items.filter(
      (item) => section.section !== 'stacks' && item.state === 'healthy' && !item.advisory,
    );
    const byOperator = folded.filter((item) => item.confirmedByOperator).length;
    confirmed += byOperator;
    passed += folded.length - byOperator;
    lines.push(...hangingWrap('', sectionHead(section, folded), '  ', width));
    const shown = section.items
      .filter((item) => !folded.includes(item))
      .map((item) => {
        const note = item.state === 'healthy' && item.advisory === true && item.nextAction !== undefined;
        if (note) notes++;
        return note ? withoutNextAction(item) : item;
      });
    // Items in a row with the same next action (three stacks that do not exist) say it once, after
    // the last of them.
    let run = 1;
    for (const [index, item] of shown.entries()) {
      const following = shown[index + 1];
      if (item.nextAction !== undefined && following?.nextAction === item.nextAction) {
        run++;
        lines.push(...itemLines(withoutNextAction(item), width, now, '  '));
        continue;
      }
      lines.push(...itemLines(item, width, now, '  ', run > 1 ? `next (these ${run}): ` : 'next: '));
      run = 1;
    }
  }
  const what = [
    ...(passed > 0 ? [`${passed} passed ${passed === 1 ? 'check' : 'checks'}`] : []),
    ...(confirmed > 0 ? [`${confirmed} ${confirmed === 1 ? 'step' : 'steps'} confirmed by you`] : []),
    ...(notes > 0 ? [`${notes === 1 ? "a note's next step" : `${notes} notes' next steps`}`] : []),
  ];
  if (what.length > 0)
    lines.push('', ...hangingWrap('', `Folded: ${what.join(', ')} (--all shows everything)`, '  ', width));
  return lines;
}

function withoutNextAction({ nextAction: _leftOut, ...item }: StatusItem): StatusItem {
  return item;
}

/** ISO 8601 times in a check's words (`2026-12-03T12:23:33.755Z`): the JSON keeps them, the text shortens. */
const ISO_TIME = /\b\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)/g;

/**
 * The words for a terminal: times in a short local form, and each ARN taken out of the sentence to go on
 * a line of its own (a value of 80 characters and more would otherwise be folded mid-word).
 */
function readable(text: string, now: Date): { text: string; values: string[] } {
  const { text: words, arns } = arnsOut(text.replace(ISO_TIME, (iso) => shortTime(new Date(iso), now)));
  return { text: words, values: arns };
}

/** One item: `✔ title: summary`, then `next:` with the action when there is one to take. */
function itemLines(item: StatusItem, width: number, now: Date, base = '', label = 'next: '): string[] {
  const indent = `${base}${item.detail ? '    ' : ''}`;
  const summary = readable(item.summary, now);
  const lines = hangingWrap(
    `${indent}${item.advisory ? '⚠' : item.confirmedByOperator ? '☑' : ICON[item.state]} `,
    `${item.title}: ${summary.text}`,
    `${indent}    `,
    width,
  );
  // Each value on a line of its own under the item, left of the indent when that lets it fit the width.
  for (const value of summary.values) lines.push(ownLine(value, indent.length + 4, width));
  // A stack's outputs (its URLs, its names) are what the operator came for.
  const outputs = item.facts?.outputs;
  if (outputs && typeof outputs === 'object')
    for (const [key, value] of Object.entries(outputs))
      lines.push(...hangingWrap(`${indent}    `, `${key}: ${String(value)}`, `${indent}      `, width));
  if ((item.state !== 'healthy' || item.advisory) && item.nextAction) {
    for (const [index, line] of item.nextAction.split('\n').entries())
      lines.push(
        ...hangingWrap(
          `${indent}    ${index === 0 ? label : ' '.repeat(label.length)}`,
          line,
          `${indent}    ${' '.repeat(label.length)}  `,
          width,
        ),
      );
  }
  return lines;
}

/** `status --watch` after the first refresh: the time, then only the items that changed, or a quiet line. */
export function statusChangesText(
  at: Date,
  changed: readonly StatusItem[],
  status: DeploymentStatus,
  width: number = Number.POSITIVE_INFINITY,
  stamp = at.toISOString(),
): string {
  if (changed.length === 0) return `${stamp} no change · ${VERDICT[status.state]}`;
  return [
    `${stamp} ${changed.length} changed · ${VERDICT[status.state]}`,
    ...changed.flatMap((item) => itemLines(item, width, at)),
  ].join('\n');
}
