/**
 * The redaction pass of the support bundle: every byte that goes into the archive goes through one
 * Redactor first. It removes two sorts of things.
 *
 * Known values (the secret answers and registry passwords in scope, answers feeding NoEcho parameters,
 * the access keys, secret keys and session tokens of the environment and the shared files): each value
 * as written, JSON-escaped, URL-encoded (`%20` and `+` for spaces) and base64-encoded at each of the
 * three byte alignments it can have inside a longer base64 text (a Basic auth header, a docker config).
 * Not only whole: any run of 8 or more characters of one of those forms is removed, so a value cut short
 * by a truncated message, or split by a line break, leaves no fragment of 8 characters behind. A value
 * shorter than 8 characters is removed where it appears whole, not inside a longer word.
 *
 * Shapes, whatever their value: AWS access key ids (AKIA, ASIA, ABIA, ACCA and 16 more letters or
 * digits), and the value after a label that names a secret access key, a session token or a password
 * (`aws_secret_access_key = …`, `"SessionToken":"…"`, `X-Amz-Security-Token=…`, `password: …`).
 *
 * Each removal leaves `[redacted: <kind>]` and is counted by kind; the values themselves are never kept
 * past the pass, and never printed.
 */

export type RedactionKind =
  | 'secret answer'
  | 'sensitive answer'
  | 'registry password'
  | 'access key id'
  | 'secret access key'
  | 'session token'
  | 'password field';

export interface SecretValue {
  kind: RedactionKind;
  value: string;
}

export interface RedactionCount {
  kind: RedactionKind;
  count: number;
}

/** The shortest run of a secret's characters that is removed wherever it appears. */
export const FRAGMENT_LENGTH = 8;

function redactionMarker(kind: RedactionKind): string {
  return `[redacted: ${kind}]`;
}

/** The forms a value takes in the files we bundle: as is, JSON-escaped, URL-encoded, base64. */
function encodedForms(value: string): string[] {
  const forms = new Set<string>([value]);
  forms.add(JSON.stringify(value).slice(1, -1));
  forms.add(encodeURIComponent(value));
  forms.add(encodeURIComponent(value).replaceAll('%20', '+'));
  for (const core of base64Cores(value)) forms.add(core);
  return [...forms].filter((form) => form.length > 0);
}

/**
 * The characters of base64 text that depend only on the value, at each of its three possible byte
 * offsets inside a longer encoded text (in both the standard and the URL-safe alphabet): the first and
 * last characters of an encoded run also carry bits of its neighbours, so they are left out.
 */
function base64Cores(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const cores: string[] = [];
  for (const offset of [0, 1, 2]) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
    const encoded = padded.toString('base64').replace(/=+$/, '');
    // Characters fully inside the value: skip those that hold bits of the padding before it, and the
    // last one, which may hold bits of what comes after.
    const start = Math.ceil((offset * 8) / 6);
    const end = Math.floor((padded.length * 8) / 6);
    const core = encoded.slice(start, end);
    if (core.length >= FRAGMENT_LENGTH) {
      cores.push(core);
      cores.push(core.replaceAll('+', '-').replaceAll('/', '_'));
    }
  }
  return cores;
}

/** Labels whose value is a secret whatever it looks like, with the kind it is counted as. */
const LABELLED: ReadonlyArray<{ kind: RedactionKind; label: RegExp }> = [
  { kind: 'secret access key', label: /secret[_-]?access[_-]?key/i },
  { kind: 'session token', label: /session[_-]?token|security[_-]?token/i },
  { kind: 'password field', label: /password|passwd|client[_-]?secret/i },
];

/**
 * `label` then `=` or `:` (in JSON, YAML, INI, a query string or a header), then the value: quoted (up
 * to the closing quote, escapes included) or bare (up to white space, `&`, `,`, `;` or a closing
 * bracket). A label that is part of a longer word (`passwordPolicy`) is not one.
 */
const LABELLED_VALUE =
  /(?<![A-Za-z0-9_])([A-Za-z0-9_-]*(?:secret[_-]?access[_-]?key|session[_-]?token|security[_-]?token|password|passwd|client[_-]?secret))(\\?["']?\s*[:=]\s*)(?:(\\?")((?:[^"\\]|\\(?!")[^"]?)*)(\\?")|(')([^']*)(')|([^\s"'&,;)}\]]+))/gi;

