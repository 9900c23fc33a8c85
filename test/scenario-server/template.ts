import { type CollectionTag, parse, type ScalarTag } from 'yaml';

/**
 * The part of a CloudFormation template the scenario server acts on (SPEC.md, "Templates"): which
 * resources exist (conditions applied), what the Outputs evaluate to, which of them are exported, and
 * which exports the template imports. Intrinsic functions are evaluated as CloudFormation documents
 * them, over the values the server knows: parameters, pseudo parameters, physical ids, exports.
 * Independent of the product's own template reader on purpose: a shared parser would hide its bugs on
 * both sides of the wire.
 */
export interface TemplateContext {
  stackName: string;
  stackId: string;
  region: string;
  account: string;
  parameters: Record<string, string>;
  /** Physical id of a resource by logical id (what `Ref` returns for most resource types). */
  physicalId: (logicalId: string) => string;
  /** Value of an export by name, undefined when nothing exports it. */
  exportValue: (name: string) => string | undefined;
  /** `Fn::GetAtt` where the caller knows the real value (the moto proxy: an IAM role's ARN); else made up. */
  attribute?: (logicalId: string, attribute: string) => string | undefined;
}

export interface TemplateOutput {
  key: string;
  value: string;
  description?: string;
  exportName?: string;
}

type Json = unknown;

/** Thrown when an intrinsic cannot be evaluated; the server turns it into the documented failure. */
export class TemplateError extends Error {}

const FUNCTIONS = [
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'And',
  'Equals',
  'If',
  'Not',
  'Or',
  'Condition',
  'Ref',
];

/** `!Ref X` and friends as YAML tags, each turned into its long JSON form. */
const shortForms: Array<ScalarTag | CollectionTag> = FUNCTIONS.flatMap((fn) => {
  const long = fn === 'Ref' || fn === 'Condition' ? fn : `Fn::${fn}`;
  const scalar: ScalarTag = {
    tag: `!${fn}`,
    resolve: (text: string) => ({ [long]: fn === 'GetAtt' ? text.split('.') : text }),
  };
  const collections = (['seq', 'map'] as const).map(
    (collection): CollectionTag => ({
      tag: `!${fn}`,
      collection,
      resolve: (node) => ({ [long]: node.toJSON() }),
    }),
  );
  return [scalar, ...collections];
});

export function parseTemplateBody(body: string): Record<string, Json> {
  const parsed: unknown = parse(body, { customTags: shortForms });
  return parsed && typeof parsed === 'object' ? (parsed as Record<string, Json>) : {};
}

const record = (value: Json): Record<string, Json> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, Json>) : {};

/** The template's parameters with their defaults applied to what the caller passed. */
export function effectiveParameters(
  template: Record<string, Json>,
  passed: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, declaration] of Object.entries(record(template.Parameters))) {
    const fallback = record(declaration).Default;
    const value = passed[name] ?? (fallback === undefined ? undefined : String(fallback));
    if (value !== undefined) out[name] = value;
  }
  return out;
}

export class TemplateEvaluator {
  private readonly conditions = new Map<string, boolean>();
  // Plain fields, not parameter properties: scripts/lab.ts and the demo load this file through Node's
  // type stripping, which refuses syntax that is not erasable (tsconfig's erasableSyntaxOnly checks it).
  private readonly template: Record<string, Json>;
  private readonly context: TemplateContext;

  constructor(template: Record<string, Json>, context: TemplateContext) {
    this.template = template;
    this.context = context;
  }

  /** Resources whose Condition holds, in template order. */
  resources(): Array<{ logicalId: string; type: string; definition: Record<string, Json> }> {
    return Object.entries(record(this.template.Resources))
      .map(([logicalId, raw]) => ({ logicalId, definition: record(raw) }))
      .filter(({ definition }) => this.holds(definition.Condition))
      .map(({ logicalId, definition }) => ({ logicalId, type: String(definition.Type ?? ''), definition }));
  }

