import { portToken } from './port-token.ts';

/**
 * The ACM calls stackguide makes: certificates requested with DNS or email validation, imported from
 * PEM files, or given as a pre-validated ARN, and read back for status. `acm-adapter.ts` maps it onto
 * the SDK and is the only place SDK command classes appear.
 */
export interface AcmPort {
  /** The new certificate's ARN; a retry with the same idempotency token (within an hour) returns it again. */
  requestCertificate(input: RequestCertificateInput): Promise<string>;
  /** undefined when there is no such certificate (in this region). */
  describeCertificate(arn: string): Promise<CertificateDetail | undefined>;
  /**
   * The certificate's ARN. With `certificateArn`, re-imports into that certificate (how an imported
   * certificate is renewed, keeping its ARN); ACM takes no tags then.
   */
  importCertificate(input: ImportCertificateInput): Promise<string>;
  resendValidationEmail(input: { arn: string; domain: string; validationDomain: string }): Promise<void>;
  /** Every certificate of the region, whatever its key type and status. */
  listCertificates(): Promise<CertificateSummary[]>;
  listTagsForCertificate(arn: string): Promise<Record<string, string>>;
  /** false when the certificate was already gone. */
  deleteCertificate(arn: string): Promise<boolean>;
}

export interface RequestCertificateInput {
  domainName: string;
  subjectAlternativeNames: readonly string[];
  validationMethod: 'DNS' | 'EMAIL';
  /** For email validation: the domain whose five administrative addresses get the approval mail. */
  validationDomain?: string;
  /** Letters, digits and `_`, at most 32. */
  idempotencyToken: string;
  tags: Readonly<Record<string, string>>;
}

export interface ImportCertificateInput {
  certificate: string;
  /** Passed to ACM and nowhere else: never logged, emitted or saved. */
  privateKey: string;
  chain?: string;
  certificateArn?: string;
  tags: Readonly<Record<string, string>>;
}

export interface CertificateSummary {
  arn: string;
  domainName: string;
  status: string;
  type: string;
}

export interface DomainValidation {
  domainName: string;
  validationDomain: string | null;
  /** PENDING_VALIDATION, SUCCESS or FAILED; null when ACM has not said yet. */
  validationStatus: string | null;
  validationMethod: string | null;
  /** The CNAME to create for DNS validation, once ACM has made it up. */
  resourceRecord: { name: string; type: string; value: string } | null;
  /** Where the approval mail went, for email validation. */
  validationEmails: string[];
}

export interface CertificateDetail {
  arn: string;
  domainName: string;
  subjectAlternativeNames: string[];
  /** PENDING_VALIDATION, ISSUED, INACTIVE, EXPIRED, VALIDATION_TIMED_OUT, REVOKED or FAILED. */
  status: string;
  /** AMAZON_ISSUED, IMPORTED or PRIVATE. */
  type: string;
  failureReason: string | null;
  createdAt: Date | null;
  importedAt: Date | null;
  notBefore: Date | null;
  notAfter: Date | null;
  /** ELIGIBLE or INELIGIBLE. */
  renewalEligibility: string | null;
  /** Managed renewal's state when one is under way: PENDING_AUTO_RENEWAL, PENDING_VALIDATION, SUCCESS, FAILED. */
  renewalStatus: string | null;
  inUseBy: string[];
  serial: string | null;
  domainValidations: DomainValidation[];
}

export const acmPort = portToken<AcmPort>(
  'ACM',
  {
    requestCertificate: true,
    describeCertificate: true,
    importCertificate: true,
    resendValidationEmail: true,
    listCertificates: true,
    listTagsForCertificate: true,
    deleteCertificate: true,
  },
  'AWS_ENDPOINT_URL_ACM',
);
