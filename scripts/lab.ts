/**
 * `npm run lab -- <blueprint>`: starts a local lab for one shipped blueprint (see scripts/lab/start-lab.ts),
 * prints the commands to try it with, and keeps it up until Ctrl+C, which stops every server and removes
 * the lab's folder.
 */
import { terminalColumns } from '../src/output/terminal-text.ts';
import { labBlueprints, startLab } from './lab/start-lab.ts';
import { untilStopped } from './lab/until-stopped.ts';

const blueprint = process.argv[2];
if (!blueprint || !labBlueprints().includes(blueprint)) {
  console.error(`Usage: npm run lab -- <blueprint>   (one of: ${labBlueprints().join(', ')})`);
  process.exit(2);
}
console.error(`Starting the lab for blueprints/${blueprint}…`);
const lab = await startLab(blueprint);
// Fitted to the terminal the lab runs in (the commands cut with a trailing `\`); whole into a pipe.
console.error(`\n${lab.instructions(terminalColumns(process.stderr))}\n\nCtrl+C stops the lab.`);
const { quiet } = await untilStopped();
if (!quiet) console.error('\nStopping the lab…');
await lab.stop();
