import { z } from 'zod';
import { stepConfigs } from '../steps/step-configs.ts';

/**
 * Blueprint format v1. A vendor writes `blueprint.yaml` once; this schema is the single source of truth
 * for its shape: the loader validates with it, and `npm run schema` writes its JSON Schema to
 * `blueprints/blueprint.schema.json` for editor completion.
 *
 * Growth rules: every section a later capability needs (preparation `steps`, `upgrade`, `decommission`)
 * is an optional top-level key, so blueprints written today stay valid. Unknown keys are rejected
 * (a typo must never be silently ignored), which is why the reserved sections exist already.
 */

const identifier = z
  .string()
  .regex(/^[a-zA-Z][a-zA-Z0-9_]*$/, 'must start with a letter and hold only letters, digits and _');

const questionBase = {
  id: identifier.describe('Key of the answer in the answers file; referenced as {{answers.<id>}}.'),
  prompt: z.string().min(1).describe('The question as the operator reads it.'),
  description: z.string().optional().describe('Help shown under the question and in --help output.'),
  section: z
    .string()
    .optional()
    .describe('Heading the question is asked under (General, Security, ...); shown when it changes.'),
  required: z.boolean().default(true).describe('Whether an answer (or default) must be present.'),
  requires: z
    .array(identifier)
    .optional()
    .describe('Other answers that must be given whenever this one is (e.g. vpc_id needs cidr).'),
  excludes: z
    .array(identifier)
    .optional()
    .describe('Other answers that must be empty when this one is given.'),
};

const stringQuestion = z
  .object({
    ...questionBase,
    type: z.literal('string'),
    default: z.string().optional(),
    pattern: z.string().optional().describe('A JavaScript regular expression the whole answer must match.'),
    patternHint: z.string().optional().describe('Says in words what the pattern allows, for error messages.'),
    minLength: z.number().int().nonnegative().optional(),
    maxLength: z.number().int().positive().optional(),
  })
  .strict();

const numberQuestion = z
  .object({
    ...questionBase,
    type: z.literal('number'),
    default: z.number().optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    integer: z.boolean().default(false),
  })
  .strict();

const booleanQuestion = z
  .object({ ...questionBase, type: z.literal('boolean'), default: z.boolean().optional() })
  .strict();

const choiceQuestion = z
  .object({
    ...questionBase,
    type: z.literal('choice'),
    choices: z
      .array(
        z.union([
          z.string(),
          z
            .object({ value: z.string(), label: z.string().optional(), description: z.string().optional() })
            .strict(),
        ]),
      )
      .min(1),
    default: z.string().optional(),
  })
  .strict();

const cidrQuestion = z
  .object({
    ...questionBase,
    type: z.literal('cidr'),
    default: z.string().optional(),
    minPrefix: z
      .number()
      .int()
      .min(0)
      .max(32)
      .optional()
      .describe('Smallest prefix length allowed (largest network).'),
    maxPrefix: z
      .number()
      .int()
      .min(0)
      .max(32)
      .optional()
      .describe('Largest prefix length allowed (smallest network).'),
  })
  .strict();

const listQuestion = z
  .object({
    ...questionBase,
    type: z.literal('list'),
    default: z.array(z.string()).optional(),
    minItems: z.number().int().nonnegative().optional(),
    maxItems: z.number().int().positive().optional(),
    itemPattern: z.string().optional(),
    patternHint: z.string().optional(),
  })
  .strict();

const cronQuestion = z
  .object({
    ...questionBase,
    type: z.literal('cron'),
    default: z.string().optional(),
  })
  .strict()
  .describe(
    'A five-field Unix cron expression (minute hour day-of-month month day-of-week), evaluated in UTC.',
  );

const secretQuestion = z
  .object({
    ...questionBase,
    type: z.literal('secret'),
    pattern: z.string().optional(),
    patternHint: z.string().optional(),
    minLength: z.number().int().nonnegative().optional(),
  })
  .strict()
  .describe(
    'Typed masked and never written anywhere. Unattended runs read it from the environment variable ' +
      'STACKGUIDE_SECRET_<ID> (id upper-cased).',
  );

export const questionSchema = z.discriminatedUnion('type', [
  stringQuestion,
  numberQuestion,
  booleanQuestion,
  choiceQuestion,
  cidrQuestion,
  listQuestion,
  cronQuestion,
  secretQuestion,
]);

