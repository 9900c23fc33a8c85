import { Box, Text, useInput } from 'ink';
import { useState } from 'react';

export interface InterruptMenuPanelProps {
  stack: string;
  choices: ReadonlyArray<{ value: string; label: string }>;
  onChoice: (value: string) => void;
}

/** Ctrl+C during a stack operation: the choices it allows, picked with the arrows and Enter. */
export function InterruptMenuPanel({ stack, choices, onChoice }: InterruptMenuPanelProps) {
  const [index, setIndex] = useState(0);
  useInput((input, key) => {
    if (key.upArrow) setIndex((i) => (i + choices.length - 1) % choices.length);
    else if (key.downArrow) setIndex((i) => (i + 1) % choices.length);
    else if (key.return) onChoice(choices[index]?.value ?? 'wait');
    else if (key.escape || (key.ctrl && input === 'c')) onChoice('wait');
  });
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} marginTop={1}>
      <Text bold>{stack} is still changing in AWS. What now?</Text>
      {choices.map((choice, i) => (
        <Text key={choice.value} {...(i === index ? { color: 'cyan' } : {})}>
          {i === index ? '❯' : ' '} {choice.label}
        </Text>
      ))}
    </Box>
  );
}
