import { createHash, createHmac } from 'node:crypto';
import { createServer, request as forward, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseTemplateBody, TemplateEvaluator } from '../scenario-server/template.ts';

/**
 * A loopback proxy in front of moto that fills the gaps of moto listed below, so that product code needs no
 * branch for them (the project's rule: emulator gaps are worked around in tests, never in src/).
 * Every test that uses moto goes through it (`startMotoServer` hands out its endpoint).
 *
 * 1. CloudFormation: moto publishes no Outputs for a stack created or updated through a change set
 *    (its ExecuteChangeSet applies the resources but never rebuilds the outputs; see the TODO in
 *    moto/cloudformation/models.py `execute_change_set`, and getmoto/moto#3032). For a DescribeStacks
 *    answer whose completed stack has none, the proxy evaluates the Outputs of the stack's template
 *    (GetTemplate) over its parameters and physical ids (ListStackResources), as CloudFormation does.
 *    Exports are not filled: tests of exports and ListImports use the scenario server.
 * 2. CodeCommit: moto (5.2) sends `creationDate` and `lastModifiedDate` as ISO 8601 strings where the
 *    JSON protocol, and AWS, send epoch seconds; the SDK then fails every repository call with
 *    "Expected real number". The proxy rewrites them to epoch seconds
 *    (same class of moto bug: https://github.com/getmoto/moto/issues/9763).
 *
 * 3. CloudFormation: moto's ListChangeSets ignores StackName and answers every change set of the region
 *    (moto/cloudformation/responses.py `list_change_sets`), and answers an empty list for a stack that
 *    does not exist. AWS lists the named stack's change sets only, and refuses an unknown stack with a
 *    ValidationError "Stack [name] does not exist". The proxy keeps the named stack's summaries, and when
 *    none is left asks DescribeStacks, passing on its "does not exist" refusal.
 * 4. ACM: moto gives a certificate's `Serial` in decimal (`str(cert.serial_number)` in
 *    moto/acm/models.py); ACM gives colon-separated hex bytes (`0a:1b:...`, as in the DescribeCertificate
 *    examples of the ACM API reference). The proxy rewrites it to ACM's form.
 * 5. IAM enforcement (INITIAL_NO_AUTH_ACTION_COUNT): moto refuses a call in IAM's XML whatever the
 *    service's protocol, which the SDK cannot read for a JSON-protocol service (SSM, ACM, Secrets
 *    Manager, Tagging, ...); AWS sends those `AccessDeniedException` as JSON, and Route53 its XML with
 *    one `<Error>` under `<ErrorResponse>` (moto wraps it in `<Errors>`). The proxy rewrites both so.
 * 6. CloudFormation: moto leaves a stack's `LastUpdatedTime` out after an update (its change set's
 *    execution, or UpdateStack, never sets it); AWS returns it once a stack has been updated ("This
 *    field will only be returned if the stack has been updated at least once": Stack in the API
 *    reference), the time the last update began. For a DescribeStacks answer whose stack is in an
 *    UPDATE_ status without one, the proxy gives the time of the stack's own latest UPDATE_IN_PROGRESS
 *    event (trial finding 102: status said an updated demo stack was last changed when it was created).
 *
 * Everything else passes through byte for byte.
 */
export interface MotoGapsProxy {
  readonly endpoint: string;
  /**
   * With moto's IAM enforcement on (test/cli/enforced-iam.test.ts), moto checks every signature: the
   * proxy's own CloudFormation calls (GetTemplate, ListStackResources, DescribeStacks, made as
   * CloudFormation itself would know those answers) are then signed with these credentials.
   */
  signOwnCallsWith(credentials: { accessKeyId: string; secretAccessKey: string }): void;
  stop(): Promise<void>;
}

export interface MotoGapsProxyOptions {
  /**
   * Forward the client's Host header as it signed it (moto's enforcement recomputes the signature over
   * it), instead of moto's own host.
   */
  keepHost?: boolean;
}