const ACCESS_KEY_ID = /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])/g;

export class Redactor {
  /** Every run of FRAGMENT_LENGTH characters of every form of every long value, with its kind. */
  readonly #fragments = new Map<string, RedactionKind>();
  /** Values too short to have fragments: removed where they appear whole, longest first. */
  readonly #short: Array<{ form: string; kind: RedactionKind }> = [];
  readonly #counts = new Map<RedactionKind, number>();

  constructor(values: readonly SecretValue[]) {
    for (const { kind, value } of values) {
      if (value.length === 0) continue;
      for (const form of encodedForms(value)) {
        if (form.length < FRAGMENT_LENGTH) {
          this.#short.push({ form, kind });
          continue;
        }
        for (let at = 0; at + FRAGMENT_LENGTH <= form.length; at++) {
          const fragment = form.slice(at, at + FRAGMENT_LENGTH);
          if (!this.#fragments.has(fragment)) this.#fragments.set(fragment, kind);
        }
      }
    }
    this.#short.sort((a, b) => b.form.length - a.form.length);
  }

  /** The text with every known value and every secret shape replaced by its kind's marker. */
  redact(text: string): string {
    return this.#redactShapes(this.#redactShort(this.#redactFragments(text)));
  }

  /** The marker for a value removed by the caller (a secret key of the answers file), counted. */
  replace(kind: RedactionKind): string {
    this.#count(kind);
    return redactionMarker(kind);
  }

  /** Removals so far, by kind, most first. */
  report(): RedactionCount[] {
    return [...this.#counts]
      .map(([kind, count]) => ({ kind, count }))
      .sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind));
  }

  #count(kind: RedactionKind): void {
    this.#counts.set(kind, (this.#counts.get(kind) ?? 0) + 1);
  }

  /** Marks every character covered by a known fragment; each covered run becomes one marker. */
  #redactFragments(text: string): string {
    if (this.#fragments.size === 0 || text.length < FRAGMENT_LENGTH) return text;
    const kinds: Array<RedactionKind | undefined> = new Array(text.length);
    let found = false;
    for (let at = 0; at + FRAGMENT_LENGTH <= text.length; at++) {
      const kind = this.#fragments.get(text.slice(at, at + FRAGMENT_LENGTH));
      if (!kind) continue;
      found = true;
      for (let i = at; i < at + FRAGMENT_LENGTH; i++) kinds[i] ??= kind;
    }
    if (!found) return text;
    let out = '';
    let at = 0;
    while (at < text.length) {
      const kind = kinds[at];
      if (!kind) {
        out += text[at];
        at++;
        continue;
      }
      while (at < text.length && kinds[at] !== undefined) at++;
      out += redactionMarker(kind);
      this.#count(kind);
    }
    return out;
  }

  /**
   * A short value only where it stands alone (no letter or digit either side): inside a longer word it
   * is as likely to be chance, and removing it there would garble the bundle for nothing.
   */
  #redactShort(text: string): string {
    let out = text;
    for (const { form, kind } of this.#short) {
      const alone = new RegExp(
        `(?<![A-Za-z0-9])${form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9])`,
        'g',
      );
      out = out.replace(alone, () => {
        this.#count(kind);
        return redactionMarker(kind);
      });
    }
    return out;
  }

  #redactShapes(text: string): string {
    const keys = text.replace(ACCESS_KEY_ID, () => {
      this.#count('access key id');
      return redactionMarker('access key id');
    });
    return keys.replace(LABELLED_VALUE, (whole: string, label: string, separator: string, ...groups) => {
      const [dqOpen, dqValue, dqClose, sqOpen, sqValue, sqClose, bare] = groups as Array<string | undefined>;
      const value = dqValue ?? sqValue ?? bare ?? '';
      // Already a marker, or nothing there: leave it as it is.
      if (value === '' || value.startsWith('[redacted:') || value === '[secret]') return whole;
      const kind = LABELLED.find((entry) => entry.label.test(label))?.kind ?? 'password field';
      this.#count(kind);
      const marker = redactionMarker(kind);
      if (dqValue !== undefined) return `${label}${separator}${dqOpen}${marker}${dqClose}`;
      if (sqValue !== undefined) return `${label}${separator}${sqOpen}${marker}${sqClose}`;
      return `${label}${separator}${marker}`;
    });
  }
}