const templateValue = z
  .union([z.string(), z.number(), z.boolean()])
  .describe(
    'A literal, or a string with {{...}} references: {{deployment}}, {{region}}, {{account}}, ' +
      '{{answers.<id>}}, {{stacks.<id>.outputs.<OutputKey>}}.',
  );

const stackSchema = z
  .object({
    id: identifier.describe('Referenced by dependsOn and {{stacks.<id>.outputs.X}}.'),
    name: z
      .string()
      .min(1)
      .describe(
        'CloudFormation stack name; usually built from the deployment name: "{{deployment}}-network".',
      ),
    description: z.string().optional(),
    template: z.string().optional().describe('Path of the template file, relative to the blueprint folder.'),
    templateUrl: z
      .string()
      .optional()
      .describe(
        'An S3 HTTPS URL of the template, for templates too large for a request body or not shipped.',
      ),
    parameters: z.record(z.string(), templateValue).default({}),
    capabilities: z
      .array(z.enum(['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND']))
      .default([]),
    tags: z.record(z.string(), templateValue).default({}),
    dependsOn: z
      .array(identifier)
      .default([])
      .describe('Stacks that must be complete before this one starts.'),
    terminationProtection: z.boolean().default(false),
  })
  .strict();

const deploymentRules = z
  .object({
    pattern: z
      .string()
      .default('^[a-z][a-z0-9-]*[a-z0-9]$')
      .describe('A JavaScript regular expression every deployment name must match.'),
    patternHint: z.string().default('lowercase letters, digits and dashes, starting with a letter'),
    maxLength: z.number().int().positive().max(128).default(32),
    reservedSuffixes: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'Names ending in these (after a dash) are refused: stacks the platform creates itself use them.',
      ),
    default: z.string().optional(),
  })
  .strict();

/** A step as the blueprint lists it: common keys plus its kind's configuration, checked by that kind. */
export interface StepEntry {
  id: string;
  kind: string;
  title?: string | undefined;
  [config: string]: unknown;
}

/** Common keys of every step, then the kind's own configuration. */
function stepSchema(): z.ZodType<StepEntry> {
  const common = {
    id: identifier.describe(
      'Referenced as {{steps.<id>.<output>}} and in the answers file under steps.<id>.',
    ),
    title: z.string().optional().describe('Overrides the step title shown to the operator.'),
  };
  const branches = stepConfigs.map((kind) =>
    z
      .object({ ...common, kind: z.literal(kind.kind) })
      .extend(kind.configSchema.shape)
      .strict()
      .describe(kind.description),
  );
  // A union needs two members; until more kinds exist, an impossible kind keeps the shape valid.
  const placeholder = z.object({ ...common, kind: z.literal('none') }).strict();
  const [first, ...rest] = branches;
  return (
    first ? z.discriminatedUnion('kind', [first, ...rest]) : z.discriminatedUnion('kind', [placeholder])
  ) as z.ZodType<StepEntry>;
}

function upgradeSchema() {
  return z
    .object({
      before: z
        .array(stepSchema())
        .default([])
        .describe(
          'Steps run before any stack is updated, in order: a backup stack first, a least-privilege role, ' +
            '"confirm maintenance mode is on" (a manual step).',
        ),
      order: z
        .array(identifier)
        .optional()
        .describe('Stack ids in update order; default: the blueprint order (dependencies first).'),
      liveChecks: z
        .array(
          z
            .object({
              stack: identifier.describe('The blueprint stack id.'),
              parameter: z.string().describe('The template parameter to compare.'),
              resource: z.string().describe('Logical id of the AWS::RDS::DBInstance in that stack.'),
              property: z
                .enum(['AllocatedStorage', 'MaxAllocatedStorage', 'DBInstanceClass', 'EngineVersion'])
                .describe('What to read from the live database.'),
              reason: z.string().optional().describe('Why they can differ, shown with the warning.'),
            })
            .strict(),
        )
        .default([])
        .describe(
          'Parameters compared with the live resource before the update: e.g. storage that auto-scaled.',
        ),
    })
    .strict();
}