interface Exchange {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export async function startMotoGapsProxy(
  target: string,
  options: MotoGapsProxyOptions = {},
): Promise<MotoGapsProxy> {
  const upstream = new URL(target);
  let signer: { accessKeyId: string; secretAccessKey: string } | undefined;

  const send = (method: string, path: string, headers: IncomingHttpHeaders, body: Buffer) =>
    new Promise<Exchange>((resolve, reject) => {
      const proxied = forward(
        {
          host: upstream.hostname,
          port: upstream.port,
          method,
          path,
          headers: options.keepHost && headers.host ? headers : { ...headers, host: upstream.host },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 502,
              headers: response.headers,
              body: Buffer.concat(chunks),
            }),
          );
          response.on('error', reject);
        },
      );
      proxied.on('error', reject);
      proxied.end(body);
    });

  /** A query-protocol CloudFormation call of our own. */
  const cloudFormationCall = async (
    headers: IncomingHttpHeaders,
    form: Record<string, string>,
  ): Promise<Exchange> => {
    const body = Buffer.from(new URLSearchParams({ Version: '2010-05-15', ...form }).toString());
    const region =
      /Credential=[^/]+\/[^/]+\/([^/]+)\//.exec(String(headers.authorization ?? ''))?.[1] ?? 'us-east-1';
    return send(
      'POST',
      '/',
      signer
        ? signedQuery(signer, upstream.host, region, body)
        : {
            ...headers,
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': String(body.length),
          },
      body,
    );
  };
  const cloudFormation = async (
    headers: IncomingHttpHeaders,
    form: Record<string, string>,
  ): Promise<string> => (await cloudFormationCall(headers, form)).body.toString('utf8');

  const evaluated = new Map<string, string>();

  async function withOutputs(xml: string, headers: IncomingHttpHeaders): Promise<string> {
    let out = xml;
    // From the last: a member patched leaves the places of those before it as they were.
    for (const { start, end, text } of stackMembers(xml).reverse()) {
      const status = tag(text, 'StackStatus') ?? '';
      const member = await withUpdateTime(text, status, headers);
      const patched = await filledOutputs(member, status, headers);
      if (patched !== text) out = out.slice(0, start) + patched + out.slice(end);
    }
    return out;
  }

  /** The member with the Outputs of its template (gap 1), when moto gave none. */
  async function filledOutputs(
    member: string,
    status: string,
    headers: IncomingHttpHeaders,
  ): Promise<string> {
    if (/<Outputs>\s*<member>/.test(member)) return member;
    if (!/^(CREATE|UPDATE)_COMPLETE$/.test(status)) return member;
    const stackId = tag(member, 'StackId') ?? '';
    // Polling asks the same thing many times: evaluate once per stack version.
    const version = `${stackId} ${status} ${tag(member, 'LastUpdatedTime') ?? ''}`;
    const outputs = evaluated.get(version) ?? (await evaluateOutputs(stackId, member, headers));
    evaluated.set(version, outputs);
    if (outputs === '') return member;
    return member.includes('<Outputs')
      ? member.replace(/<Outputs\s*\/>|<Outputs>\s*<\/Outputs>/, `<Outputs>${outputs}</Outputs>`)
      : member.replace(/<\/member>$/, `<Outputs>${outputs}</Outputs></member>`);
  }

  /** The member with the `LastUpdatedTime` AWS would give an updated stack (gap 6), when moto left it out. */
  async function withUpdateTime(
    member: string,
    status: string,
    headers: IncomingHttpHeaders,
  ): Promise<string> {
    if (!status.startsWith('UPDATE_') || member.includes('<LastUpdatedTime>')) return member;
    const stackName = tag(member, 'StackName') ?? '';
    const events = await cloudFormation(headers, {
      Action: 'DescribeStackEvents',
      StackName: tag(member, 'StackId') ?? stackName,
    });
    // Newest first: the first of the stack's own UPDATE_IN_PROGRESS is when its last update began.
    const began = [...events.matchAll(/<member>([\s\S]*?)<\/member>/g)]
      .map((event) => event[1] ?? '')
      .find(
        (event) =>
          tag(event, 'LogicalResourceId') === stackName &&
          tag(event, 'ResourceStatus') === 'UPDATE_IN_PROGRESS',
      );
    const time = began === undefined ? undefined : tag(began, 'Timestamp');
    if (time === undefined) return member;
    return member.replace(/<\/CreationTime>/, `</CreationTime><LastUpdatedTime>${time}</LastUpdatedTime>`);
  }

  async function evaluateOutputs(
    stackId: string,
    member: string,
    headers: IncomingHttpHeaders,
  ): Promise<string> {
    const template = decode(
      tag(await cloudFormation(headers, { Action: 'GetTemplate', StackName: stackId }), 'TemplateBody') ?? '',
    );
    const body = parseTemplateBody(template);
    if (!body.Outputs) return '';
    const resources = await cloudFormation(headers, { Action: 'ListStackResources', StackName: stackId });
    const physical = new Map<string, string>();
    const types = new Map<string, string>();
    for (const [, logical, id] of resources.matchAll(
      /<LogicalResourceId>([^<]*)<\/LogicalResourceId>\s*<PhysicalResourceId>([^<]*)<\/PhysicalResourceId>/g,
    ))
      physical.set(logical ?? '', decode(id ?? ''));
    for (const [, logical, type] of resources.matchAll(
      /<LogicalResourceId>([^<]*)<\/LogicalResourceId>[\s\S]*?<ResourceType>([^<]*)<\/ResourceType>/g,
    ))
      types.set(logical ?? '', type ?? '');
    const parameters: Record<string, string> = {};
    for (const [, key, value] of member.matchAll(
      /<ParameterKey>([^<]*)<\/ParameterKey>\s*<ParameterValue>([^<]*)<\/ParameterValue>/g,
    ))
      parameters[decode(key ?? '')] = decode(value ?? '');
    const evaluator = new TemplateEvaluator(body, {
      stackName: tag(member, 'StackName') ?? '',
      stackId,
      region: stackId.split(':')[3] ?? 'us-east-1',
      account: stackId.split(':')[4] ?? '',
      parameters,
      physicalId: (logicalId) => physical.get(logicalId) ?? logicalId,
      exportValue: () => undefined,
      // The ARN moto's IAM holds for the role (its physical id is the role name), as CloudFormation gives.
      attribute: (logicalId, attribute) =>
        types.get(logicalId) === 'AWS::IAM::Role' && attribute === 'Arn'
          ? `arn:aws:iam::${stackId.split(':')[4] ?? ''}:role/${physical.get(logicalId) ?? logicalId}`
          : undefined,
    });
    try {
      return evaluator
        .outputs()
        .map(
          (o) =>
            `<member><OutputKey>${encode(o.key)}</OutputKey><OutputValue>${encode(o.value)}</OutputValue>${o.description ? `<Description>${encode(o.description)}</Description>` : ''}</member>`,
        )
        .join('');
    } catch {
      // An output moto cannot give (an import): leave the answer as moto gave it.
      return '';
    }
  }

  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const form = String(incoming.headers['content-type'] ?? '').includes('x-www-form-urlencoded')
          ? new URLSearchParams(body.toString())
          : undefined;
        const amzTarget = String(incoming.headers['x-amz-target'] ?? '');
        // The whole body is here already: a client's `Expect: 100-continue` (awscli sends it) must not
        // make the upstream request wait for a go-ahead it will never need.
        const { expect: _expect, ...headers } = incoming.headers;
        const answer = await send(incoming.method ?? 'GET', incoming.url ?? '/', headers, body);
        let text: string | undefined;
        let status = answer.status;
        const action = answer.status === 200 ? form?.get('Action') : undefined;
        if (action === 'DescribeStacks')
          text = await withOutputs(answer.body.toString('utf8'), incoming.headers);
        else if (action === 'ListChangeSets') {
          const stackName = form?.get('StackName') ?? '';
          text = ownChangeSets(answer.body.toString('utf8'), stackName);
          if (!/<member>/.test(text)) {
            const stack = await cloudFormationCall(headers, {
              Action: 'DescribeStacks',
              StackName: stackName,
            });
            if (stack.status !== 200) {
              status = stack.status;
              text = stack.body.toString('utf8');
            }
          }
        } else if (amzTarget.startsWith('CodeCommit_20150413.'))
          text = epochDates(answer.body.toString('utf8'));
        else if (amzTarget === 'CertificateManager.DescribeCertificate' && answer.status === 200)
          text = hexSerial(answer.body.toString('utf8'));
        else if (
          amzTarget &&
          answer.status === 403 &&
          /<Code>AccessDenied<\/Code>/.test(answer.body.toString('utf8'))
        ) {
          // moto answers an IAM refusal in XML whatever the protocol; a JSON-protocol service's is JSON.
          text = accessDeniedJson(answer.body.toString('utf8'));
          answer.headers['content-type'] = 'application/x-amz-json-1.1';
          answer.headers['x-amzn-errortype'] = 'AccessDeniedException';
        } else if (
          (incoming.url ?? '').startsWith('/2013-04-01/') &&
          answer.status === 403 &&
          /<Errors>\s*<Error>/.test(answer.body.toString('utf8'))
        )
          // Route53's REST-XML errors have one <Error> under <ErrorResponse>, without moto's <Errors>.
          text = answer.body.toString('utf8').replace(/<\/?Errors>/g, '');
        const payload = text === undefined ? answer.body : Buffer.from(text, 'utf8');
        const answerHeaders = { ...answer.headers };
        delete answerHeaders['transfer-encoding'];
        if (text !== undefined) answerHeaders['content-length'] = String(payload.length);
        outgoing.writeHead(status, answerHeaders);
        outgoing.end(payload);
      })().catch(() => {
        if (!outgoing.headersSent) outgoing.writeHead(502);
        outgoing.end();
      });
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    signOwnCallsWith(credentials) {
      signer = credentials;
    },
    stop: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/**
 * moto's IAM refusal (moto/core/exceptions.py AccessDeniedError, always XML) as a JSON-protocol service
 * sends it: `{"__type": "AccessDeniedException", "message": ...}`, so the SDK reads its message.
 */
