/**
 * A command line to print for the operator to copy, within `width` columns: whole when it fits, else cut
 * before its options, every line but the last ending in ` \`, so that pasted into bash or zsh the lines
 * still run as one command (a line the terminal wraps for us breaks on copy in many terminals). An option
 * and its value stay together unless together they are longer than a line; a value longer than a line
 * (a long path) gets a line of its own.
 */
export function commandLines(command: string, width: number, indent = ''): string[] {
  if (indent.length + command.length <= width) return [`${indent}${command}`];
  // Variables set for the command (`NAME=value stackguide …`) go on a line of their own first.
  const variables = /^((?:[A-Z][A-Z0-9_]*=\S+ )+)(\S.*)$/.exec(command);
  if (variables?.[1] && variables[2])
    return [`${indent}${variables[1].trimEnd()} \\`, ...commandLines(variables[2], width, `${indent}  `)];
  const continued = `${indent}  `;
  const [head = '', ...options] = command
    .split(/ (?=--)/)
    // An option too long for a line of its own is cut between the flag and its value: bash takes a
    // `\` there as well.
    .flatMap((option) =>
      continued.length + option.length + 2 > width && option.includes(' ')
        ? [option.slice(0, option.indexOf(' ')), option.slice(option.indexOf(' ') + 1)]
        : [option],
    );
  const lines: string[] = [];
  let line = `${indent}${head}`;
  for (const option of options) {
    if (line.length + 1 + option.length + 2 <= width) line = `${line} ${option}`;
    else {
      lines.push(`${line} \\`);
      line = `${continued}${option}`;
    }
  }
  lines.push(line);
  return lines;
}
