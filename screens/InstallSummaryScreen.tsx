import { Box, Text, useStdout } from 'ink';
import { commandLines } from '../src/output/command-lines.ts';
import { hangingWrap } from '../src/output/wrap.ts';

export interface InstallSummaryScreenProps {
  deployment: string;
  stacks: Array<{ name: string; status: string; outputs: Record<string, string> }>;
  answersPath: string;
  /** False when the answers file given was left as it was (nothing in it changed). */
  answersSaved: boolean;
  nextCommand: string;
  eventLogPath: string;
  /** The blueprint's after-install checklist: what stays by hand. */
  afterInstall: Array<{ title: string; details: string[] }>;
  /** The preparation steps the run took, and whether each finished or waits outside the run. */
  steps: Array<{ id: string; title: string; done: boolean; pending?: string }>;
  /** Every warning of the run, repeated: the live view's rows have scrolled away. */
  warnings: string[];
}

/** The last screen of a successful install: outputs, where the answers are, and the unattended command. */
export function InstallSummaryScreen({
  deployment,
  stacks,
  answersPath,
  answersSaved,
  nextCommand,
  eventLogPath,
  afterInstall,
  steps,
  warnings,
}: InstallSummaryScreenProps) {
  const { stdout } = useStdout();
  const width = (stdout as { columns?: number }).columns || 80;
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text color="green" bold>
        ✔ {deployment} is installed
      </Text>
      {steps.map((step) =>
        step.pending !== undefined
          ? // Not done: what it waits for, whole, under its title.
            hangingWrap('  ◷ ', `${step.title}: pending, waiting for ${step.pending}`, '    ', width).map(
              (line) => (
                <Text key={`${step.id}-${line}`} color="yellow">
                  {line}
                </Text>
              ),
            )
          : // A title longer than the window goes on under its text, never at the first column.
            hangingWrap(`  ${step.done ? '✔' : '✖'} `, step.title, '    ', width).map((line) => (
              <Text key={`${step.id}-${line}`}>{line}</Text>
            )),
      )}
      {stacks.map((stack) => (
        <Box key={stack.name} flexDirection="column">
          {hangingWrap('  ', `${stack.name} ${stack.status}`, '    ', width).map((line) => (
            <Text key={line}>{line}</Text>
          ))}
          {Object.entries(stack.outputs).flatMap(([key, value]) =>
            // A value (an ARN, a URL) is never cut: it goes whole on the line after its key if it must.
            hangingWrap('    ', `${key}: ${value}`, '      ', width).map((line) => (
              <Text key={`${key}-${line}`}>{line}</Text>
            )),
          )}
        </Box>
      ))}
      {warnings.length > 0 && (
        <Box flexDirection="column" marginTop={1}>
          <Text bold color="yellow">
            Warnings:
          </Text>
          {warnings.flatMap((warning) =>
            hangingWrap('  ⚠ ', warning, '    ', width).map((line) => (
              <Text key={`${warning}-${line}`} color="yellow">
                {line}
              </Text>
            )),
          )}
        </Box>
      )}
      {afterInstall.length > 0 ? (
        <Box flexDirection="column" marginTop={1}>
          <Text bold>Still to do by hand:</Text>
          {afterInstall.map((item) => (
            <Box key={item.title} flexDirection="column">
              {hangingWrap('  ☐ ', item.title, '    ', width).map((line) => (
                <Text key={line}>{line}</Text>
              ))}
              {item.details.flatMap((line) =>
                // A command to run is cut only before an option, with a `\` to paste it whole; words
                // wrap under their own indent.
                (isCommand(line)
                  ? commandLines(line, width, '    ')
                  : hangingWrap('    ', line, '      ', width)
                ).map((part) => (
                  <Text key={`${line}-${part}`} dimColor>
                    {part}
                  </Text>
                )),
              )}
            </Box>
          ))}
        </Box>
      ) : null}
      <Text> </Text>
      {/* The line that introduces the command stays whole, on its own when the path is long. */}
      {savedLines(answersSaved ? `Answers saved to ${answersPath}.` : '', width).map((line) => (
        <Text key={line}>{line}</Text>
      ))}
      {/* Cut into lines that fit, joined by `\`: a line the terminal wraps breaks when copied. */}
      {commandLines(nextCommand, width, '  ').map((line) => (
        <Text key={line} bold>
          {line}
        </Text>
      ))}
      {hangingWrap('', `Event log: ${eventLogPath}`, '  ', width).map((line) => (
        <Text key={line} dimColor>
          {line}
        </Text>
      ))}
    </Box>
  );
}

/** `aws eks tag-resource --region …`: a line of a checklist that is a command, with options to cut at. */
function isCommand(line: string): boolean {
  return /^[a-z][\w.-]* /.test(line) && / --[a-z]/.test(line);
}

function savedLines(saved: string, width: number): string[] {
  const rerun = 'Run the same install unattended with:';
  if (saved === '') return [rerun];
  if (saved.length + 1 + rerun.length <= width) return [`${saved} ${rerun}`];
  return [...hangingWrap('', saved, '  ', width), rerun];
}