  /** Every export name the template imports, evaluated; throws when one of them is not exported. */
  imports(): string[] {
    const found = new Set<string>();
    const walk = (node: Json): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === 'Fn::ImportValue') found.add(this.text(value));
          else walk(value);
        }
      }
    };
    walk(this.resources().map((r) => r.definition));
    walk(Object.values(record(this.template.Outputs)));
    for (const name of found)
      if (this.context.exportValue(name) === undefined)
        throw new TemplateError(`No export named ${name} found.`);
    return [...found];
  }

  outputs(): TemplateOutput[] {
    return Object.entries(record(this.template.Outputs))
      .map(([key, raw]) => ({ key, output: record(raw) }))
      .filter(({ output }) => this.holds(output.Condition))
      .map(({ key, output }) => {
        const exportName = record(output.Export).Name;
        return {
          key,
          value: this.text(output.Value),
          ...(typeof output.Description === 'string' ? { description: output.Description } : {}),
          ...(exportName !== undefined ? { exportName: this.text(exportName) } : {}),
        };
      });
  }

  /** A resource's properties evaluated, to tell whether an update changes it. */
  properties(logicalId: string): string {
    return JSON.stringify(this.evaluate(record(record(this.template.Resources)[logicalId]).Properties ?? {}));
  }

  private holds(condition: Json): boolean {
    if (typeof condition !== 'string') return true;
    const known = this.conditions.get(condition);
    if (known !== undefined) return known;
    const definition = record(this.template.Conditions)[condition];
    if (definition === undefined) throw new TemplateError(`Unresolved dependencies [${condition}]`);
    const value = this.evaluate(definition) === true;
    this.conditions.set(condition, value);
    return value;
  }

  private text(node: Json): string {
    const value = this.evaluate(node);
    return Array.isArray(value) ? value.join(',') : String(value);
  }

  evaluate(node: Json): Json {
    if (Array.isArray(node)) return node.map((item) => this.evaluate(item));
    if (!node || typeof node !== 'object') return node;
    const entries = Object.entries(node);
    const [fn, argument] = entries[0] ?? [];
    if (entries.length !== 1 || fn === undefined) {
      return Object.fromEntries(entries.map(([key, value]) => [key, this.evaluate(value)]));
    }
    const args = (): Json[] => {
      const value = this.evaluate(argument);
      return Array.isArray(value) ? value : [value];
    };
    switch (fn) {
      case 'Ref':
        return this.ref(String(argument));
      case 'Condition':
        return this.holds(argument);
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(argument)
          ? argument.map(String)
          : String(argument).split('.');
        const known = this.context.attribute?.(logicalId ?? '', attribute ?? '');
        if (known !== undefined) return known;
        return `arn:aws:scenario:${this.context.region}:${this.context.account}:${this.context.physicalId(logicalId ?? '')}/${attribute}`;
      }
      case 'Fn::Sub':
        return this.sub(argument);
      case 'Fn::Join': {
        const [separator, items] = args();
        return (Array.isArray(items) ? items : []).map(String).join(String(separator));
      }
      case 'Fn::Select': {
        const [index, items] = args();
        return (Array.isArray(items) ? items : [])[Number(index)];
      }
      case 'Fn::Split': {
        const [separator, value] = args();
        return String(value).split(String(separator));
      }
      case 'Fn::ImportValue': {
        const name = this.text(argument);
        const value = this.context.exportValue(name);
        if (value === undefined) throw new TemplateError(`No export named ${name} found.`);
        return value;
      }
      case 'Fn::Equals': {
        const [a, b] = args();
        return String(a) === String(b);
      }
      case 'Fn::Not':
        return args()[0] !== true;
      case 'Fn::And':
        return args().every((value) => value === true);
      case 'Fn::Or':
        return args().some((value) => value === true);
      case 'Fn::If': {
        const [condition, yes, no] = Array.isArray(argument) ? argument : [];
        return this.evaluate(this.holds(condition) ? yes : no);
      }
      case 'Fn::GetAZs':
        return ['a', 'b', 'c'].map((zone) => `${this.context.region}${zone}`);
      case 'Fn::Base64':
        return Buffer.from(String(this.evaluate(argument))).toString('base64');
      default:
        return Object.fromEntries(entries.map(([key, value]) => [key, this.evaluate(value)]));
    }
  }

  private ref(name: string): string {
    switch (name) {
      case 'AWS::StackName':
        return this.context.stackName;
      case 'AWS::StackId':
        return this.context.stackId;
      case 'AWS::Region':
        return this.context.region;
      case 'AWS::AccountId':
        return this.context.account;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::NoValue':
        return '';
    }
    const parameter = this.context.parameters[name];
    if (parameter !== undefined) return parameter;
    if (name in record(this.template.Resources)) return this.context.physicalId(name);
    throw new TemplateError(
      `Template format error: Unresolved resource dependencies [${name}] in the Resources block of the template`,
    );
  }

  private sub(argument: Json): string {
    const [text, variables] = Array.isArray(argument) ? argument : [argument, {}];
    const own = record(variables);
    return String(text).replace(/\$\{([^}!]+)\}/g, (_whole, name: string) => {
      if (name in own) return this.text(own[name]);
      if (name.includes('.')) return this.text({ 'Fn::GetAtt': name.split('.') });
      return this.ref(name);
    });
  }
}
