import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the SESv2 account API, which moto does not implement. It speaks the real wire
 * protocol (REST-JSON, SigV4 for the `ses` signing name) and answers the two account operations
 * stackguide uses, with the shapes the API reference documents:
 *
 * - GetAccount: `GET /v2/email/account` → `{ ProductionAccessEnabled, SendingEnabled, EnforcementStatus,
 *   SendQuota: { Max24HourSend, MaxSendRate, SentLast24Hours }, Details?: { MailType, WebsiteURL,
 *   ContactLanguage, UseCaseDescription, AdditionalContactEmailAddresses, ReviewDetails: { Status,
 *   CaseId } } }`. A new account is in the sandbox: 200 emails per 24 hours, 1 per second.
 * - PutAccountDetails: `POST /v2/email/account/details` with `{ MailType, WebsiteURL, ContactLanguage?,
 *   UseCaseDescription?, AdditionalContactEmailAddresses?, ProductionAccessEnabled? }` → `{}`. With
 *   ProductionAccessEnabled true the review becomes PENDING with a new support case id; the test decides
 *   it (`decide`): GRANTED turns production access on with a production quota, DENIED and FAILED leave
 *   the sandbox.
 *
 * Validation follows the reference: MailType MARKETING|TRANSACTIONAL and WebsiteURL (1-1000) required,
 * ContactLanguage EN|JA, UseCaseDescription 1-5000, 1-4 additional contacts; a violation answers 400
 * BadRequestException. Errors are REST-JSON errors: the status, `x-amzn-ErrorType` and `{ "message" }`.
 * State is per region (the region of the request's SigV4 scope). Every request is recorded.
 *
 * The SDK reaches it through AWS_ENDPOINT_URL_SESV2 (the variable @aws-sdk/client-sesv2 derives from its
 * service id "SESv2"); a client built with an explicit `endpoint` ignores that variable.
 */
export type ReviewStatus = 'PENDING' | 'GRANTED' | 'DENIED' | 'FAILED';

export interface RecordedSesRequest {
  operation: 'GetAccount' | 'PutAccountDetails' | 'Unknown';
  method: string;
  path: string;
  region: string;
  signingName: string;
  body: Record<string, unknown>;
}

interface AccountState {
  productionAccessEnabled: boolean;
  sendingEnabled: boolean;
  enforcementStatus: string;
  sendQuota: { Max24HourSend: number; MaxSendRate: number; SentLast24Hours: number };
  details?: Record<string, unknown>;
  review?: { Status: ReviewStatus; CaseId: string };
}

export interface SesV2StandIn {
  readonly endpoint: string;
  readonly requests: readonly RecordedSesRequest[];
  /** The PutAccountDetails requests only. */
  submissions(region?: string): RecordedSesRequest[];
  /** AWS's decision on the pending review. */
  decide(region: string, status: Exclude<ReviewStatus, 'PENDING'>): void;
  /** Starts a region in production (as an account that was granted access long ago). */
  setProduction(region: string, quota?: { max24HourSend: number; maxSendRate: number }): void;
  setSendingEnabled(region: string, enabled: boolean, enforcementStatus?: string): void;
  failNext(errorType: string, message: string, status?: number): void;
  reset(): void;
  stop(): Promise<void>;
}

const SANDBOX_QUOTA = { Max24HourSend: 200, MaxSendRate: 1, SentLast24Hours: 0 };
const PRODUCTION_QUOTA = { Max24HourSend: 50_000, MaxSendRate: 14, SentLast24Hours: 0 };

export async function startSesV2StandIn(): Promise<SesV2StandIn> {
  const accounts = new Map<string, AccountState>();
  const requests: RecordedSesRequest[] = [];
  const failures: Array<{ errorType: string; message: string; status: number }> = [];
  let cases = 0;

  const account = (region: string): AccountState => {
    let state = accounts.get(region);
    if (!state) {
      state = {
        productionAccessEnabled: false,
        sendingEnabled: true,
        enforcementStatus: 'HEALTHY',
        sendQuota: { ...SANDBOX_QUOTA },
      };
      accounts.set(region, state);
    }
    return state;
  };

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      sendError(response, 500, 'InternalServiceErrorException', String(error));
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const text = await readBody(request);
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const method = request.method ?? 'GET';
    const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(
      String(request.headers.authorization ?? ''),
    );
    if (!scope?.[1] || !scope[2]) {
      sendError(response, 403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
      return;
    }
    let body: Record<string, unknown> = {};
    if (text) {
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        sendError(response, 400, 'BadRequestException', 'The request body is not JSON');
        return;
      }
    }
    const operation =
      method === 'GET' && path === '/v2/email/account'
        ? 'GetAccount'
        : method === 'POST' && path === '/v2/email/account/details'
          ? 'PutAccountDetails'
          : 'Unknown';
    const region = scope[1];
    requests.push({ operation, method, path, region, signingName: scope[2], body });

    const failure = failures.shift();
    if (failure) {
      sendError(response, failure.status, failure.errorType, failure.message);
      return;
    }
    if (operation === 'Unknown') {
      sendError(response, 404, 'NotFoundException', `The stand-in does not implement ${method} ${path}`);
      return;
    }
    const state = account(region);
    if (operation === 'GetAccount') {
      send(response, 200, describe(state));
      return;
    }
    const problem = validateDetails(body);
    if (problem) {
      sendError(response, 400, 'BadRequestException', problem);
      return;
    }
    state.details = {
      MailType: body.MailType,
      WebsiteURL: body.WebsiteURL,
      ...(body.ContactLanguage !== undefined ? { ContactLanguage: body.ContactLanguage } : {}),
      ...(body.UseCaseDescription !== undefined ? { UseCaseDescription: body.UseCaseDescription } : {}),
      ...(body.AdditionalContactEmailAddresses !== undefined
        ? { AdditionalContactEmailAddresses: body.AdditionalContactEmailAddresses }
        : {}),
    };
    if (body.ProductionAccessEnabled === true && !state.productionAccessEnabled) {
      cases += 1;
      state.review = { Status: 'PENDING', CaseId: `${17_000_000_000 + cases}` };
    }
    send(response, 200, {});
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    submissions: (region) =>
      requests.filter(
        (entry) =>
          entry.operation === 'PutAccountDetails' && (region === undefined || entry.region === region),
      ),
    decide(region, status) {
      const state = account(region);
      if (!state.review) throw new Error(`no production-access request to decide in ${region}`);
      state.review = { ...state.review, Status: status };
      if (status === 'GRANTED') {
        state.productionAccessEnabled = true;
        state.sendQuota = { ...PRODUCTION_QUOTA };
      }
    },
    setProduction(region, quota) {
      const state = account(region);
      state.productionAccessEnabled = true;
      state.sendQuota = quota
        ? { Max24HourSend: quota.max24HourSend, MaxSendRate: quota.maxSendRate, SentLast24Hours: 0 }
        : { ...PRODUCTION_QUOTA };
    },
    setSendingEnabled(region, enabled, enforcementStatus) {
      const state = account(region);
      state.sendingEnabled = enabled;
      if (enforcementStatus) state.enforcementStatus = enforcementStatus;
    },
    failNext: (errorType, message, status = 400) => failures.push({ errorType, message, status }),
    reset() {
      accounts.clear();
      requests.length = 0;
      failures.length = 0;
      cases = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function describe(state: AccountState): Record<string, unknown> {
  return {
    DedicatedIpAutoWarmupEnabled: false,
    EnforcementStatus: state.enforcementStatus,
    ProductionAccessEnabled: state.productionAccessEnabled,
    SendQuota: state.sendQuota,
    SendingEnabled: state.sendingEnabled,
    ...(state.details || state.review
      ? { Details: { ...state.details, ...(state.review ? { ReviewDetails: state.review } : {}) } }
      : {}),
  };
}

function validateDetails(body: Record<string, unknown>): string | undefined {
  const { MailType, WebsiteURL, ContactLanguage, UseCaseDescription, AdditionalContactEmailAddresses } = body;
  if (MailType !== 'MARKETING' && MailType !== 'TRANSACTIONAL')
    return "1 validation error detected: Value at 'mailType' failed to satisfy constraint: Member must satisfy enum value set: [MARKETING, TRANSACTIONAL]";
  if (typeof WebsiteURL !== 'string' || WebsiteURL.length < 1 || WebsiteURL.length > 1000)
    return "1 validation error detected: Value at 'websiteURL' failed to satisfy constraint: Member must have length between 1 and 1000";
  if (ContactLanguage !== undefined && ContactLanguage !== 'EN' && ContactLanguage !== 'JA')
    return "1 validation error detected: Value at 'contactLanguage' failed to satisfy constraint: Member must satisfy enum value set: [EN, JA]";
  if (
    UseCaseDescription !== undefined &&
    (typeof UseCaseDescription !== 'string' ||
      UseCaseDescription.length < 1 ||
      UseCaseDescription.length > 5000)
  )
    return "1 validation error detected: Value at 'useCaseDescription' failed to satisfy constraint: Member must have length between 1 and 5000";
  if (
    AdditionalContactEmailAddresses !== undefined &&
    (!Array.isArray(AdditionalContactEmailAddresses) ||
      AdditionalContactEmailAddresses.length < 1 ||
      AdditionalContactEmailAddresses.length > 4)
  )
    return "1 validation error detected: Value at 'additionalContactEmailAddresses' failed to satisfy constraint: Member must have length between 1 and 4";
  return undefined;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
  });
  response.end(text);
}

function sendError(response: ServerResponse, status: number, errorType: string, message: string): void {
  const text = JSON.stringify({ message });
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
    'x-amzn-ErrorType': errorType,
  });
  response.end(text);
}
