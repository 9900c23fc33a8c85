#!/usr/bin/env node
// The stackguide binary's first file. It is plain ES5 in CommonJS on purpose: an old Node must be able
// to parse and run it, so the operator is told which Node is needed instead of getting a SyntaxError
// from the bundle. The build writes the required range in place of the marker below.
'use strict';
var required = '__STACKGUIDE_NODE_RANGE__';
var minimum = /(\d+)\.(\d+)/.exec(required) || ['', '22', '13'];
var parts = process.versions.node.split('.');
var major = Number(parts[0]);
var minor = Number(parts[1]);
var needMajor = Number(minimum[1]);
var needMinor = Number(minimum[2]);
if (major < needMajor || (major === needMajor && minor < needMinor)) {
  process.stderr.write(
    'stackguide needs Node ' + required + '; this is Node ' + process.versions.node + '.\n' +
      'Install a newer Node (https://nodejs.org, or: nvm install ' + needMajor + '), then run it again.\n'
  );
  process.exit(2);
}
// `stackguide --help` and `stackguide --version` alone answer from here, with the text the build took
// from commander's own output (dist/cli.js --help, not a terminal: 80 columns), without loading the
// bundle: what is left of their cost is Node's own start. Commander wraps the help to the terminal's
// width, so a terminal of another width goes through commander below. A test checks both agree.
var rootHelp = '__STACKGUIDE_ROOT_HELP__';
var version = '__STACKGUIDE_VERSION__';
function answeredHere(args) {
  if (args.length !== 1 || rootHelp.slice(0, 2) === '__') return false;
  if (args[0] === '--version' || args[0] === '-V') {
    process.stdout.write(version + '\n');
    return true;
  }
  if (args[0] !== '--help' && args[0] !== '-h') return false;
  var width = process.stdout.isTTY ? process.stdout.columns : undefined;
  if ((width === undefined || width === null ? 80 : width) !== 80) return false;
  process.stdout.write(rootHelp);
  return true;
}
// Written so that a parser that does not know import() never sees it.
if (!answeredHere(process.argv.slice(2))) {
  new Function('path', 'return import(path)')(require('path').join(__dirname, 'cli.js')).catch(function (error) {
    process.stderr.write(String((error && error.stack) || error) + '\n');
    process.exit(70);
  });
}
