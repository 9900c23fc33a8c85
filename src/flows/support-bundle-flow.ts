import { type Blueprint, loadBlueprint } from '../blueprint/load-blueprint.ts';
import { StackguideError } from '../errors.ts';
import type { StackguideEvent } from '../events.ts';
import { type BundleTarget, type BundleTargetRequest, findBundleTarget } from '../support/bundle-target.ts';
import { gatherSupportBundle } from '../support/support-bundle.ts';
import { writeArchive } from '../support/write-archive.ts';
import type { Flow, FlowHost } from './flow.ts';

/**
 * `stackguide support-bundle --out FILE`: one redacted `.tar.gz` of a deployment for the vendor's
 * support (src/support/support-bundle.ts says what it holds; src/support/bundle-target.ts which
 * deployment it is of). It is meant for a deployment in trouble, so it reads leniently: a blueprint that
 * does not load, a corrupt journal, an answers file the install would refuse or AWS out of reach are
 * said in the manifest, and the rest is still written. Exit 0 written, 2 nothing to bundle or --out
 * exists, 1 could not write.
 */
export interface SupportBundleRequest extends Omit<BundleTargetRequest, 'blueprintId'> {
  /** `--out`: the archive to write; required. */
  out: string | undefined;
  /** `--force`: replace --out when it exists. */
  force: boolean;
  blueprintPath: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The shared AWS config and credentials files in scope: their credentials are redacted. */
  sharedFiles: readonly string[];
  toolVersion: string;
  nodeVersion: string;
}

export type SupportBundleEvent = Extract<StackguideEvent, { type: 'support.bundle' }>;

/** What was written (also emitted as `support.bundle`), and of which deployment. */
export interface SupportBundleOutcome extends Omit<BundleTarget, 'answersPath'> {
  event: SupportBundleEvent;
}

interface Validated {
  request: SupportBundleRequest & { out: string };
  target: BundleTarget;
  blueprint: Blueprint | undefined;
  blueprintProblem: string | undefined;
}

export function supportBundleFlow(
  host: FlowHost,
): Flow<SupportBundleRequest, Validated, Validated, SupportBundleOutcome> {
  return {
    async validate(request) {
      const { out } = request;
      if (!out)
        throw new StackguideError('support-bundle needs --out <file>', {
          code: 'usage.out',
          kind: 'user',
          nextSteps: ['Add --out support.tar.gz'],
        });
      const { blueprint, problem } = await loadBlueprint(request.blueprintPath).then(
        (loaded): { blueprint: Blueprint | undefined; problem?: string } => ({ blueprint: loaded }),
        (error: unknown) => ({ blueprint: undefined, problem: (error as Error).message }),
      );
      const target = await findBundleTarget({ ...request, blueprintId: blueprint?.product.id });
      return { request: { ...request, out }, target, blueprint, blueprintProblem: problem };
    },

    // Nothing to ask: the bundle is read from what is there, unattended as much as in a terminal.
    async ask(validated) {
      return validated;
    },

    async execute({ request, target, blueprint, blueprintProblem }) {
      const { deployment, region } = target;
      const bundle = await gatherSupportBundle({
        stateDir: request.stateDir,
        deployment,
        region,
        blueprint,
        ...(blueprintProblem ? { blueprintProblem } : {}),
        answersPath: target.answersPath,
        ...(target.answersLooked ? { answersLooked: target.answersLooked } : {}),
        env: request.env,
        sharedFiles: request.sharedFiles,
        aws: region
          ? () => {
              const aws = host.connect(region);
              return { cloudFormation: aws.cloudFormation, identity: aws.identity };
            }
          : undefined,
        toolVersion: request.toolVersion,
        nodeVersion: request.nodeVersion,
        now: new Date(host.clock.now()),
        signal: host.signal,
      });
      const { bytes } = await writeArchive(request.out, bundle.folder, bundle.entries, {
        force: request.force,
      });
      const event: SupportBundleEvent = {
        type: 'support.bundle',
        path: request.out,
        bytes,
        files: bundle.entries.map((entry) => entry.path),
        aws: { reached: bundle.aws.reached, ...(bundle.aws.reason ? { reason: bundle.aws.reason } : {}) },
        redactions: bundle.redactions,
        notes: bundle.notes,
      };
      host.events.emit(event);
      return { event, deployment, region };
    },
  };
}
