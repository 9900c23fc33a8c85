import { describe, expect, it } from 'vitest';
import { FRAGMENT_LENGTH, Redactor, type SecretValue } from '../../src/support/redaction.ts';

// The redaction pass of the support bundle, on the inputs that defeat a plain search and replace: a
// secret JSON-escaped inside a string, URL-encoded, inside a stack event's reason in an NDJSON line,
// base64-encoded inside a longer base64 text (a Basic auth header), cut short by a truncated message,
// split over two lines; and the shapes of AWS credentials whose values nobody told us.

/** Every run of FRAGMENT_LENGTH characters of `secret` that `text` still holds. */
function fragmentsIn(text: string, secret: string): string[] {
  const found: string[] = [];
  for (let at = 0; at + FRAGMENT_LENGTH <= secret.length; at++) {
    const fragment = secret.slice(at, at + FRAGMENT_LENGTH);
    if (text.includes(fragment)) found.push(fragment);
  }
  return found;
}

// Quotes, a backslash, spaces, & and + : every encoding changes it.
const PASSWORD = 'Reg"istry\\pw 7&x+Qz=9k';
const ANSWER = 'db-Answer-4f1c9e2a7b';
const values: SecretValue[] = [
  { kind: 'registry password', value: PASSWORD },
  { kind: 'secret answer', value: ANSWER },
];

describe('Redactor, known values', () => {
  it('removes a secret JSON-escaped inside a JSON string, and the JSON still parses', () => {
    const redactor = new Redactor(values);
    const line = JSON.stringify({ type: 'warning', message: `login with ${PASSWORD} failed` });
    expect(line).not.toContain(PASSWORD); // JSON escaped it: a plain search would miss it.
    const out = redactor.redact(line);
    expect(JSON.parse(out)).toEqual({
      type: 'warning',
      message: 'login with [redacted: registry password] failed',
    });
    expect(redactor.report()).toEqual([{ kind: 'registry password', count: 1 }]);
  });

  it('removes a secret URL-encoded in a query string, with %20 or + for its space', () => {
    const redactor = new Redactor(values);
    const percent = `https://hub.example/login?u=me&p=${encodeURIComponent(PASSWORD)}&next=1`;
    const plus = `p=${encodeURIComponent(PASSWORD).replaceAll('%20', '+')}`;
    const out = redactor.redact(`${percent}\n${plus}`);
    expect(out).toBe(
      'https://hub.example/login?u=me&p=[redacted: registry password]&next=1\n' +
        'p=[redacted: registry password]',
    );
    expect(redactor.report()).toEqual([{ kind: 'registry password', count: 2 }]);
  });

  it("removes a secret from a stack event's ResourceStatusReason in an NDJSON line", () => {
    const redactor = new Redactor(values);
    const event = {
      type: 'stack.event',
      stack: 'lab-main',
      event: {
        eventId: 'e-1',
        logicalResourceId: 'Database',
        status: 'CREATE_FAILED',
        reason: `Property MasterUserPassword value "${ANSWER}" does not satisfy the constraint`,
      },
    };
    const out = redactor.redact(`${JSON.stringify(event)}\n`);
    expect(out).not.toContain(ANSWER);
    expect(JSON.parse(out).event.reason).toBe(
      'Property MasterUserPassword value "[redacted: secret answer]" does not satisfy the constraint',
    );
  });

  it('removes a secret base64-encoded inside a longer base64 text, at every byte alignment', () => {
    for (const prefix of ['', 'u:', 'me:', 'user:']) {
      const redactor = new Redactor(values);
      const auth = Buffer.from(`${prefix}${ANSWER}`).toString('base64');
      const out = redactor.redact(`Authorization: Basic ${auth}`);
      expect(out, prefix).not.toBe(`Authorization: Basic ${auth}`);
      // What is left decodes to no fragment of the secret.
      const rest = out.replace(/\[redacted: [a-z ]+\]/g, ' ').split(/\s+/);
      for (const token of rest)
        expect(fragmentsIn(Buffer.from(token, 'base64').toString('latin1'), ANSWER), prefix).toEqual([]);
      expect(redactor.report()[0]?.kind).toBe('secret answer');
    }
  });

  it('leaves no fragment of 8 characters of a secret cut short or split over two lines', () => {
    const redactor = new Redactor(values);
    const truncated = `reason: ${ANSWER.slice(0, 12)}…`;
    const split = `value=${ANSWER.slice(0, 10)}\n${ANSWER.slice(10)}`;
    const tail = `…${ANSWER.slice(-9)} rejected`;
    const out = redactor.redact([truncated, split, tail].join('\n'));
    expect(fragmentsIn(out, ANSWER)).toEqual([]);
    expect(out).toContain('reason: [redacted: secret answer]…');
    expect(out).toContain(' rejected');
  });

  it('removes a secret shorter than 8 characters where it stands alone, not inside a word', () => {
    const redactor = new Redactor([{ kind: 'secret answer', value: 'k3y!z' }]);
    expect(redactor.redact('pin k3y!z; pin again "k3y!z"; in a word: monk3y!z')).toBe(
      'pin [redacted: secret answer]; pin again "[redacted: secret answer]"; in a word: monk3y!z',
    );
    expect(redactor.report()).toEqual([{ kind: 'secret answer', count: 2 }]);
  });

  it('leaves text without secrets as it is: ARNs, ids, tokens, words like password in prose', () => {
    const redactor = new Redactor(values);
    const text = [
      '{"secretArn":"arn:aws:secretsmanager:us-east-1:123456789012:secret:dockerhub/creds-AbCdEf"}',
      '{"pendingToken":"stackguide-7d0b8c1e-5a4f-4a55-9f0e-1f2a3b4c5d6e","passwordPolicy":"strong"}',
      'The registry password is kept in Secrets Manager; the password step passed.',
      'arn:aws:iam::123456789012:user/AKIAlike-but-lowercase',
    ].join('\n');
    expect(redactor.redact(text)).toBe(text);
    expect(redactor.report()).toEqual([]);
  });
});

