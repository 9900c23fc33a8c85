import type { StackDefinition } from '../blueprint-schema.ts';
import {
  asRecord,
  type CheckInput,
  type CheckProblem,
  resourcesOf,
  stackTemplateFiles,
} from './blueprint-check.ts';

// The resource types CloudFormation refuses to create without an IAM capability, and the property
// that gives each a custom name (which needs CAPABILITY_NAMED_IAM instead).
const IAM_TYPES: Readonly<Record<string, string | undefined>> = {
  'AWS::IAM::AccessKey': undefined,
  'AWS::IAM::Group': 'GroupName',
  'AWS::IAM::GroupPolicy': undefined,
  'AWS::IAM::InstanceProfile': 'InstanceProfileName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::IAM::Policy': undefined,
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::RolePolicy': undefined,
  'AWS::IAM::User': 'UserName',
  'AWS::IAM::UserPolicy': undefined,
  'AWS::IAM::UserToGroupAddition': undefined,
};

/**
 * The capabilities each stack's templates (nested ones included: the parent acknowledges for them)
 * need: CAPABILITY_IAM for IAM resources, CAPABILITY_NAMED_IAM when one has a custom name,
 * CAPABILITY_AUTO_EXPAND for a Transform. Without them CloudFormation refuses the change set.
 */
export function capabilityProblems(input: CheckInput): CheckProblem[] {
  const problems: CheckProblem[] = [];
  input.blueprint.stacks.forEach((stack, index) => {
    const files = stackTemplateFiles(input, stack.id);
    const needs = new Map<string, string>();
    for (const { file, document } of files) {
      for (const [logicalId, resource] of resourcesOf(document)) {
        const type = String(resource.Type ?? '');
        if (!(type in IAM_TYPES)) continue;
        const nameKey = IAM_TYPES[type];
        const named = nameKey !== undefined && asRecord(resource.Properties)[nameKey] !== undefined;
        const capability = named ? 'CAPABILITY_NAMED_IAM' : 'CAPABILITY_IAM';
        if (!needs.has(capability))
          needs.set(capability, `${logicalId} (${type}${named ? ` with ${nameKey}` : ''}) in ${file}`);
      }
      if (document.Transform !== undefined && !needs.has('CAPABILITY_AUTO_EXPAND'))
        needs.set('CAPABILITY_AUTO_EXPAND', `the Transform in ${file}`);
    }
    const missing = missingCapabilities(stack, needs);
    for (const [capability, because] of missing)
      problems.push({
        segments: ['stacks', index, 'capabilities'],
        message: `${because} needs ${capability}, which the stack does not have`,
        fix: `Add ${capability} to stacks[${index}].capabilities.`,
      });
  });
  return problems;
}

function missingCapabilities(stack: StackDefinition, needs: Map<string, string>): Array<[string, string]> {
  const has = new Set(stack.capabilities);
  return [...needs].filter(([capability]) => {
    // CAPABILITY_NAMED_IAM acknowledges unnamed IAM resources as well.
    if (capability === 'CAPABILITY_IAM')
      return !has.has('CAPABILITY_IAM') && !has.has('CAPABILITY_NAMED_IAM');
    return !has.has(capability as StackDefinition['capabilities'][number]);
  });
}
