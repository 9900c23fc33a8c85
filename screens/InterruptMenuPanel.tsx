import { Box, Text, useInput } from 'ink';
import { useState } from 'react';

export interface InterruptMenuPanelProps {
  /** The question; the Ctrl+C menu's by default. */
  message: string;
  choices: ReadonlyArray<{ value: string; label: string }>;
  onChoice: (value: string) => void;
  /** What Esc and Ctrl+C answer (the Ctrl+C menu: keep waiting). */
  cancelValue?: string;
}

/** A menu in the live view (Ctrl+C during a stack operation, DELETE_FAILED): arrows and Enter pick. */
export function InterruptMenuPanel({
  message,
  choices,
  onChoice,
  cancelValue = 'wait',
}: InterruptMenuPanelProps) {
  const [index, setIndex] = useState(0);
  useInput((input, key) => {
    if (key.upArrow) setIndex((i) => (i + choices.length - 1) % choices.length);
    else if (key.downArrow) setIndex((i) => (i + 1) % choices.length);
    else if (key.return) onChoice(choices[index]?.value ?? cancelValue);
    else if (key.escape || (key.ctrl && input === 'c')) onChoice(cancelValue);
  });
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} marginTop={1}>
      <Text bold>{message}</Text>
      {choices.map((choice, i) => (
        <Text key={choice.value} {...(i === index ? { color: 'cyan' } : {})}>
          {i === index ? '❯' : ' '} {choice.label}
        </Text>
      ))}
    </Box>
  );
}
