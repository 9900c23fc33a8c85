import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labAnswers, labInstructions } from '../../scripts/lab/start-lab.ts';
import { commandLines } from '../../src/output/command-lines.ts';

/**
 * What `npm run lab` prints, in a terminal of 80 columns (trial finding 60: its commands ran past the
 * width, so the terminal folded them and a copy broke): each command cut before an option with a
 * trailing `\`, and the same commands, whole, into a pipe.
 */

const lab = {
  blueprint: 'opensarlab',
  folder: '/tmp/stackguide-lab-opensarlab-Nwymiz',
  notes: [
    'CA certificate for opensarlab.example.edu: /tmp/stackguide-lab-opensarlab-Nwymiz/certs/opensarlab.pem (key beside it)',
  ],
  secrets: 'STACKGUIDE_SECRET_DOCKERHUB_PASSWORD=lab-registry-password ',
  blueprintPath: '/work/wt/fixes/blueprints/opensarlab',
  answers: '--config answers.yaml',
};

/** The commands as bash reads them: a line ending in ` \` continues on the next. */
const commands = (text: string): string[] =>
  text
    .replace(/ \\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => !line.startsWith('#') && /^(cd |(\S+=\S+ )*stackguide )/.test(line));

describe('npm run lab: the printed commands (trial finding 60)', () => {
  it('at 80 columns every line fits, each command cut with a trailing backslash', () => {
    const text = labInstructions(lab, 80);
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(text).toContain(
      [
        '  # unattended, from the sample answers:',
        '  STACKGUIDE_SECRET_DOCKERHUB_PASSWORD=lab-registry-password \\',
        '    stackguide install --blueprint /work/wt/fixes/blueprints/opensarlab \\',
        '      --config answers.yaml --yes',
      ].join('\n'),
    );
    expect(text).toContain(
      [
        '  stackguide destroy --blueprint /work/wt/fixes/blueprints/opensarlab \\',
        '    --config answers.yaml',
      ].join('\n'),
    );
    // Pasted, they are the same commands a pipe gets whole.
    expect(commands(text)).toEqual(commands(labInstructions(lab)));
    expect(commands(labInstructions(lab))).toEqual([
      'cd /tmp/stackguide-lab-opensarlab-Nwymiz && source lab.env',
      'stackguide install --blueprint /work/wt/fixes/blueprints/opensarlab',
      'STACKGUIDE_SECRET_DOCKERHUB_PASSWORD=lab-registry-password stackguide install --blueprint /work/wt/fixes/blueprints/opensarlab --config answers.yaml --yes',
      'stackguide status --blueprint /work/wt/fixes/blueprints/opensarlab --config answers.yaml',
      'stackguide destroy --blueprint /work/wt/fixes/blueprints/opensarlab --config answers.yaml',
    ]);
  });

  it('a command that sets variables puts them on a line of their own when it does not fit', () => {
    expect(commandLines('A=1 B=2 stackguide status --blueprint demo', 80)).toEqual([
      'A=1 B=2 stackguide status --blueprint demo',
    ]);
    expect(commandLines('A=1 stackguide install --blueprint demo --config answers.yaml --yes', 40)).toEqual([
      'A=1 \\',
      '  stackguide install --blueprint demo \\',
      '    --config answers.yaml --yes',
    ]);
  });
});

// Trial finding 85: the lab's copy of the opensarlab answers named `--blueprint blueprints/opensarlab
// --config blueprints/opensarlab/answers.yaml`, which do not exist in the lab folder.
describe("the lab's copy of the sample answers", () => {
  it.each(['opensarlab', 'codeocean-vpc'])(
    'names, for %s, a command that runs from the lab folder',
    async (name) => {
      const sample = await readFile(join('blueprints', name, 'answers.yaml'), 'utf8');
      const copy = labAnswers(sample, `/work/main/blueprints/${name}`);
      const header = copy.split('\n')[1] ?? '';
      expect(header).toMatch(
        new RegExp(
          `^# Unattended, from this folder after \`source lab.env\`: (STACKGUIDE_SECRET_\\w+=\\.\\.\\. )?stackguide install --blueprint /work/main/blueprints/${name} --config answers.yaml --yes$`,
        ),
      );
      // Only the comment changes: the answers are the sample's.
      expect(copy.split('\n').slice(2)).toEqual(sample.split('\n').slice(2));
    },
  );
});
