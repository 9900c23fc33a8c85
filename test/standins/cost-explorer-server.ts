import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Cost Explorer cost allocation tag API, which moto does not implement. It
 * speaks the real wire protocol (AWS JSON 1.1 over HTTP POST: `X-Amz-Target:
 * AWSInsightsIndexService.<Operation>`, `Content-Type: application/x-amz-json-1.1`, SigV4 for the `ce`
 * signing name) and answers two operations with the shapes the API reference documents:
 *
 * - ListCostAllocationTags {Status?, TagKeys?, Type?, MaxResults?, NextToken?} → `{ CostAllocationTags:
 *   [{ TagKey, Type, Status, LastUpdatedDate?, LastUsedDate? }], NextToken? }`. Only keys Billing has
 *   seen on a resource are listed (the test adds them with `seeTag`, as Billing does about 24 h after
 *   first use); new keys are Inactive.
 * - UpdateCostAllocationTagsStatus {CostAllocationTagsStatus: [{TagKey, Status}] (1-20)} → `{ Errors:
 *   [{ TagKey, Code, Message }] }`: setting the status a key already has is no error and no change; a key
 *   Billing has not seen is a per-entry error. (AWS documents no error codes for entries; the code here,
 *   `TagKeyNotFound`, is the stand-in's own.)
 *
 * Errors are JSON 1.1 errors: status 400, `x-amzn-ErrorType` and `{ "__type", "message" }`. Other
 * operations answer UnknownOperationException; an unsigned request MissingAuthenticationTokenException.
 * Every request is recorded, so a test can assert that nothing was asked at all.
 *
 * The SDK reaches it through AWS_ENDPOINT_URL_COST_EXPLORER (the variable @aws-sdk/client-cost-explorer
 * derives from its service id "Cost Explorer"); a client built with an explicit `endpoint` ignores it.
 */
export interface RecordedCostExplorerRequest {
  operation: string;
  body: Record<string, unknown>;
  region: string;
  signingName: string;
}

interface Tag {
  TagKey: string;
  Type: 'UserDefined' | 'AWSGenerated';
  Status: 'Active' | 'Inactive';
  LastUpdatedDate?: string;
  LastUsedDate?: string;
}

export interface CostExplorerStandIn {
  readonly endpoint: string;
  readonly requests: readonly RecordedCostExplorerRequest[];
  /** Billing has seen the key on a resource: it is listed from now on (Inactive unless told). */
  seeTag(tagKey: string, status?: 'Active' | 'Inactive'): void;
  statusOf(tagKey: string): 'Active' | 'Inactive' | undefined;
  failNext(errorType: string, message: string, status?: number): void;
  reset(): void;
  stop(): Promise<void>;
}

const TARGET_PREFIX = 'AWSInsightsIndexService.';
const PAGE_SIZE = 100;

export async function startCostExplorerStandIn(): Promise<CostExplorerStandIn> {
  const tags = new Map<string, Tag>();
  const requests: RecordedCostExplorerRequest[] = [];
  const failures: Array<{ errorType: string; message: string; status: number }> = [];

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      sendError(response, 500, 'InternalServerError', String(error));
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const text = await readBody(request);
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
    let body: Record<string, unknown>;
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      sendError(response, 400, 'SerializationException', 'Request body is not JSON');
      return;
    }
    const operation = target.slice(TARGET_PREFIX.length);
    requests.push({ operation, body, region: scope[1], signingName: scope[2] });

    const failure = failures.shift();
    if (failure) {
      sendError(response, failure.status, failure.errorType, failure.message);
      return;
    }
    if (operation === 'ListCostAllocationTags') {
      const keys = Array.isArray(body.TagKeys) ? (body.TagKeys as string[]) : undefined;
      const matching = [...tags.values()].filter(
        (tag) =>
          (keys === undefined || keys.includes(tag.TagKey)) &&
          (body.Status === undefined || tag.Status === body.Status) &&
          (body.Type === undefined || tag.Type === body.Type),
      );
      const size = typeof body.MaxResults === 'number' ? body.MaxResults : PAGE_SIZE;
      const start = typeof body.NextToken === 'string' ? Number(body.NextToken) : 0;
      const page = matching.slice(start, start + size);
      send(response, 200, {
        CostAllocationTags: page,
        ...(start + size < matching.length ? { NextToken: String(start + size) } : {}),
      });
      return;
    }
    if (operation === 'UpdateCostAllocationTagsStatus') {
      const entries = body.CostAllocationTagsStatus;
      if (!Array.isArray(entries) || entries.length < 1 || entries.length > 20) {
        sendError(
          response,
          400,
          'ValidationException',
          'CostAllocationTagsStatus must have between 1 and 20 entries',
        );
        return;
      }
      const errors: Array<{ TagKey: string; Code: string; Message: string }> = [];
      for (const entry of entries as Array<{ TagKey?: string; Status?: string }>) {
        const key = entry.TagKey ?? '';
        if (entry.Status !== 'Active' && entry.Status !== 'Inactive') {
          sendError(response, 400, 'ValidationException', `Invalid status ${String(entry.Status)}`);
          return;
        }
        const tag = tags.get(key);
        if (!tag) {
          errors.push({ TagKey: key, Code: 'TagKeyNotFound', Message: `Tag key ${key} was not found` });
          continue;
        }
        if (tag.Status !== entry.Status) {
          tag.Status = entry.Status;
          tag.LastUpdatedDate = new Date().toISOString();
        }
      }
      send(response, 200, { Errors: errors });
      return;
    }
    sendError(response, 400, 'UnknownOperationException', `The stand-in does not implement ${operation}`);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    seeTag(tagKey, status = 'Inactive') {
      tags.set(tagKey, {
        TagKey: tagKey,
        Type: 'UserDefined',
        Status: status,
        LastUsedDate: new Date().toISOString(),
      });
    },
    statusOf: (tagKey) => tags.get(tagKey)?.Status,
    failNext: (errorType, message, status = 400) => failures.push({ errorType, message, status }),
    reset() {
      tags.clear();
      requests.length = 0;
      failures.length = 0;
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
    'x-amzn-RequestId': randomUUID(),
  });
  response.end(text);
}

function sendError(response: ServerResponse, status: number, errorType: string, message: string): void {
  const text = JSON.stringify({ __type: errorType, message });
  response.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.1',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
    'x-amzn-ErrorType': errorType,
  });
  response.end(text);
}
