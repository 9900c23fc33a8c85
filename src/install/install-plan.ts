import type { Blueprint } from '../blueprint/load-blueprint.ts';
import { type AnswerValue, type ReferenceScope, resolveValue } from '../blueprint/references.ts';
import { BLUEPRINT_TAG, BLUEPRINT_VERSION_TAG, DEPLOYMENT_TAG } from '../deployment-tags.ts';
import type { ParameterChange } from '../events.ts';
import { installGraph, prerequisites, refOf } from '../graph/deployment-graph.ts';
import { mask } from '../output/format.ts';
import type { CheckResult, PlannedChange } from '../steps/step.ts';

/**
 * What an install will create, fully decided before anything is created: the review screen shows it,
 * the tasks execute it. Parameters that take an earlier stack's output stay unresolved until that stack
 * is complete (`resolveStackInput`).
 */
/**
 * What the operator decided at the review: go ahead, stop, change the answer to one question, or
 * change the deployment's name or region.
 */
export type ReviewDecision =
  | boolean
  | { change: string }
  | { setting: 'deployment' | 'region' }
  /** A preparation step's inputs, asked again (the SES request, the registry credentials, ...). */
  | { step: string };

export interface InstallPlan {
  blueprintId: string;
  blueprintVersion: string;
  deployment: string;
  region: string;
  account: string;
  answers: Record<string, AnswerValue>;
  /** Question ids whose answers must never be shown or written. */
  secretAnswerIds: string[];
  /**
   * Why the name or the region cannot be changed on the review, when a rule forbids it (this run
   * updates stacks that exist; the steps' answers were given for this region). Absent: changeable.
   */
  fixed?: { deployment?: string; region?: string };
  /** What the run before was doing when it was killed or stopped: the review says it first. */
  lastRun?: string;
  /** Preparation steps in blueprint order, with what each will change (empty when already right). */
  steps: PlannedStep[];
  /** Every preflight check result, passed or not, for the review screen. */
  checks: CheckResult[];
  /**
   * The last change asked for on the review that a required check refused: undone, nothing written,
   * shown on the review with each failure so the operator can change it again (trial finding 20).
   */
  refusedChange?: { label: string; value: string; failures: CheckResult[] };
  /**
   * The preparation steps whose inputs the review can ask again, with what they hold now (never a
   * secret): the SES request, the registry username, a certificate's files, a manual step's answer.
   */
  stepInputs?: Array<{ id: string; title: string; value: string }>;
  stacks: PlannedStack[];
  /**
   * Step outputs the answers already give before anything runs (a manual step's typed URL): the review
   * shows them in the parameters that take them. Never a secret.
   */
  stepOutputs?: Record<string, Record<string, string>>;
}

export interface PlannedStack {
  id: string;
  name: string;
  description?: string;
  templateBody?: string;
  templateUrl?: string;
  /** The body uploaded to templateUrl when stackguide packaged it: an unchanged stack is told without a fetch. */
  packagedBody?: string;
  /** Parameter values as written in the blueprint, `{{...}}` and all. */
  parameterSources: Record<string, string | number | boolean>;
  capabilities: string[];
  tags: Record<string, string>;
  dependsOn: string[];
  /**
   * Every stack of the plan it waits for (dependsOn, outputs taken, exports imported): the dependency
   * graph's edges. Absent in plans made without the graph: then its dependsOn.
   */
  after?: string[];
  terminationProtection: boolean;
  /** Resources in the template, for progress (n of total); undefined for templates fetched by URL. */
  resourceCount?: number;
  /** Every parameter the template declares. */
  templateParameters?: string[];
  /** The template's resource types, one per resource, for the ETA until the change set says what changes. */
  resourceTypes?: string[];
  /**
   * The parameters the stack holds now, when it exists (NoEcho ones as CloudFormation shows them, ****):
   * the review shows each that changes as deployed → new.
   */
  deployedParameters?: Record<string, string>;
  /** An upgrade's parameters of this stack that change, deployed → new: its change set's review lists them. */
  parameterChanges?: ParameterChange[];
}

export interface PlannedStep {
  id: string;
  kind: string;
  title: string;
  changes: PlannedChange[];
}

/** The tag every stack of a deployment carries; destroy and the leftovers report rely on it. */

