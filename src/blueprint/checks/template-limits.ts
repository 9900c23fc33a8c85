import { asRecord, type CheckInput, type CheckProblem, stackTemplateFiles } from './blueprint-check.ts';

/** CloudFormation's limits (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html). */
const TEMPLATE_LIMITS = {
  /** A template read from S3. */
  s3Bytes: 1_000_000,
  resources: 500,
  parameters: 200,
  outputs: 200,
  mappings: 200,
} as const;

/**
 * Template size and section counts against CloudFormation's limits, for the top-level templates and the
 * nested ones in the folder, so the vendor learns it from validate, not from a failed change set.
 */
export function templateLimitProblems(input: CheckInput): CheckProblem[] {
  const problems: CheckProblem[] = [];
  for (const stack of input.blueprint.stacks) {
    // Over 51,200 bytes a template is packaged: uploaded to the artifacts bucket and deployed by URL.
    for (const { file, body, document } of stackTemplateFiles(input, stack.id)) {
      const bytes = Buffer.byteLength(body, 'utf8');
      if (bytes > TEMPLATE_LIMITS.s3Bytes)
        problems.push({
          file,
          segments: [],
          message: `the template is ${bytes.toLocaleString('en-US')} bytes, over CloudFormation's limit of ${TEMPLATE_LIMITS.s3Bytes.toLocaleString('en-US')}`,
          fix: 'Split it into nested stacks (AWS::CloudFormation::Stack with TemplateURL: <file in the folder>).',
        });
      for (const [section, limit] of [
        ['Resources', TEMPLATE_LIMITS.resources],
        ['Parameters', TEMPLATE_LIMITS.parameters],
        ['Outputs', TEMPLATE_LIMITS.outputs],
        ['Mappings', TEMPLATE_LIMITS.mappings],
      ] as const) {
        const count = Object.keys(asRecord(document[section])).length;
        if (count > limit)
          problems.push({
            file,
            segments: [section],
            message: `${count} ${section.toLowerCase()}, over CloudFormation's limit of ${limit}`,
            fix: 'Move some of them into a nested stack (AWS::CloudFormation::Stack with TemplateURL: <file in the folder>).',
          });
      }
    }
  }
  return problems;
}
