import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { Blueprint } from '../blueprint/load-blueprint.ts';
import { TEMPLATE_OVERRIDE_TAG } from '../deployment-tags.ts';
import { StackguideError } from '../errors.ts';
import { INPUT_LIMITS, readLimitedFile } from '../input-limits.ts';
import { type InstallPlan, resolveParameters } from '../install/install-plan.ts';
import { parseTemplate } from '../stacks/cloudformation-template.ts';
import type { LiveCheckFinding } from './live-checks.ts';

/**
 * How an upgrade's plan differs from an install's: a stack's template replaced by --template, the
 * blueprint's upgrade order, and parameters taken at their live value where a live check says so.
 */
export type TemplateOverride = {
  stackId: string;
  replacement: Partial<InstallPlan['stacks'][number]>;
  /** What the stack's template-override tag and the journal record: the URL, or file name and sha256. */
  label: string;
};

/**
 * `--template` for one stack: a local file (read and checked now, before any AWS call) or a URL (S3 or
 * HTTPS). Undefined without --template.
 */
export async function readTemplateOverride(
  blueprint: Blueprint,
  template: string | undefined,
  stack: string | undefined,
): Promise<TemplateOverride | undefined> {
  if (!template) return undefined;
  const ids = blueprint.stacks.map((s) => s.id);
  const target = stack ?? (ids.length === 1 ? ids[0] : undefined);
  if (!target || !ids.includes(target)) {
    // The headline names what is wrong: a --stack that names no stack, or none given where the
    // blueprint has several.
    throw new StackguideError(
      stack
        ? `--stack ${stack} is not a stack of ${blueprint.product.id}`
        : '--template needs --stack <id> to say which stack it is for',
      {
        code: 'usage.template',
        kind: 'user',
        details: [
          {
            path: '--stack',
            message: stack ? `"${stack}" is not a stack id` : 'not given',
            fix: `Use one of: ${ids.join(', ')}.`,
          },
        ],
        nextSteps: [`Give the blueprint's id of the stack the template is for: --stack ${ids[0] ?? '<id>'}`],
      },
    );
  }
  const url = toTemplateUrl(template);
  if (url) return { stackId: target, replacement: { templateUrl: url }, label: url.slice(0, 256) };
  const body = await readLimitedFile(template, INPUT_LIMITS.templateBytes, 'the template').catch(
    (cause: unknown) => {
      if (cause instanceof StackguideError) throw cause;
      const code = (cause as NodeJS.ErrnoException).code;
      const reason =
        code === 'ENOENT'
          ? 'there is no such file'
          : code === 'EISDIR'
            ? 'it is a folder, not a file'
            : code === 'EACCES' || code === 'EPERM'
              ? 'it may not be read (permissions)'
              : (cause as Error).message;
      throw new StackguideError(`Cannot read the template ${template}: ${reason}`, {
        code: 'usage.template',
        kind: 'user',
        cause,
        nextSteps: [
          'Give --template the path of a CloudFormation template file (YAML or JSON), or its https:// or s3:// URL.',
        ],
      });
    },
  );
  const summary = parseTemplate(body);
  const digest = createHash('sha256').update(body).digest('hex');
  return {
    stackId: target,
    label: `${basename(template)} sha256:${digest.slice(0, 16)}`.slice(0, 256),
    replacement: {
      templateBody: body,
      resourceCount: Object.keys(summary.resources).length,
      templateParameters: Object.keys(summary.parameters),
    },
  };
}

/** The plan with the overridden stack's template replaced. */
export function withTemplateOverride(plan: InstallPlan, override: TemplateOverride | undefined): InstallPlan {
  if (!override) return plan;
  return {
    ...plan,
    stacks: plan.stacks.map((stack) => {
      if (stack.id !== override.stackId) return stack;
      const { templateBody: _body, templateUrl: _url, resourceCount: _count, ...rest } = stack;
      // Recorded on the stack, so an install from any machine sees the override and does not revert it.
      return {
        ...rest,
        ...override.replacement,
        tags: { ...rest.tags, [TEMPLATE_OVERRIDE_TAG]: override.label },
      };
    }),
  };
}

/** `s3://bucket/key` as the HTTPS URL CloudFormation takes; https URLs as they are; else a file path. */
function toTemplateUrl(location: string): string | undefined {
  if (location.startsWith('https://')) return location;
  const s3 = /^s3:\/\/([^/]+)\/(.+)$/.exec(location);
  return s3 ? `https://${s3[1]}.s3.amazonaws.com/${s3[2]}` : undefined;
}

export function orderForUpgrade(plan: InstallPlan, order: readonly string[] | undefined): InstallPlan {
  if (!order) return plan;
  const rank = (id: string): number => (order.includes(id) ? order.indexOf(id) : order.length);
  // The order is a chain: each listed stack waits for the one listed before it (seed 002: the backup
  // stack is upgraded first), on top of what the dependency graph already says.
  const listed = order.filter((id) => plan.stacks.some((stack) => stack.id === id));
  const stacks = [...plan.stacks]
    .sort((a, b) => rank(a.id) - rank(b.id))
    .map((stack) => {
      const previous = listed[listed.indexOf(stack.id) - 1];
      const after = stack.after ?? stack.dependsOn;
      return previous !== undefined && listed.includes(stack.id) && !after.includes(previous)
        ? { ...stack, after: [...after, previous] }
        : stack;
    });
  return { ...plan, stacks };
}

/** Parameters as the upgrade would send them, with earlier stacks' current outputs and the steps' outputs; unresolvable ones left out. */
export function safeParameters(
  plan: InstallPlan,
  stack: InstallPlan['stacks'][number],
  stackOutputs: Record<string, Record<string, string>>,
  stepOutputs: Record<string, Record<string, string>>,
): Record<string, string> {
  // One by one: a parameter built from an output the stack does not publish (a false Condition) must
  // not hide the others.
  const parameters: Record<string, string> = {};
  for (const [key, source] of Object.entries(stack.parameterSources)) {
    try {
      const one = { ...stack, parameterSources: { [key]: source } };
      Object.assign(parameters, resolveParameters(plan, one, { stackOutputs, stepOutputs }));
    } catch {
      // Left out: the live checks compare only what is known.
    }
  }
  return parameters;
}

/** The plan with a live check's finding taken: the parameter set to the value the resource has now. */
export function withLiveValue(plan: InstallPlan, finding: LiveCheckFinding): InstallPlan {
  return {
    ...plan,
    stacks: plan.stacks.map((stack) =>
      stack.id === finding.stackId
        ? { ...stack, parameterSources: { ...stack.parameterSources, [finding.parameter]: finding.live } }
        : stack,
    ),
  };
}
