import { portToken } from './port-token.ts';

/**
 * The SESv2 account calls stackguide makes: whether the account is out of the sandbox in a region, its
 * sending quota, and the production-access request with its review status.
 */
export interface SesV2Port {
  getAccount(): Promise<SesAccount>;
  /** Submits the production-access request (PutAccountDetails with ProductionAccessEnabled: true). */
  requestProductionAccess(request: ProductionAccessRequest): Promise<void>;
}

export type SesMailType = 'MARKETING' | 'TRANSACTIONAL';
export type SesContactLanguage = 'EN' | 'JA';
/** PENDING: AWS is reviewing; GRANTED, DENIED: decided; FAILED: AWS never received it, submit again. */
export type SesReviewStatus = 'PENDING' | 'GRANTED' | 'DENIED' | 'FAILED';

export interface SesAccount {
  productionAccessEnabled: boolean;
  sendingEnabled: boolean;
  /** HEALTHY, PROBATION or SHUTDOWN. */
  enforcementStatus?: string;
  sendQuota: { max24HourSend?: number; maxSendRate?: number; sentLast24Hours?: number };
  /** What was submitted last, and the review of it; absent when nothing was ever submitted. */
  details?: {
    mailType?: SesMailType;
    websiteUrl?: string;
    contactLanguage?: SesContactLanguage;
    useCaseDescription?: string;
    additionalContactEmailAddresses: string[];
    review?: { status?: SesReviewStatus; caseId?: string };
  };
}

export interface ProductionAccessRequest {
  mailType: SesMailType;
  websiteUrl: string;
  useCaseDescription: string;
  additionalContactEmailAddresses: string[];
  contactLanguage: SesContactLanguage;
}

export const sesv2Port = portToken<SesV2Port>(
  'SESv2',
  { getAccount: true, requestProductionAccess: true },
  'AWS_ENDPOINT_URL_SESV2',
);
