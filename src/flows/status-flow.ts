import type { AwsContext } from '../aws/aws-context.ts';
import { loadBlueprint } from '../blueprint/load-blueprint.ts';
import type { StatusItem } from '../events.ts';
import { readAnswersFile } from '../install/answers-file.ts';
import { type AnswersSource, findDeploymentAnswersFile } from '../install/deployment-answers-file.ts';
import {
  type ExistingDeployment,
  type ExistingDeploymentRequest,
  findExistingDeployment,
} from '../install/existing-deployment.ts';
import { readDeploymentState } from '../journal/journal.ts';
import type { Settings } from '../settings.ts';
import { couldNotCheck } from '../status/could-not-check.ts';
import { type DeploymentStatus, gatherStatus } from '../status/deployment-status.ts';
import { lastDeployment } from '../status/last-deployment.ts';
import {
  changedItems,
  STATUS_EXIT_CODE,
  statusItems,
  statusRefreshEvents,
} from '../status/status-refresh.ts';
import type { Flow, FlowHost } from './flow.ts';
import { rerunCommand } from './rerun-command.ts';

/** How often --watch refreshes. */
export const WATCH_INTERVAL_MS = 5_000;

/**
 * `stackguide status`: one screen for a deployment, in sections: the stacks (status, last change,
 * drift), DNS delegation per parent server and resolver, certificates, SES, secrets, manual steps and
 * the rest of the account preparation, each item with the one next action when it is not healthy.
 * Without --name, --region or --config: the last deployment of this blueprint in the state folder. Each
 * section is a `status.section` event (and, as before, each stack a `stack.status` and each check a
 * `check.result`), then `status.summary`. `--watch` repeats every 5 s and says only what changed. Exit 0
 * healthy, 4 needs action, 3 could not check. Read-only: it changes nothing.
 */
export interface StatusRequest extends ExistingDeploymentRequest {
  stateDir: string;
  /** `--watch`: refresh every 5 s until interrupted. */
  watch: boolean;
  /** `--drift`: run drift detection on the stacks and wait for it. */
  drift: boolean;
  env: Readonly<Record<string, string | undefined>>;
  settings: Settings;
  /** From the composition root: `connectionFlags(options)`, repeated in the command a next action names. */
  connectionFlags?: readonly string[];
}

/** One refresh, for the command root to print (its events are already emitted). */
export interface StatusRefresh {
  title: string;
  status: DeploymentStatus;
  at: Date;
  /** From the second refresh under --watch on: what changed since the one before. */
  changed: StatusItem[] | undefined;
}

export interface StatusHost extends FlowHost {
  /** Prints each refresh; absent under --output json, where the events say it all. */
  show?(refresh: StatusRefresh): void;
}

/** The deployment found, and when status chose its answers file itself (no flag named it), which. */
interface Chosen extends ExistingDeployment {
  answers?: AnswersSource;
}

interface Validated extends Chosen {
  request: StatusRequest;
  /** The answers file read, when there is one: what install applies them from. */
  answersPath?: string;
}

interface Asked extends Validated {
  aws: AwsContext;
  account: string;
}

export function statusFlow(host: StatusHost): Flow<StatusRequest, Validated, Asked, number> {
  return {
    async validate(request) {
      const found = await whichDeployment(request);
      const answersPath = request.configPath ?? found.answers?.path;
      return { ...found, request, ...(answersPath ? { answersPath } : {}) };
    },

    // Nothing to ask a person: only who is asking, which is also the first sign AWS answers at all.
    async ask(validated) {
      const aws = host.connect(validated.region);
      const { account } = await couldNotCheck(aws.identity.whoAmI());
      return { ...validated, aws, account };
    },

    async execute({ request, blueprint, saved, deployment, region, aws, account, answersPath, answers }) {
      // What applies the saved answers when a stack holds other parameter values: install with the file.
      const applyCommand = answersPath
        ? rerunCommand({
            command: 'install',
            blueprint,
            configPath: answersPath,
            deployment: saved?.deployment === deployment ? undefined : deployment,
            flags: [],
            connectionFlags: request.connectionFlags ?? [],
          })
        : undefined;
      let previous: Map<string, StatusItem> | undefined;
      let lastExitCode: number | undefined;
      // Ctrl+C is how a watch ends: it leaves with the last refresh's exit code, not as a failure.
      // (SIGTERM and a first refresh cut short stay what they are: stopped.)
      const stoppedWatching = (error: unknown): number => {
        const reason = host.signal.reason as { code?: string } | undefined;
        if (host.signal.aborted && reason?.code === 'cancelled' && lastExitCode !== undefined)
          return lastExitCode;
        throw error;
      };
      for (;;) {
        const status = await couldNotCheck(
          gatherStatus({
            blueprint,
            saved,
            journal: await readDeploymentState(request.stateDir, deployment),
            deployment,
            region,
            account,
            aws,
            clock: host.clock,
            signal: host.signal,
            env: request.env,
            settings: request.settings,
            ...(request.drift ? { drift: true } : {}),
            ...(applyCommand ? { applyCommand } : {}),
            ...(answers ? { answers } : {}),
          }),
        ).catch(stoppedWatching);
        if (typeof status === 'number') return status;
        const items = statusItems(status);
        const changed = previous ? changedItems(previous, items) : undefined;
        const exitCode = STATUS_EXIT_CODE[status.state];
        for (const event of statusRefreshEvents(status, exitCode, changed, previous === undefined))
          host.events.emit(event);
        host.show?.({ title: blueprint.product.title, status, at: new Date(host.clock.now()), changed });
        if (!request.watch) return exitCode;
        previous = items;
        lastExitCode = exitCode;
        try {
          await host.clock.sleep(WATCH_INTERVAL_MS, host.signal);
        } catch (error) {
          return stoppedWatching(error);
        }
      }
    },
  };
}

/**
 * The deployment to show: named (--name/--region or --config), else the last one of this blueprint in
 * the state folder. Without --config, with its answers: the file its journal records the last install or
 * upgrade applied (trial finding 81: the lab's install used answers.yaml), else `<name>.answers.yaml`
 * install writes beside the operator, either only when it is for this deployment and region. Which one
 * it took is said above the sections, as none was named.
 */
async function whichDeployment(request: StatusRequest): Promise<Chosen> {
  if (request.configPath) return findExistingDeployment(request, 'status');
  const found =
    request.deployment || request.region
      ? await findExistingDeployment(request, 'status')
      : await lastOfBlueprint(request);
  const { saved, source } = await findDeploymentAnswersFile({
    deployment: found.deployment,
    region: found.region,
    recorded: (await readDeploymentState(request.stateDir, found.deployment))?.answersFile,
    read: readAnswersFile,
  });
  return { ...found, saved, answers: source };
}

/** The last deployment of the blueprint in the state folder, when nothing names one. */
async function lastOfBlueprint(request: StatusRequest): Promise<ExistingDeployment> {
  const blueprint = await loadBlueprint(request.blueprintPath);
  const found = await lastDeployment(request.stateDir, blueprint.product.id);
  return { blueprint, saved: undefined, deployment: found.deployment, region: found.region };
}
