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
  return { parameters, resources, outputs: Object.keys(asRecord(root.Outputs)) };
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
