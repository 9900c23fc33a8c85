import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudFormationAdapter } from '../../src/aws/cloudformation-adapter.ts';

/**
 * The event streamer retries its reads itself (src/stacks/stack-event-streamer.ts). Its reads must
 * then reach AWS once per try: were the SDK to retry underneath, each throttled read would wait out the
 * SDK's backoff too and cost calls nobody counted. Every other call keeps the SDK's retries.
 */
const THROTTLING =
  '<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>';

let endpoint = '';
let calls = 0;
const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    calls++;
    response.writeHead(400, { 'content-type': 'text/xml' });
    response.end(THROTTLING);
  });
});

beforeAll(async () => {
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

function port() {
  return cloudFormationAdapter.create({
    region: 'us-east-1',
    credentials: async () => ({ accessKeyId: 'testing', secretAccessKey: 'testing' }),
    maxAttempts: 2,
    requestHandler: new NodeHttpHandler(),
    endpoint,
    logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  });
}

describe('DescribeStackEvents with retry: false', () => {
  it('makes one attempt; without it the SDK retries as configured', async () => {
    const cloudFormation = port();
    calls = 0;
    await expect(cloudFormation.describeStackEvents('web', undefined, { retry: false })).rejects.toThrow(
      'Rate exceeded',
    );
    expect(calls).toBe(1);

    calls = 0;
    await expect(cloudFormation.describeStackEvents('web')).rejects.toThrow('Rate exceeded');
    expect(calls).toBe(2);
  }, 20_000);
});
