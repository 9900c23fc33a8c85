import { relative } from 'node:path';
import type { TemplateSummary } from '../../stacks/cloudformation-template.ts';
import type { BlueprintDocument } from '../blueprint-schema.ts';

/** A stack's template as the loader read it (here, not in load-blueprint.ts, so the checks need not import their caller). */
export interface LoadedTemplate {
  path: string;
  body: string;
  summary: TemplateSummary;
  /** The parsed template, for the checks that look past the summary. */
  document: Record<string, unknown>;
}

/** What every check reads: the parsed blueprint and its templates, already on disk and parsed. */
export interface CheckInput {
  blueprint: BlueprintDocument;
  /** Absolute path of the blueprint folder. */
  dir: string;
  /** Top-level templates by stack id (stacks with a templateUrl have none). */
  templates: Readonly<Record<string, LoadedTemplate>>;
  /** Nested templates shipped in the folder, by the id of the blueprint stack that holds them. */
  nested: Readonly<Record<string, readonly NestedTemplate[]>>;
}

/** A nested stack's template given as a path in the blueprint folder (`TemplateURL: network.yaml`). */
export interface NestedTemplate {
  /** Path relative to the blueprint folder, as messages show it. */
  file: string;
  /** Absolute path. */
  path: string;
  body: string;
  document: Record<string, unknown>;
  /** The template (relative path) whose resource points at this one. */
  parentFile: string;
  /** The logical id of the AWS::CloudFormation::Stack resource in the parent. */
  logicalId: string;
}

/**
 * One problem: where (a path in blueprint.yaml, or with `file` a path inside that template file), what
 * is wrong, and how to fix it.
 */
export interface CheckProblem {
  segments: PropertyKey[];
  message: string;
  fix: string;
  /** A template file (relative to the blueprint folder) the segments are a path in. */
  file?: string;
}

export function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** The Resources section of a template, each as its own record. */
export function resourcesOf(document: Record<string, unknown>): Array<[string, Record<string, unknown>]> {
  return Object.entries(asRecord(document.Resources)).map(([id, raw]) => [id, asRecord(raw)]);
}

/** A stack's template file and the nested ones it ships, each with its path in the folder. */
export function stackTemplateFiles(
  { dir, templates, nested }: CheckInput,
  stackId: string,
): Array<{ file: string; body: string; document: Record<string, unknown>; nested: boolean }> {
  const top = templates[stackId];
  if (!top) return [];
  return [
    { file: relative(dir, top.path), body: top.body, document: top.document, nested: false },
    ...(nested[stackId] ?? []).map(({ file, body, document }) => ({ file, body, document, nested: true })),
  ];
}
