import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { StackguideError } from '../../errors.ts';
import { INPUT_LIMITS, readLimitedFile } from '../../input-limits.ts';
import { parseTemplateDocument } from '../../stacks/cloudformation-template.ts';
import type { BlueprintDocument } from '../blueprint-schema.ts';
import {
  type CheckProblem,
  type LoadedTemplate,
  type NestedTemplate,
  resourcesOf,
} from './blueprint-check.ts';

/** A `TemplateURL` that names a file rather than a place in S3 (as `aws cloudformation package` takes). */
function isLocalTemplateUrl(value: unknown): value is string {
  return typeof value === 'string' && !/^(https?|s3):\/\//i.test(value);
}

// CloudFormation allows deeper nesting, but a blueprint folder that nests further is far more likely
// to hold a template that includes itself.
const MAX_DEPTH = 5;

/**
 * Reads every nested template given as a path in the blueprint folder (relative to the template that
 * names it), recursively: each must exist inside the folder and parse. The files are then checked like
 * the top-level templates (IAM capabilities, limits) and packaged at install.
 */
export async function loadNestedTemplates(
  blueprint: BlueprintDocument,
  dir: string,
  templates: Readonly<Record<string, LoadedTemplate>>,
): Promise<{ nested: Record<string, NestedTemplate[]>; problems: CheckProblem[] }> {
  const nested: Record<string, NestedTemplate[]> = {};
  const problems: CheckProblem[] = [];
  for (const stack of blueprint.stacks) {
    const top = templates[stack.id];
    if (!top) continue;
    const found: NestedTemplate[] = [];
    const visit = async (
      document: Record<string, unknown>,
      path: string,
      chain: readonly string[],
    ): Promise<void> => {
      const file = relative(dir, path);
      for (const [logicalId, resource] of resourcesOf(document)) {
        if (resource.Type !== 'AWS::CloudFormation::Stack') continue;
        const url = (resource.Properties as Record<string, unknown> | undefined)?.TemplateURL;
        if (!isLocalTemplateUrl(url)) continue;
        const segments = ['Resources', logicalId, 'Properties', 'TemplateURL'];
        const target = join(dirname(path), url);
        const inside = relative(dir, target);
        if (isAbsolute(url) || inside.startsWith(`..${sep}`) || inside === '..') {
          problems.push({
            file,
            segments,
            message: `"${url}" is outside the blueprint folder`,
            fix: 'Put the nested template in the blueprint folder and give its path relative to this template.',
          });
          continue;
        }
        if (chain.includes(target) || chain.length >= MAX_DEPTH) {
          problems.push({
            file,
            segments,
            message: `"${url}" nests templates ${chain.length >= MAX_DEPTH ? `more than ${MAX_DEPTH} deep` : 'in a loop'}`,
            fix: 'A nested template must not include the template that includes it.',
          });
          continue;
        }
        let body: string;
        try {
          body = await readLimitedFile(target, INPUT_LIMITS.templateBytes, 'the nested template');
        } catch (cause) {
          if (cause instanceof StackguideError) {
            problems.push({
              file: inside,
              segments: [],
              message: cause.message,
              fix: 'Split it into more nested stacks.',
            });
            continue;
          }
          problems.push({
            file,
            segments,
            message: `the nested template "${url}" is not in the blueprint folder (looked for ${inside})`,
            fix: `Add ${inside} to the blueprint folder, or correct the path (relative to ${file}).`,
          });
          continue;
        }
        let parsed: Record<string, unknown>;
        try {
          parsed = parseTemplateDocument(body);
        } catch (cause) {
          problems.push({
            file: inside,
            segments: [],
            message: `the nested template is not valid YAML or JSON: ${(cause as Error).message.split('\n')[0]}`,
            fix: 'Fix the template syntax.',
          });
          continue;
        }
        found.push({ file: inside, path: target, body, document: parsed, parentFile: file, logicalId });
        await visit(parsed, target, [...chain, target]);
      }
    };
    await visit(top.document, top.path, [top.path]);
    if (found.length > 0) nested[stack.id] = found;
  }
  return { nested, problems };
}
