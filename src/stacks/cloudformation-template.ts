import { type CollectionTag, parseDocument, type ScalarTag } from 'yaml';
import { checkYamlNesting } from '../input-limits.ts';

/**
 * Just enough of a CloudFormation template to plan with: parameters (to check the blueprint maps
 * them), resources (to count progress and spot `DeletionPolicy: Retain`) and outputs.
 */
export interface TemplateSummary {
  parameters: Record<string, TemplateParameter>;
  resources: Record<string, { type: string; deletionPolicy?: string }>;
  outputs: string[];
  /** The argument of every `Fn::ImportValue` in the template, as written (a name, or a `Fn::Sub`). */
  imports: unknown[];
}

export interface TemplateParameter {
  type: string;
  default?: string;
  noEcho: boolean;
  description?: string;
  allowedValues?: string[];
}

// CloudFormation's short-form intrinsics (`!Ref X`, `!Sub ...`) are YAML tags; without these the
// parser would warn on every one. They parse to the long form so nothing downstream needs to care.
const INTRINSICS = [
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
  'Transform',
  'And',
  'Equals',
  'If',
  'Not',
  'Or',
  'Condition',
  'Ref',
  'Length',
  'ToJsonString',
];

function intrinsicTags(): Array<ScalarTag | CollectionTag> {
  return INTRINSICS.flatMap((name) => {
    const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
    const wrap = (value: unknown): Record<string, unknown> => ({ [key]: value });
    return [
      {
        tag: `!${name}`,
        resolve: (value: string) => wrap(name === 'GetAtt' ? value.split('.') : value),
      } as ScalarTag,
      {
        tag: `!${name}`,
        collection: 'seq',
        resolve: (seq: { toJSON(): unknown }) => wrap(seq.toJSON()),
      } as CollectionTag,
      {
        tag: `!${name}`,
        collection: 'map',
        resolve: (map: { toJSON(): unknown }) => wrap(map.toJSON()),
      } as CollectionTag,
    ];
  });
}

/** Parses a template body (JSON is YAML too). Throws the parser's error, which the caller wraps. */
export function parseTemplate(body: string): TemplateSummary {
  return summarizeTemplate(parseTemplateDocument(body));
}

/**
 * The whole template as plain data, intrinsics in their long form, for checks that look past the
 * summary (nested stacks, IAM names, exports). Throws the parser's error, which the caller wraps.
 */
export function parseTemplateDocument(body: string): Record<string, unknown> {
  checkYamlNesting(body, 'the template');
  const document = parseDocument(body, { customTags: intrinsicTags(), uniqueKeys: false });
  if (document.errors.length > 0) throw document.errors[0];
  return asRecord(document.toJSON());
}

export function summarizeTemplate(root: Record<string, unknown>): TemplateSummary {
  const parameters: Record<string, TemplateParameter> = {};
  for (const [name, raw] of Object.entries(asRecord(root.Parameters))) {
    const p = asRecord(raw);
    parameters[name] = {
      type: String(p.Type ?? 'String'),
      noEcho: p.NoEcho === true || p.NoEcho === 'true',
      ...(p.Default !== undefined ? { default: String(p.Default) } : {}),
      ...(typeof p.Description === 'string' ? { description: p.Description } : {}),
      ...(Array.isArray(p.AllowedValues) ? { allowedValues: p.AllowedValues.map(String) } : {}),
    };
  }
  const resources: TemplateSummary['resources'] = {};
  for (const [logicalId, raw] of Object.entries(asRecord(root.Resources))) {
    const r = asRecord(raw);
    resources[logicalId] = {
      type: String(r.Type ?? 'Unknown'),
      ...(typeof r.DeletionPolicy === 'string' ? { deletionPolicy: r.DeletionPolicy } : {}),
    };
  }
  const imports: unknown[] = [];
  collectImports(root.Resources, imports);
  collectImports(root.Outputs, imports);
  return { parameters, resources, outputs: Object.keys(asRecord(root.Outputs)), imports };
}

function collectImports(node: unknown, into: unknown[]): void {
  if (Array.isArray(node)) for (const item of node) collectImports(item, into);
  else if (node !== null && typeof node === 'object')
    for (const [key, value] of Object.entries(node)) {
      if (key === 'Fn::ImportValue') into.push(value);
      else collectImports(value, into);
    }
}

/**
 * The export name an `Fn::ImportValue` argument resolves to for a stack, or undefined when it takes more
 * than a name or a `Fn::Sub` over the stack's parameters and the pseudo parameters.
 */
export function resolveImportName(
  argument: unknown,
  context: { stackName: string; region: string; account: string; parameters: Record<string, string> },
): string | undefined {
  if (typeof argument === 'string') return argument;
  const sub = asRecord(argument)['Fn::Sub'];
  const [text, variables] = Array.isArray(sub) ? [sub[0], asRecord(sub[1])] : [sub, {}];
  if (typeof text !== 'string') return undefined;
  const known: Record<string, string> = {
    ...context.parameters,
    'AWS::StackName': context.stackName,
    'AWS::Region': context.region,
    'AWS::AccountId': context.account,
  };
  let unresolved = false;
  const name = text.replace(/\$\{([^}]+)\}/g, (_match, variable: string) => {
    const value = variables[variable] ?? known[variable];
    if (typeof value !== 'string') unresolved = true;
    return typeof value === 'string' ? value : '';
  });
  return unresolved ? undefined : name;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
