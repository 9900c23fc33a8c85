import { GetAccountCommand, PutAccountDetailsCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import type { PortAdapter } from './port-token.ts';
import type { SesReviewStatus, SesV2Port } from './sesv2-port.ts';

const REVIEW_STATUSES: readonly string[] = ['PENDING', 'GRANTED', 'DENIED', 'FAILED'];

/**
 * SesV2Port over the AWS SDK. Error mapping happens one level up, in aws-context.ts.
 * AWS_ENDPOINT_URL_SESV2 (from the SDK's service id "SESv2") wins over any shared endpoint.
 */
export const sesv2Adapter: PortAdapter<SesV2Port> = {
  create: (config) => {
    const client = new SESv2Client(config);
    return {
      async getAccount() {
        const response = await client.send(new GetAccountCommand({}));
        const details = response.Details;
        const status = details?.ReviewDetails?.Status;
        const caseId = details?.ReviewDetails?.CaseId;
        return {
          productionAccessEnabled: response.ProductionAccessEnabled === true,
          // Absent means AWS did not say it is paused.
          sendingEnabled: response.SendingEnabled !== false,
          ...(response.EnforcementStatus ? { enforcementStatus: response.EnforcementStatus } : {}),
          sendQuota: {
            ...(response.SendQuota?.Max24HourSend !== undefined
              ? { max24HourSend: response.SendQuota.Max24HourSend }
              : {}),
            ...(response.SendQuota?.MaxSendRate !== undefined
              ? { maxSendRate: response.SendQuota.MaxSendRate }
              : {}),
            ...(response.SendQuota?.SentLast24Hours !== undefined
              ? { sentLast24Hours: response.SendQuota.SentLast24Hours }
              : {}),
          },
          ...(details
            ? {
                details: {
                  ...(details.MailType ? { mailType: details.MailType } : {}),
                  ...(details.WebsiteURL ? { websiteUrl: details.WebsiteURL } : {}),
                  ...(details.ContactLanguage ? { contactLanguage: details.ContactLanguage } : {}),
                  ...(details.UseCaseDescription ? { useCaseDescription: details.UseCaseDescription } : {}),
                  additionalContactEmailAddresses: details.AdditionalContactEmailAddresses ?? [],
                  ...(status || caseId
                    ? {
                        review: {
                          ...(status && REVIEW_STATUSES.includes(status)
                            ? { status: status as SesReviewStatus }
                            : {}),
                          ...(caseId ? { caseId } : {}),
                        },
                      }
                    : {}),
                },
              }
            : {}),
        };
      },

      async requestProductionAccess(request) {
        await client.send(
          new PutAccountDetailsCommand({
            MailType: request.mailType,
            WebsiteURL: request.websiteUrl,
            ContactLanguage: request.contactLanguage,
            // Marked deprecated (optional) in the API model since 2024, but the reviewers still decide on
            // it: the seed's guides are denied without a detailed use case and email policies.
            UseCaseDescription: request.useCaseDescription,
            ...(request.additionalContactEmailAddresses.length > 0
              ? { AdditionalContactEmailAddresses: request.additionalContactEmailAddresses }
              : {}),
            ProductionAccessEnabled: true,
          }),
        );
      },
    };
  },
};
