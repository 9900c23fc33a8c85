import type { SesAccount, SesV2Port } from '../../aws/sesv2-port.ts';
import { sesv2Port } from '../../aws/sesv2-port.ts';
import type { StepContext } from '../step.ts';
import type { SesInputs } from './request.ts';
import type { SesConfig } from './ses-config.ts';

/**
 * Where SES production access stands in each region the step covers, read through the SESv2 port (one
 * client per region: access is granted per region), and when a request would be submitted.
 */

/** Where a region stands, from GetAccount. */
export type AccessState = 'production' | 'pending' | 'granted' | 'denied' | 'failed' | 'sandbox';

export interface RegionAccount {
  region: string;
  account: SesAccount;
  state: AccessState;
  caseId?: string;
}

export function regionsOf(context: StepContext, config: SesConfig): string[] {
  return config.regions ?? [context.region];
}

/** SES production access is per region: a region other than the deployment's gets its own client. */
export function portIn(context: StepContext, region: string): SesV2Port {
  return context.aws.use(sesv2Port, { region });
}

export async function readAccounts(context: StepContext, config: SesConfig): Promise<RegionAccount[]> {
  return Promise.all(
    regionsOf(context, config).map(async (region) =>
      toRegionAccount(region, await portIn(context, region).getAccount()),
    ),
  );
}

export function toRegionAccount(region: string, account: SesAccount): RegionAccount {
  const review = account.details?.review;
  const state: AccessState = account.productionAccessEnabled
    ? 'production'
    : review?.status === 'PENDING'
      ? 'pending'
      : review?.status === 'GRANTED'
        ? 'granted'
        : review?.status === 'DENIED'
          ? 'denied'
          : review?.status === 'FAILED'
            ? 'failed'
            : 'sandbox';
  return { region, account, state, ...(review?.caseId ? { caseId: review.caseId } : {}) };
}

/** Only where nothing is under review or decided; after a denial only when the operator chose to. */
export function willSubmit(entry: RegionAccount, inputs: SesInputs): boolean {
  if (!inputs.request) return false;
  return (
    entry.state === 'sandbox' ||
    entry.state === 'failed' ||
    (entry.state === 'denied' && inputs.resubmit === true)
  );
}

export function outputStatus(state: AccessState): string {
  return state === 'sandbox' ? 'none' : state;
}
