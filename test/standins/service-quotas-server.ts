import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for AWS Service Quotas, which moto does not keep per account. It speaks the real
 * wire protocol (AWS JSON 1.1 over HTTP POST: `X-Amz-Target: ServiceQuotasV20190624.<Operation>`,
 * `Content-Type: application/x-amz-json-1.1`, SigV4 for the `servicequotas` signing name) and answers
 * two operations with the shapes the API reference documents:
 *
 * - GetServiceQuota {ServiceCode, QuotaCode} → `{ Quota: ServiceQuota }` with the applied value set by
 *   the test, else 400 NoSuchResourceException (as AWS answers for a quota with no applied value kept).
 * - GetAWSDefaultServiceQuota {ServiceCode, QuotaCode} → `{ Quota: ServiceQuota }` with the default set
 *   by the test, else 400 NoSuchResourceException.
 *
 * Errors are JSON 1.1 errors: status 400, `x-amzn-ErrorType` header and `{ "__type", "message" }` body.
 * Other operations answer UnknownOperationException; a missing ServiceCode or QuotaCode answers
 * IllegalArgumentException; an unsigned request answers MissingAuthenticationTokenException. A test can
 * queue errors (`failNext`) to see throttling or a missing permission. Every request is recorded with
 * the region from its signature, so a test can assert what the client asked and where.
 *
 * The SDK reaches it through AWS_ENDPOINT_URL_SERVICE_QUOTAS (the variable @aws-sdk/client-service-quotas
 * derives from its service id "Service Quotas"), or an explicit `endpoint`.
 */
export interface QuotaValue {
  serviceCode: string;
  quotaCode: string;
  value: number;
  /** Defaults to the documented name for the codes stackguide uses, else the code. */
  name?: string;
  adjustable?: boolean;
}

export interface RecordedRequest {
  operation: string;
  body: Record<string, unknown>;
  /** From the SigV4 credential scope. */
  region: string;
  signingName: string;
}

export interface ServiceQuotasStandIn {
  readonly endpoint: string;
  /** The value GetServiceQuota answers (what applies to the account). */
  setApplied(quota: QuotaValue): void;
  /** The value GetAWSDefaultServiceQuota answers. */
  setDefault(quota: QuotaValue): void;
  /** The next request answers this error instead (queued, one per call). */
  failNext(errorType: string, message: string, status?: number): void;
  readonly requests: readonly RecordedRequest[];
  /** Forgets every value, queued error and recorded request. */
  reset(): void;
  stop(): Promise<void>;
}

const TARGET_PREFIX = 'ServiceQuotasV20190624.';
const ACCOUNT = '123456789012';

const SERVICE_NAMES: Record<string, string> = {
  ec2: 'Amazon Elastic Compute Cloud (Amazon EC2)',
  vpc: 'Amazon Virtual Private Cloud (Amazon VPC)',
};

const QUOTA_NAMES: Record<string, string> = {
  'L-1216C47A': 'Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances',
  'L-DB2E81BA': 'Running On-Demand G and VT instances',
  'L-417A185B': 'Running On-Demand P instances',
  'L-7295265B': 'Running On-Demand X instances',
  'L-34B43A08': 'All Standard (A, C, D, H, I, M, R, T, Z) Spot Instance Requests',
  'L-3819A6DF': 'All G and VT Spot Instance Requests',
  'L-7212CCBC': 'All P Spot Instance Requests',
  'L-E3A00192': 'All X Spot Instance Requests',
  'L-0263D0A3': 'EC2-VPC Elastic IPs',
  'L-F678F1CE': 'VPCs per Region',
  'L-FE5A380F': 'NAT gateways per Availability Zone',
};

export async function startServiceQuotasStandIn(): Promise<ServiceQuotasStandIn> {
  const applied = new Map<string, QuotaValue>();
  const defaults = new Map<string, QuotaValue>();
  const failures: Array<{ errorType: string; message: string; status: number }> = [];
  const requests: RecordedRequest[] = [];
  const key = (serviceCode: string, quotaCode: string) => `${serviceCode}/${quotaCode}`;

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      sendError(response, 500, 'ServiceException', String(error));
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const target = String(request.headers['x-amz-target'] ?? '');
    const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(
      String(request.headers.authorization ?? ''),
    );
    if (request.method !== 'POST' || !target.startsWith(TARGET_PREFIX)) {
      sendError(response, 400, 'UnknownOperationException', `Unknown operation ${target || '(none)'}`);
      return;
    }
    if (!scope?.[1] || !scope[2]) {
      sendError(response, 403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
      return;
    }
    if (!String(request.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.1')) {
      sendError(response, 400, 'SerializationException', 'Expected application/x-amz-json-1.1');
      return;
    }
    let parsed: Record<string, unknown>;
    try {
      parsed = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    } catch {
      sendError(response, 400, 'SerializationException', 'Request body is not JSON');
      return;
    }
    const operation = target.slice(TARGET_PREFIX.length);
    const region = scope[1];
    requests.push({ operation, body: parsed, region, signingName: scope[2] });

    const failure = failures.shift();
    if (failure) {
      sendError(response, failure.status, failure.errorType, failure.message);
      return;
    }
    if (operation !== 'GetServiceQuota' && operation !== 'GetAWSDefaultServiceQuota') {
      sendError(response, 400, 'UnknownOperationException', `The stand-in does not implement ${operation}`);
      return;
    }
    const { ServiceCode, QuotaCode } = parsed;
    if (typeof ServiceCode !== 'string' || typeof QuotaCode !== 'string') {
      sendError(response, 400, 'IllegalArgumentException', 'ServiceCode and QuotaCode are required');
      return;
    }
    const found = (operation === 'GetServiceQuota' ? applied : defaults).get(key(ServiceCode, QuotaCode));
    if (!found) {
      sendError(
        response,
        400,
        'NoSuchResourceException',
        'The request failed because the specified resource does not exist.',
      );
      return;
    }
    send(response, 200, {
      Quota: {
        ServiceCode: found.serviceCode,
        ServiceName: SERVICE_NAMES[found.serviceCode] ?? found.serviceCode,
        QuotaArn:
          operation === 'GetServiceQuota'
            ? `arn:aws:servicequotas:${region}:${ACCOUNT}:${found.serviceCode}/${found.quotaCode}`
            : `arn:aws:servicequotas:${region}::${found.serviceCode}/${found.quotaCode}`,
        QuotaCode: found.quotaCode,
        QuotaName: found.name ?? QUOTA_NAMES[found.quotaCode] ?? found.quotaCode,
        Value: found.value,
        Unit: 'None',
        Adjustable: found.adjustable ?? true,
        GlobalQuota: false,
        ...(operation === 'GetServiceQuota' ? { QuotaAppliedAtLevel: 'ACCOUNT' } : {}),
      },
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    setApplied: (quota) => applied.set(key(quota.serviceCode, quota.quotaCode), quota),
    setDefault: (quota) => defaults.set(key(quota.serviceCode, quota.quotaCode), quota),
    failNext: (errorType, message, status = 400) => failures.push({ errorType, message, status }),
    requests,
    reset() {
      applied.clear();
      defaults.clear();
      failures.length = 0;
      requests.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
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
    'Content-Type': 'application/x-amz-json-1.1',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': crypto.randomUUID(),
  });
  response.end(text);
}

function sendError(response: ServerResponse, status: number, errorType: string, message: string): void {
  const text = JSON.stringify({ __type: errorType, message });
  response.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.1',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': crypto.randomUUID(),
    'x-amzn-ErrorType': errorType,
  });
  response.end(text);
}
