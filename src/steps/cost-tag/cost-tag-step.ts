import type { CostAllocationTag } from '../../aws/cost-explorer-port.ts';
import { costExplorerPort } from '../../aws/cost-explorer-port.ts';
import type { OrganizationInfo } from '../../aws/organizations-port.ts';
import { organizationsPort } from '../../aws/organizations-port.ts';
import { StackguideError } from '../../errors.ts';
import { type CheckResult, defineStep, type PlannedChange, type StepContext } from '../step.ts';
import { type CostTagConfig, costTagConfig } from './cost-tag-config.ts';

/**
 * The cost allocation tag (seed 001, "Create an AWS Cost Allocation Tag"): the install plan puts the
 * blueprint's `costTag.key` = deployment name on every stack, but Billing reports by it only once the
 * key is activated, and only the payer can do that: the organization's management account, or a
 * standalone account (which pays its own bill). Here the step activates it through Cost Explorer; in a
 * member account it says who must. Billing lists a key only after it has been used on a resource
 * (about 24 hours after the first stack), so "not seen yet" is expected on a first install and never
 * blocks: a later install or status run activates it.
 */

/** Who pays, from Organizations against the caller's account. */
type Payer =
  | { kind: 'standalone'; account: string }
  | { kind: 'management'; account: string; organization: OrganizationInfo }
  | { kind: 'member'; account: string; organization: OrganizationInfo }
  | { kind: 'unknown'; account: string; reason: string };

type Activation = 'active' | 'inactive' | 'not-seen';

const CONSOLE = 'https://us-east-1.console.aws.amazon.com/billing/home#/tags';

export const costTagStep = defineStep({
  ...costTagConfig,

  async check(context, config): Promise<CheckResult[]> {
    const payer = await findPayer(context);
    const results = [payerResult(context, config, payer)];
    if (payer.kind === 'standalone' || payer.kind === 'management') {
      const tag = await findTag(context, config);
      results.push(activationResult(context, config, activationOf(tag), tag));
    }
    return results;
  },

  async plan(context, config): Promise<PlannedChange[]> {
    const payer = await findPayer(context);
    if (payer.kind !== 'standalone' && payer.kind !== 'management') {
      return [
        {
          step: context.stepId,
          action: 'manual',
          resource: `cost allocation tag ${config.tagKey}`,
          detail: whoMustActivate(config, payer),
        },
      ];
    }
    const activation = activationOf(await findTag(context, config));
    if (activation !== 'inactive') return [];
    return [
      {
        step: context.stepId,
        action: 'update',
        resource: `cost allocation tag ${config.tagKey}`,
        detail: 'activate it in Billing (Cost Explorer UpdateCostAllocationTagsStatus)',
      },
    ];
  },

  async apply(context, config) {
    const payer = await findPayer(context);
    if (payer.kind !== 'standalone' && payer.kind !== 'management') {
      progress(context, whoMustActivate(config, payer), payerFacts(payer));
      context.pending?.(
        `${payerName(payer)} to activate the cost allocation tag key "${config.tagKey}" in Billing (${CONSOLE})`,
      );
      return { tagKey: config.tagKey, activation: 'needs-management-account' };
    }
    const tag = await findTag(context, config);
    const activation = activationOf(tag);
    if (activation === 'active') {
      progress(context, `The cost allocation tag ${config.tagKey} is active`, payerFacts(payer));
      return { tagKey: config.tagKey, activation: 'active' };
    }
    if (activation === 'not-seen') {
      progress(context, notSeenText(config), payerFacts(payer));
      context.pending?.(
        `Billing to list the tag key ${config.tagKey}, about 24 hours after the first stack carries it; then run stackguide install again to activate it`,
      );
      return { tagKey: config.tagKey, activation: 'not-seen' };
    }
    progress(context, `Activating the cost allocation tag ${config.tagKey}`, payerFacts(payer));
    const errors = await context.aws
      .use(costExplorerPort)
      .setCostAllocationTagStatus([{ tagKey: config.tagKey, status: 'Active' }]);
    if (errors.length > 0) {
      const [first] = errors;
      throw new StackguideError(
        `Billing did not activate the cost allocation tag ${config.tagKey}: ${first?.code}: ${first?.message}`,
        {
          code: 'step.cost-tag.activation-failed',
          kind: 'aws',
          nextSteps: [`Activate it in the console (${CONSOLE}), then run stackguide install again.`],
        },
      );
    }
    progress(context, `Activated the cost allocation tag ${config.tagKey}`, payerFacts(payer));
    return { tagKey: config.tagKey, activation: 'active' };
  },
});