describe('Redactor, shapes of credentials', () => {
  // Shaped like AWS's documented examples, not real keys.
  const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
  const SESSION_KEY_ID = 'ASIAZ7EXAMPLE2QWERTY';
  const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLETOKENxyz0123456789abcdefABCDEF==';

  it('removes access key ids, and labelled secret keys, session tokens and passwords, in every notation', () => {
    const redactor = new Redactor([]);
    const text = [
      `[default]`,
      `aws_access_key_id = ${KEY_ID}`,
      `aws_secret_access_key = ${SECRET_KEY}`,
      `aws_session_token=${TOKEN}`,
      `{"AccessKeyId":"${SESSION_KEY_ID}","SecretAccessKey":"${SECRET_KEY}","SessionToken":"${TOKEN}"}`,
      `curl -H 'X-Amz-Security-Token: ${TOKEN}'`,
      `export AWS_SECRET_ACCESS_KEY='${SECRET_KEY}'`,
      `registry: {password: hunter2hunter2, user: me}`,
      `https://hub.example/login?user=me&password=s3cr3t-pw&x=1`,
      `{\\"password\\":\\"inner-pw-123\\"}`,
    ].join('\n');
    const out = redactor.redact(text);
    for (const value of [
      KEY_ID,
      SESSION_KEY_ID,
      SECRET_KEY,
      TOKEN,
      'hunter2hunter2',
      's3cr3t-pw',
      'inner-pw-123',
    ])
      expect(out).not.toContain(value);
    expect(out).toContain('aws_secret_access_key = [redacted: secret access key]');
    expect(out).toContain('"SessionToken":"[redacted: session token]"');
    expect(out).toContain("X-Amz-Security-Token: [redacted: session token]'");
    expect(out).toContain('password=[redacted: password field]&x=1');
    expect(out).toContain('{\\"password\\":\\"[redacted: password field]\\"}');
    expect(redactor.report()).toEqual([
      { kind: 'password field', count: 3 },
      { kind: 'secret access key', count: 3 },
      { kind: 'session token', count: 3 },
      { kind: 'access key id', count: 2 },
    ]);
  });

  it('counts a known credential once, by its kind, and never says its value', () => {
    const redactor = new Redactor([
      { kind: 'access key id', value: KEY_ID },
      { kind: 'secret access key', value: SECRET_KEY },
    ]);
    const out = redactor.redact(`key ${KEY_ID} secret ${SECRET_KEY}`);
    expect(out).toBe('key [redacted: access key id] secret [redacted: secret access key]');
    const report = JSON.stringify(redactor.report());
    expect(report).not.toContain(KEY_ID);
    expect(report).not.toContain(SECRET_KEY);
    expect(redactor.report()).toEqual([
      { kind: 'access key id', count: 1 },
      { kind: 'secret access key', count: 1 },
    ]);
  });

  it('leaves a marker it wrote alone when the text passes again', () => {
    const redactor = new Redactor([]);
    const once = redactor.redact('password: hunter2hunter2');
    expect(redactor.redact(once)).toBe(once);
    expect(redactor.report()).toEqual([{ kind: 'password field', count: 1 }]);
  });
});