export function buildInstallPlan(
  blueprint: Blueprint,
  choices: { deployment: string; region: string; account: string; answers: Record<string, AnswerValue> },
  preparation: { steps: PlannedStep[]; checks: CheckResult[] } = { steps: [], checks: [] },
): InstallPlan {
  const { deployment, region, account } = choices;
  // An optional question left unanswered reads as an empty string wherever it is referenced, which
  // is how CloudFormation templates test "not given" (a condition on !Equals [!Ref X, ""]).
  const answers = planAnswers(blueprint, choices.answers);
  const scope: ReferenceScope = { deployment, region, account, answers, stackOutputs: {} };
  const waits = prerequisites(installGraph(blueprint, blueprint.templates));
  const stacks = blueprint.stacks.map((stack, index): PlannedStack => {
    const at = `stacks[${index}]`;
    const template = blueprint.templates[stack.id];
    const tags: Record<string, string> = {};
    for (const [key, value] of Object.entries(stack.tags))
      tags[key] = resolveValue(value, scope, `${at}.tags.${key}`);
    // stackguide's own tags come last so a blueprint cannot override them.
    if (blueprint.costTag) tags[blueprint.costTag.key] = choices.deployment;
    tags[DEPLOYMENT_TAG] = choices.deployment;
    tags[BLUEPRINT_TAG] = blueprint.product.id;
    tags[BLUEPRINT_VERSION_TAG] = blueprint.product.version.slice(0, 256);
    return {
      id: stack.id,
      name: resolveValue(stack.name, scope, `${at}.name`),
      parameterSources: stack.parameters,
      capabilities: stack.capabilities,
      tags,
      dependsOn: stack.dependsOn,
      after: (waits.get(`stacks.${stack.id}`) ?? []).filter((id) => id.startsWith('stacks.')).map(refOf),
      terminationProtection: stack.terminationProtection,
      ...(stack.description ? { description: stack.description } : {}),
      ...(template
        ? {
            templateBody: template.body,
            resourceCount: Object.keys(template.summary.resources).length,
            resourceTypes: Object.values(template.summary.resources).map((resource) => resource.type),
            templateParameters: Object.keys(template.summary.parameters),
          }
        : {}),
      ...(stack.templateUrl
        ? { templateUrl: resolveValue(stack.templateUrl, scope, `${at}.templateUrl`) }
        : {}),
    };
  });
  return {
    blueprintId: blueprint.product.id,
    blueprintVersion: blueprint.product.version,
    deployment: choices.deployment,
    region: choices.region,
    account: choices.account,
    answers,
    secretAnswerIds: blueprint.questions.filter((q) => q.type === 'secret').map((q) => q.id),
    steps: preparation.steps,
    checks: preparation.checks,
    stacks,
  };
}

/** Resolves a stack's parameters once the stacks it depends on have produced their outputs. */
export function resolveParameters(
  plan: InstallPlan,
  stack: PlannedStack,
  outputs: Pick<ReferenceScope, 'stackOutputs' | 'stepOutputs'>,
): Record<string, string> {
  const scope = planScope(plan, outputs);
  return Object.fromEntries(
    Object.entries(stack.parameterSources).map(([key, value]) => [
      key,
      resolveValue(value, scope, `stack ${stack.id} parameter ${key}`),
    ]),
  );
}

/** True when a parameter is filled from a secret answer: its value is never shown or compared. */
export function takesSecret(
  plan: Pick<InstallPlan, 'secretAnswerIds'>,
  source: string | number | boolean,
): boolean {
  return typeof source === 'string' && plan.secretAnswerIds.some((id) => source.includes(`answers.${id}`));
}