async function findPayer(context: StepContext): Promise<Payer> {
  const account = context.account || (await context.aws.identity.whoAmI()).account;
  let organization: OrganizationInfo | undefined;
  try {
    organization = await context.aws.use(organizationsPort).describeOrganization();
  } catch (error) {
    // A role without organizations:DescribeOrganization: say so rather than guess.
    if (error instanceof StackguideError && error.code === 'aws.access-denied')
      return { kind: 'unknown', account, reason: error.message };
    throw error;
  }
  if (!organization) return { kind: 'standalone', account };
  return organization.managementAccountId === account
    ? { kind: 'management', account, organization }
    : { kind: 'member', account, organization };
}

async function findTag(context: StepContext, config: CostTagConfig): Promise<CostAllocationTag | undefined> {
  const tags = await context.aws.use(costExplorerPort).listCostAllocationTags([config.tagKey]);
  return tags.find((tag) => tag.tagKey === config.tagKey);
}

function activationOf(tag: CostAllocationTag | undefined): Activation {
  if (!tag) return 'not-seen';
  return tag.status === 'Active' ? 'active' : 'inactive';
}

function payerResult(context: StepContext, config: CostTagConfig, payer: Payer): CheckResult {
  const base = {
    id: `${context.stepId}.account`,
    step: context.stepId,
    title: `Who can activate the cost allocation tag ${config.tagKey}`,
    required: false,
    facts: payerFacts(payer),
  };
  switch (payer.kind) {
    case 'standalone':
      return {
        ...base,
        status: 'pass',
        summary: `this account (${payer.account}) is in no organization and pays its own bill: stackguide activates the tag here`,
      };
    case 'management':
      return {
        ...base,
        status: 'pass',
        summary: `this account (${payer.account}) is the management account of ${payer.organization.id}: stackguide activates the tag here`,
      };
    case 'member':
      return {
        ...base,
        status: 'warn',
        summary: `this account (${payer.account}) is a member of ${payer.organization.id}; only its management account ${payer.organization.managementAccountId} can activate cost allocation tags`,
        fix: whoMustActivate(config, payer),
      };
    case 'unknown':
      return {
        ...base,
        status: 'warn',
        summary: `could not tell whether this account pays its own bill: ${payer.reason}`,
        fix: `Allow organizations:DescribeOrganization to this role, or ${whoMustActivate(config, payer)}`,
      };
  }
}

function activationResult(
  context: StepContext,
  config: CostTagConfig,
  activation: Activation,
  tag: CostAllocationTag | undefined,
): CheckResult {
  const base = {
    id: `${context.stepId}.activation`,
    step: context.stepId,
    title: `Cost allocation tag ${config.tagKey} active in Billing`,
    required: false,
    facts: {
      tagKey: config.tagKey,
      activation,
      ...(tag?.lastUsedDate ? { lastUsedDate: tag.lastUsedDate } : {}),
      ...(tag?.lastUpdatedDate ? { lastUpdatedDate: tag.lastUpdatedDate } : {}),
    },
  };
  switch (activation) {
    case 'active':
      return { ...base, status: 'pass', summary: 'active' };
    case 'inactive':
      return {
        ...base,
        status: 'warn',
        summary: 'seen on resources but not active: install activates it',
        plannedByInstall: true,
        fix: `Run stackguide install, which activates it, or: aws ce update-cost-allocation-tags-status --cost-allocation-tags-status TagKey=${config.tagKey},Status=Active`,
      };
    case 'not-seen':
      return {
        ...base,
        status: 'warn',
        summary: 'not listed by Billing yet',
        fix: notSeenText(config),
      };
  }
}

/** Who pays for an account that cannot activate tags itself. */
function payerName(payer: Payer): string {
  return payer.kind === 'member'
    ? `the management account ${payer.organization.managementAccountId}${payer.organization.managementAccountEmail ? ` (${payer.organization.managementAccountEmail})` : ''}`
    : "your organization's management account";
}

function whoMustActivate(config: CostTagConfig, payer: Payer): string {
  const who = payerName(payer);
  return (
    `Ask an administrator of ${who} to activate the cost allocation tag key "${config.tagKey}" in Billing, ` +
    `Cost allocation tags (${CONSOLE}), or to run there: aws ce update-cost-allocation-tags-status ` +
    `--cost-allocation-tags-status TagKey=${config.tagKey},Status=Active. The key is listed only after it has ` +
    'been used on a resource, about 24 hours after the first stack; stackguide puts it on every stack.'
  );
}

function notSeenText(config: CostTagConfig): string {
  return (
    `Billing lists the tag key ${config.tagKey} only after it has been used on a resource, about 24 hours ` +
    'after the first stack is created (stackguide tags every stack with it). Run stackguide install ' +
    'again after that: it activates the key then.'
  );
}

function payerFacts(payer: Payer): Record<string, unknown> {
  return {
    payer: payer.kind,
    account: payer.account,
    ...('organization' in payer
      ? {
          organizationId: payer.organization.id,
          managementAccountId: payer.organization.managementAccountId,
        }
      : {}),
  };
}

function progress(context: StepContext, message: string, facts: Record<string, unknown>): void {
  context.emit({ type: 'step.progress', step: context.stepId, message, facts });
}
