import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { S3Port } from '../aws/s3-port.ts';
import type { Blueprint } from '../blueprint/load-blueprint.ts';
import { BLUEPRINT_TAG, DEPLOYMENT_TAG } from '../deployment-tags.ts';
import { StackguideError } from '../errors.ts';
import type { StackguideEvent } from '../events.ts';
import type { InstallPlan } from '../install/install-plan.ts';
import { parseTemplateDocument } from '../stacks/cloudformation-template.ts';

/** CloudFormation takes a template body in the request up to this size; larger ones from S3 only. */
const INLINE_TEMPLATE_BYTES = 51_200;

export interface PackagingContext {
  s3: Pick<S3Port, 'bucketExists' | 'createPrivateBucket' | 'objectExists' | 'putObject'>;
  deployment: string;
  account: string;
  region: string;
  /** Told `templates.packaged` when anything was packaged. */
  emit: (event: Extract<StackguideEvent, { type: 'templates.packaged' }>) => void;
}

export interface PackagingOutcome {
  plan: InstallPlan;
  /** Absent when nothing needed packaging: no bucket is made then. */
  bucket?: string;
  uploaded: string[];
  /** Keys already in the bucket with the same content (their name is their sha256). */
  reused: string[];
}

/**
 * Like `aws cloudformation package`: nested templates given as paths in the blueprint folder, and
 * templates over the inline limit, go to the deployment's artifacts bucket under content-addressed keys
 * (`templates/<sha256>.yaml`), and the parent's TemplateURL (or the stack's own template) points at
 * them. A key that exists already holds the same bytes, so a re-run uploads nothing. A stack whose
 * template `upgrade --template` replaced is left as given.
 */
export async function packageTemplates(
  plan: InstallPlan,
  blueprint: Pick<Blueprint, 'templates' | 'nested' | 'product'>,
  context: PackagingContext,
): Promise<PackagingOutcome> {
  const bucket = artifactsBucketName(context.deployment, context.account, context.region);
  const outcome: PackagingOutcome = { plan, uploaded: [], reused: [] };
  let bucketReady = false;
  const upload = async (body: string): Promise<string> => {
    if (!bucketReady) {
      if (!(await context.s3.bucketExists(bucket)))
        await context.s3.createPrivateBucket(bucket, context.region, {
          [DEPLOYMENT_TAG]: context.deployment,
          [BLUEPRINT_TAG]: blueprint.product.id,
        });
      bucketReady = true;
      outcome.bucket = bucket;
    }
    const key = `templates/${createHash('sha256').update(body).digest('hex')}.yaml`;
    if (await context.s3.objectExists(bucket, key)) outcome.reused.push(key);
    else {
      await context.s3.putObject(bucket, key, body);
      outcome.uploaded.push(key);
    }
    return `https://${bucket}.s3.${context.region}.amazonaws.com/${key}`;
  };

  const stacks = [];
  for (const stack of plan.stacks) {
    const template = blueprint.templates[stack.id];
    // Only the blueprint's own template is packaged; an override is deployed as it was given.
    if (!template || stack.templateBody !== template.body) {
      stacks.push(stack);
      continue;
    }
    const bodies = new Map((blueprint.nested[stack.id] ?? []).map((nested) => [nested.path, nested.body]));
    const packaged = async (path: string, body: string): Promise<string> => {
      let result = body;
      for (const { logicalId, url } of localTemplateUrls(body)) {
        const child = join(dirname(path), url);
        const childBody = bodies.get(child);
        // The loader read every nested file; one it did not is a bug, not the vendor's.
        if (childBody === undefined)
          throw new StackguideError(`The nested template ${child} (${logicalId}) was not loaded`, {
            code: 'packaging.not-loaded',
            kind: 'bug',
          });
        result = replaceTemplateUrl(result, url, await upload(await packaged(child, childBody)));
      }
      return result;
    };
    const body = await packaged(template.path, template.body);
    if (Buffer.byteLength(body, 'utf8') > INLINE_TEMPLATE_BYTES) {
      const { templateBody: _inline, ...rest } = stack;
      stacks.push({ ...rest, templateUrl: await upload(body), packagedBody: body });
    } else stacks.push(body === stack.templateBody ? stack : { ...stack, templateBody: body });
  }
  outcome.plan = { ...plan, stacks };
  if (outcome.bucket)
    context.emit({
      type: 'templates.packaged',
      bucket: outcome.bucket,
      uploaded: outcome.uploaded,
      reused: outcome.reused,
    });
  return outcome;
}

/**
 * Whether an install of this blueprint uploads templates to the artifacts bucket: it has nested
 * templates given as files, or a template over the inline limit (`stackguide policy` grants the bucket
 * only then).
 */
export function packagesTemplates(blueprint: Pick<Blueprint, 'templates' | 'nested'>): boolean {
  return (
    Object.values(blueprint.nested).some((nested) => nested.length > 0) ||
    Object.values(blueprint.templates).some(
      (template) => Buffer.byteLength(template.body, 'utf8') > INLINE_TEMPLATE_BYTES,
    )
  );
}

/**
 * The deployment's artifacts bucket: named after the account and region (bucket names are global) and
 * the deployment, within S3's 63 characters; a long deployment name is cut and a hash keeps it unique.
 */
export function artifactsBucketName(deployment: string, account: string, region: string): string {
  const suffix = `-${account}-${region}`;
  const room = 63 - 'sg-'.length - suffix.length;
  const name = deployment.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  const part =
    name.length <= room
      ? name
      : `${name.slice(0, room - 9)}-${createHash('sha256').update(deployment).digest('hex').slice(0, 8)}`;
  return `sg-${part}${suffix}`.replace(/-+/g, '-');
}

function localTemplateUrls(body: string): Array<{ logicalId: string; url: string }> {
  const document = parseTemplateDocument(body);
  const found: Array<{ logicalId: string; url: string }> = [];
  for (const [logicalId, raw] of Object.entries((document.Resources ?? {}) as Record<string, unknown>)) {
    const resource = (raw ?? {}) as { Type?: unknown; Properties?: { TemplateURL?: unknown } };
    const url = resource.Properties?.TemplateURL;
    if (
      resource.Type === 'AWS::CloudFormation::Stack' &&
      typeof url === 'string' &&
      !/^(https?|s3):\/\//i.test(url)
    )
      found.push({ logicalId, url });
  }
  return found;
}

/** Replaces the value of `TemplateURL: <url>` (YAML, quoted or not, or JSON), leaving the rest as written. */
function replaceTemplateUrl(body: string, url: string, replacement: string): string {
  const escaped = url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`(["']?TemplateURL["']?\\s*:\\s*)(["']?)${escaped}\\2(?=\\s|,|}|$)`, 'gm');
  return body.replace(
    pattern,
    (_match, key: string, quote: string) => `${key}${quote}${replacement}${quote}`,
  );
}