function accessDeniedJson(xml: string): string {
  const message = /<Message>([^<]*)<\/Message>/.exec(xml)?.[1] ?? 'Access denied';
  return JSON.stringify({ __type: 'AccessDeniedException', message: decode(message) });
}

/**
 * Headers of a CloudFormation query-protocol POST signed with Signature Version 4
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html): what moto checks
 * when its IAM enforcement is on.
 */
function signedQuery(
  credentials: { accessKeyId: string; secretAccessKey: string },
  host: string,
  region: string,
  body: Buffer,
): Record<string, string> {
  const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  const day = amzDate.slice(0, 8);
  const headers = {
    'content-type': 'application/x-www-form-urlencoded',
    host,
    'x-amz-date': amzDate,
  };
  const signedHeaders = Object.keys(headers).join(';');
  const canonical = [
    'POST',
    '/',
    '',
    ...Object.entries(headers).map(([key, value]) => `${key}:${value}`),
    '',
    signedHeaders,
    sha256(body),
  ].join('\n');
  const scope = `${day}/${region}/cloudformation/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = [day, region, 'cloudformation', 'aws4_request'].reduce<Buffer>(
    (previous, part) => hmac(previous, part),
    Buffer.from(`AWS4${credentials.secretAccessKey}`),
  );
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  return {
    ...headers,
    'content-length': String(body.length),
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** The top-level `<member>` elements of `<Stacks>`, with where each sits in the document. */
function stackMembers(xml: string): Array<{ start: number; end: number; text: string }> {
  const open = xml.indexOf('<Stacks>');
  if (open < 0) return [];
  const found: Array<{ start: number; end: number; text: string }> = [];
  let depth = 0;
  let start = 0;
  const pattern = /<member>|<\/member>|<\/Stacks>/g;
  pattern.lastIndex = open;
  for (let match = pattern.exec(xml); match; match = pattern.exec(xml)) {
    if (match[0] === '</Stacks>' && depth === 0) break;
    if (match[0] === '<member>') {
      if (depth === 0) start = match.index;
      depth++;
    } else if (match[0] === '</member>') {
      depth--;
      if (depth === 0) {
        const end = match.index + match[0].length;
        found.push({ start, end, text: xml.slice(start, end) });
      }
    }
  }
  return found;
}

function tag(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}

function decode(text: string): string {
  return text
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&#x27;', "'")
    .replaceAll('&#10;', '\n')
    .replaceAll('&amp;', '&');
}

function encode(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function epochDates(json: string): string {
  return json.replace(
    /"(creationDate|lastModifiedDate)"\s*:\s*"([^"]+)"/g,
    (whole, key: string, value: string) => {
      const millis = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
      return Number.isNaN(millis) ? whole : `"${key}":${millis / 1000}`;
    },
  );
}

/** The ListChangeSets answer with only the summaries of the stack asked about, by name or id. */
function ownChangeSets(xml: string, stackName: string): string {
  return xml.replace(/<member>[\s\S]*?<\/member>/g, (member) =>
    tag(member, 'StackName') === stackName || decode(tag(member, 'StackId') ?? '') === stackName
      ? member
      : '',
  );
}

/** ACM's serial form: the serial's bytes in lower-case hex, colon-separated. */
function hexSerial(json: string): string {
  return json.replace(/"Serial"\s*:\s*"(\d+)"/, (_whole, decimal: string) => {
    let hex = BigInt(decimal).toString(16);
    if (hex.length % 2 === 1) hex = `0${hex}`;
    return `"Serial":"${hex.match(/../g)?.join(':') ?? hex}"`;
  });
}
