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
// Written so that a parser that does not know import() never sees it.
new Function('path', 'return import(path)')(require('path').join(__dirname, 'cli.js')).catch(function (error) {
  process.stderr.write(String((error && error.stack) || error) + '\n');
  process.exit(70);
});
