#!/usr/bin/env node
/** Entry point of the stackguide binary; everything it does is in main.ts. */
import { main } from './main.ts';

const exitCode = await main(process.argv);
process.exitCode = exitCode;
// Exit once stdout and stderr have drained: idle keep-alive sockets must not hold the process open,
// and a piped NDJSON stream must not lose its last lines.
process.stdout.write('', () => process.stderr.write('', () => process.exit(exitCode)));
