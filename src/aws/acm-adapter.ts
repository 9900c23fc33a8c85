import {
  ACMClient,
  DeleteCertificateCommand,
  DescribeCertificateCommand,
  ImportCertificateCommand,
  type KeyAlgorithm,
  ListTagsForCertificateCommand,
  paginateListCertificates,
  RequestCertificateCommand,
  ResendValidationEmailCommand,
} from '@aws-sdk/client-acm';
import type { AcmPort, CertificateSummary } from './acm-port.ts';
import type { PortAdapter } from './port-token.ts';

/**
 * ListCertificates shows only RSA_2048 certificates unless asked for other key types
 * (https://docs.aws.amazon.com/acm/latest/APIReference/API_ListCertificates.html), so a platform's
 * certificate with an ECDSA key would look missing.
 */
const ALL_KEY_TYPES: KeyAlgorithm[] = [
  'RSA_1024',
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'EC_prime256v1',
  'EC_secp384r1',
  'EC_secp521r1',
];

/** AcmPort over the AWS SDK. Error mapping happens one level up, in aws-context.ts. */
export const acmAdapter: PortAdapter<AcmPort> = {
  create: (config) => {
    const client = new ACMClient(config);
    return {
      async requestCertificate(input) {
        const response = await client.send(
          new RequestCertificateCommand({
            DomainName: input.domainName,
            ...(input.subjectAlternativeNames.length > 0
              ? { SubjectAlternativeNames: [...input.subjectAlternativeNames] }
              : {}),
            ValidationMethod: input.validationMethod,
            IdempotencyToken: input.idempotencyToken,
            ...(input.validationDomain
              ? {
                  DomainValidationOptions: [input.domainName, ...input.subjectAlternativeNames].map(
                    (DomainName) => ({ DomainName, ValidationDomain: input.validationDomain }),
                  ),
                }
              : {}),
            Tags: Object.entries(input.tags).map(([Key, Value]) => ({ Key, Value })),
          }),
        );
        return response.CertificateArn ?? '';
      },

      async describeCertificate(arn) {
        try {
          const response = await client.send(new DescribeCertificateCommand({ CertificateArn: arn }));
          const certificate = response.Certificate;
          if (!certificate) return undefined;
          return {
            arn: certificate.CertificateArn ?? arn,
            domainName: certificate.DomainName ?? '',
            subjectAlternativeNames: certificate.SubjectAlternativeNames ?? [],
            status: certificate.Status ?? 'UNKNOWN',
            type: certificate.Type ?? 'UNKNOWN',
            failureReason: certificate.FailureReason ?? null,
            createdAt: certificate.CreatedAt ?? null,
            importedAt: certificate.ImportedAt ?? null,
            notBefore: certificate.NotBefore ?? null,
            notAfter: certificate.NotAfter ?? null,
            renewalEligibility: certificate.RenewalEligibility ?? null,
            renewalStatus: certificate.RenewalSummary?.RenewalStatus ?? null,
            inUseBy: certificate.InUseBy ?? [],
            serial: certificate.Serial ?? null,
            domainValidations: (certificate.DomainValidationOptions ?? []).map((option) => ({
              domainName: option.DomainName ?? '',
              validationDomain: option.ValidationDomain ?? null,
              validationStatus: option.ValidationStatus ?? null,
              validationMethod: option.ValidationMethod ?? null,
              resourceRecord:
                option.ResourceRecord?.Name && option.ResourceRecord.Value
                  ? {
                      name: option.ResourceRecord.Name,
                      type: option.ResourceRecord.Type ?? 'CNAME',
                      value: option.ResourceRecord.Value,
                    }
                  : null,
              validationEmails: option.ValidationEmails ?? [],
            })),
          };
        } catch (error) {
          if ((error as { name?: string }).name === 'ResourceNotFoundException') return undefined;
          throw error;
        }
      },

      async importCertificate(input) {
        const encoder = new TextEncoder();
        const response = await client.send(
          new ImportCertificateCommand({
            Certificate: encoder.encode(input.certificate),
            PrivateKey: encoder.encode(input.privateKey),
            ...(input.chain ? { CertificateChain: encoder.encode(input.chain) } : {}),
            ...(input.certificateArn
              ? { CertificateArn: input.certificateArn }
              : { Tags: Object.entries(input.tags).map(([Key, Value]) => ({ Key, Value })) }),
          }),
        );
        return response.CertificateArn ?? '';
      },

      async resendValidationEmail(input) {
        await client.send(
          new ResendValidationEmailCommand({
            CertificateArn: input.arn,
            Domain: input.domain,
            ValidationDomain: input.validationDomain,
          }),
        );
      },

      async listCertificates() {
        const certificates: CertificateSummary[] = [];
        for await (const page of paginateListCertificates(
          { client },
          { Includes: { keyTypes: ALL_KEY_TYPES } },
        )) {
          for (const summary of page.CertificateSummaryList ?? []) {
            if (!summary.CertificateArn) continue;
            certificates.push({
              arn: summary.CertificateArn,
              domainName: summary.DomainName ?? '',
              status: summary.Status ?? 'UNKNOWN',
              type: summary.Type ?? 'UNKNOWN',
            });
          }
        }
        return certificates;
      },

      async deleteCertificate(arn) {
        try {
          await client.send(new DeleteCertificateCommand({ CertificateArn: arn }));
          return true;
        } catch (error) {
          if ((error as { name?: string }).name === 'ResourceNotFoundException') return false;
          throw error;
        }
      },

      async listTagsForCertificate(arn) {
        const response = await client.send(new ListTagsForCertificateCommand({ CertificateArn: arn }));
        return Object.fromEntries((response.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
      },
    };
  },
};