const decommissionSchema = z
  .object({
    order: z
      .array(z.string().min(1))
      .optional()
      .describe(
        'Stacks in deletion order: blueprint stack ids or stack name patterns ("{{deployment}}-cluster") for stacks the ' +
          'platform creates itself. Default: the blueprint stacks in reverse order. Checked against exports and imports.',
      ),
    retain: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'Stacks (ids or name patterns) never deleted, with their resources: e.g. a user pool kept for statistics.',
      ),
    emptyBuckets: z
      .boolean()
      .default(true)
      .describe("Empty the stacks' S3 buckets (every version) so CloudFormation can delete them."),
    emptyRepositories: z
      .boolean()
      .default(true)
      .describe(
        "Delete every image in the stacks' ECR repositories first, so CloudFormation can delete them (it refuses a repository holding images).",
      ),
    deleteTaggedVolumesAndSnapshots: z
      .boolean()
      .default(true)
      .describe(
        'Delete EBS volumes and snapshots tagged with this deployment (stackguide:deployment, or one of platformTags) after the stacks are gone.',
      ),
    platformTags: z
      .record(
        z.string().min(1).max(128),
        z
          .string()
          .min(1)
          .max(256)
          .refine((value) => value.includes('{{deployment}}'), {
            message:
              'must contain {{deployment}}: a value shared by every deployment would let destroy touch another deployment',
          }),
      )
      .default({})
      .describe(
        'Tags the platform itself puts on what it creates outside CloudFormation (EKS volumes and snapshots, say), ' +
          "as key: value template: { osl-stackname: '{{deployment}}' }. Destroy finds, deletes (volumes and snapshots, " +
          're-checked first) and reports them like what carries the deployment tag.',
      ),
    codeCommitRepositories: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'CodeCommit repositories (name patterns) deleted only when the operator opts in: they hold code.',
      ),
    untaggable: z
      .array(z.string().min(1))
      .default([])
      .describe('Names of things the tagging API cannot see, checked by name in the leftovers report.'),
    cautions: z
      .array(z.string().min(1))
      .default([])
      .describe('Warnings shown with the plan, in the words of the guide.'),
  })
  .strict();

export const blueprintSchema = z
  .object({
    $schema: z.string().optional(),
    schemaVersion: z.literal(1).describe('Version of the blueprint format; this is v1.'),
    product: z
      .object({
        id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be lowercase letters, digits and dashes'),
        title: z.string().min(1),
        version: z.string().min(1),
        vendor: z.string().optional(),
        supportUrl: z.string().optional(),
      })
      .strict(),
    deployment: deploymentRules.prefault({}),
    costTag: z
      .object({
        key: z
          .string()
          .min(1)
          .max(128)
          .describe('The cost allocation tag key; its value is the deployment name.'),
      })
      .strict()
      .optional(),
    regions: z
      .array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region code such as us-east-1'))
      .min(1),
    questions: z.array(questionSchema).default([]),
    stacks: z.array(stackSchema).min(1),
    files: z
      .array(
        z
          .object({
            path: z
              .string()
              .min(1)
              .describe('File name written beside the answers file: "qhub-config.yaml".'),
            template: z
              .string()
              .min(1)
              .describe(
                'YAML template in the blueprint folder, with {{...}} references, $forEach, $merge and $when ' +
                  '({ <answer id>: <value> }, or { <answer id>: { given: true } } to leave a key out when the answer is empty).',
              ),
            description: z.string().optional(),
          })
          .strict(),
      )
      .default([])
      .describe(
        'Configuration files the platform reads itself, rendered from the answers (never with secrets).',
      ),
    steps: z
      .array(stepSchema())
      .default([])
      .describe(
        'Preparation steps, run in this order before the stacks: hosted zone, certificate, quotas, SES, ...',
      ),
    afterInstall: z
      .array(
        z
          .object({
            title: z
              .string()
              .min(1)
              .describe('What to do: "Add the cost allocation tag to the EKS cluster".'),
            details: z
              .array(z.string())
              .default([])
              .describe('How, line by line: commands to run or where to click; references are filled in.'),
          })
          .strict(),
      )
      .default([])
      .describe(
        'What stays by hand once the stacks are up (the guide\'s "odds and ends"), shown as a checklist at the end of install.',
      ),
    upgrade: upgradeSchema().prefault({}),
    decommission: decommissionSchema.prefault({}),
  })
  .strict();

export type BlueprintDocument = z.output<typeof blueprintSchema>;
export type Question = z.output<typeof questionSchema>;
export type StackDefinition = BlueprintDocument['stacks'][number];
export type DeploymentRules = BlueprintDocument['deployment'];