/** How a parameter reads on the review screen: secrets masked, pending outputs explained. */
function describeParameter(plan: InstallPlan, source: string | number | boolean): string {
  if (typeof source !== 'string') return String(source);
  if (takesSecret(plan, source)) return '******** (secret)';
  try {
    return resolveValue(source, planScope(plan, { stackOutputs: {} }), 'review');
  } catch {
    // Named as the operator knows them: the stack by its name, the step by its title as every other
    // row names it; a step output the answers already give (a URL typed at a manual step) is shown as
    // it is (trial finding 77).
    const stackName = (id: string) => plan.stacks.find((stack) => stack.id === id)?.name ?? `stack ${id}`;
    const stepTitle = (id: string) => plan.steps.find((step) => step.id === id)?.title ?? `step ${id}`;
    return source
      .replace(
        /\{\{\s*stacks\.(\w+)\.outputs\.(\w+)\s*\}\}/g,
        (_, id: string, key: string) => `<output ${key} of ${stackName(id)}>`,
      )
      .replace(
        /\{\{\s*steps\.(\w+)\.(\w+)\s*\}\}/g,
        (_, id: string, key: string) => plan.stepOutputs?.[id]?.[key] ?? `<${key} from ${stepTitle(id)}>`,
      );
  }
}

/**
 * The review's question, from what the plan knows of each stack (a stack that exists has its deployed
 * parameters read): "Create these 2 stacks?", "Update these 2 stacks?", "Create 1 and update 2 stacks?".
 */
export function stacksQuestion(stacks: readonly PlannedStack[]): string {
  const updated = stacks.filter((stack) => stack.deployedParameters !== undefined).length;
  const created = stacks.length - updated;
  const noun = (count: number) => (count === 1 ? 'stack' : 'stacks');
  if (updated === 0) return created === 1 ? 'Create this stack?' : `Create these ${created} stacks?`;
  if (created === 0) return updated === 1 ? 'Update this stack?' : `Update these ${updated} stacks?`;
  return `Create ${created} and update ${updated} ${noun(updated)}?`;
}

/** True when every stack of the plan exists: the run updates the deployment, it installs nothing new. */
export function updatesOnly(stacks: readonly PlannedStack[]): boolean {
  return stacks.length > 0 && stacks.every((stack) => stack.deployedParameters !== undefined);
}

/** What DescribeStacks shows for a NoEcho parameter's value. */
export const NO_ECHO_VALUE = '****';

/**
 * A parameter's review line: `Key = value`, or `Key: deployed → new` when the stack exists and holds
 * another value, so a re-install shows what it changes. Never for a secret or a NoEcho value (the
 * stack shows those as ****), nor for a value that waits on another stack's output.
 */
export function parameterLine(
  plan: InstallPlan,
  stack: PlannedStack,
  key: string,
  source: string | number | boolean,
): string {
  const value = describeParameter(plan, source);
  const deployed = stack.deployedParameters?.[key];
  const known = typeof source !== 'string' || !/\{\{\s*(stacks|steps)\./.test(source);
  if (deployed === undefined || deployed === NO_ECHO_VALUE || takesSecret(plan, source) || !known)
    return `${key} = ${value}`;
  return deployed === value ? `${key} = ${value}` : `${key}: ${deployed} → ${value}`;
}

function planScope(
  plan: InstallPlan,
  outputs: Pick<ReferenceScope, 'stackOutputs' | 'stepOutputs'>,
): ReferenceScope {
  return {
    deployment: plan.deployment,
    region: plan.region,
    account: plan.account,
    answers: plan.answers,
    ...outputs,
  };
}

/** Answers with every optional question left unanswered read as an empty string. */
export function planAnswers(
  blueprint: Blueprint,
  answers: Record<string, AnswerValue>,
): Record<string, AnswerValue> {
  return {
    ...Object.fromEntries(blueprint.questions.filter((q) => !q.required).map((q) => [q.id, ''])),
    ...answers,
  };
}

/** The values of the plan's secret answers: what no shown or written output may hold. */
export function secretValues(plan: Pick<InstallPlan, 'secretAnswerIds' | 'answers'>): string[] {
  return plan.secretAnswerIds.flatMap((id) => {
    const value = plan.answers[id];
    return value === undefined || value === '' ? [] : [String(value)];
  });
}

/**
 * Stack outputs as they may be shown (events, the summary): a template can echo a secret parameter
 * into an output (`!Sub postgres://admin:${DbPassword}@...`), and CloudFormation returns it in clear.
 * Such a value is replaced by the fixed mask; later stacks still receive the real one.
 */
export function shownOutputs(
  outputs: Readonly<Record<string, string>>,
  secrets: readonly string[],
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(outputs).map(([key, value]) => [
      key,
      secrets.some((secret) => value.includes(secret)) ? mask(value) : value,
    ]),
  );
}
