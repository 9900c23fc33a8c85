import { Box, Text, useInput } from 'ink';
import type { InstallPlan } from '../src/install/install-plan.ts';
import { describeParameter } from '../src/install/install-plan.ts';
import { mask } from '../src/output/format.ts';

export interface ReviewScreenProps {
  plan: InstallPlan;
  onDecision: (proceed: boolean) => void;
}

/** Everything the install will create, before anything is created. y goes ahead; n, Esc or Ctrl+C stop. */
export function ReviewScreen({ plan, onDecision }: ReviewScreenProps) {
  useInput((input, key) => {
    if (input === 'y' || input === 'Y') onDecision(true);
    else if (input === 'n' || input === 'N' || key.escape || (key.ctrl && input === 'c')) onDecision(false);
  });
  const iamStacks = plan.stacks.filter((stack) => stack.capabilities.length > 0);
  return (
    <Box flexDirection="column">
      <Text bold>Review</Text>
      <Text>
        {plan.blueprintId} {plan.blueprintVersion} as deployment <Text bold>{plan.deployment}</Text> in
        account {plan.account}, {plan.region}
      </Text>
      <Box flexDirection="column" marginTop={1}>
        <Text bold>Answers</Text>
        {Object.entries(plan.answers).map(([id, value]) => (
          <Text key={id}>
            {'  '}
            {id}:{' '}
            {value === '' || (Array.isArray(value) && value.length === 0) ? (
              <Text dimColor>(not set)</Text>
            ) : plan.secretAnswerIds.includes(id) ? (
              mask(String(value))
            ) : Array.isArray(value) ? (
              value.join(', ')
            ) : (
              String(value)
            )}
          </Text>
        ))}
      </Box>
      {plan.steps.length > 0 && (
        <Box flexDirection="column" marginTop={1}>
          <Text bold>Preparation, in order</Text>
          {plan.steps.map((step) => (
            <Box key={step.id} flexDirection="column">
              <Text>
                {'  '}
                {step.title}
                {step.changes.length === 0 ? <Text dimColor> (already right: nothing to change)</Text> : ''}
              </Text>
              {step.changes.map((change) => (
                <Text key={`${change.action}:${change.resource}`} dimColor>
                  {'     '}
                  {change.action} {change.resource}
                  {change.detail ? `: ${change.detail}` : ''}
                </Text>
              ))}
            </Box>
          ))}
          {plan.checks
            .filter((check) => check.status !== 'pass')
            .map((check) => (
              <Text key={check.id} color="yellow">
                {'  '}⚠ {check.title}: {check.summary}
                {check.fix ? ` (${check.fix})` : ''}
              </Text>
            ))}
          <Text dimColor>
            {'  '}
            {plan.checks.filter((check) => check.status === 'pass').length} of {plan.checks.length} checks
            passed
          </Text>
        </Box>
      )}
      <Box flexDirection="column" marginTop={1}>
        <Text bold>Stacks to create or update, in order</Text>
        {plan.stacks.map((stack, index) => (
          <Box key={stack.id} flexDirection="column">
            <Text>
              {'  '}
              {index + 1}. <Text bold>{stack.name}</Text>
              {stack.resourceCount !== undefined ? ` (${stack.resourceCount} resources)` : ''}
              {stack.dependsOn.length > 0 ? ` after ${stack.dependsOn.join(', ')}` : ''}
            </Text>
            {Object.entries(stack.parameterSources).map(([key, source]) => (
              <Text key={key} dimColor>
                {'       '}
                {key} = {describeParameter(plan, source)}
              </Text>
            ))}
          </Box>
        ))}
        <Text dimColor>
          {'  '}Tags on every stack: {commonTags(plan).join(', ')}
        </Text>
      </Box>
      {iamStacks.length > 0 && (
        <Box marginTop={1} flexDirection="column">
          <Text color="yellow">
            ⚠ {iamStacks.map((stack) => stack.name).join(', ')} create IAM resources (
            {[...new Set(iamStacks.flatMap((s) => s.capabilities))].join(', ')}).
          </Text>
          <Text color="yellow">
            {'  '}Answering y acknowledges that, as the console's "I acknowledge" box does.
          </Text>
        </Box>
      )}
      <Box marginTop={1}>
        <Text>
          Create these {plan.stacks.length} stacks? <Text bold>y</Text> to go ahead, <Text bold>n</Text> to
          stop
        </Text>
      </Box>
    </Box>
  );
}

/** Tags that every stack carries with the same value (the deployment and cost tags among them). */
function commonTags(plan: InstallPlan): string[] {
  const [first, ...rest] = plan.stacks;
  return Object.entries(first?.tags ?? {})
    .filter(([key, value]) => rest.every((stack) => stack.tags[key] === value))
    .map(([key, value]) => `${key}=${value}`);
}
