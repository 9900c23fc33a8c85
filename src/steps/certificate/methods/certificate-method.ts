import type {
  AskContext,
  CheckResult,
  PlannedChange,
  SavedStepInputs,
  StepContext,
  ValidateContext,
} from '../../step.ts';
import type { CertificateConfig } from '../certificate-config.ts';
import type { Target } from '../certificate-target.ts';

/** What the operator gave the certificate step (ask, or the answers file unattended). */
export interface CertificateInputs {
  /** `arn`: the pre-validated certificate. */
  certificateArn?: string;
  /** `import`: paths of the PEM files; the key's path is kept, its contents never are. */
  certificatePath?: string;
  privateKeyPath?: string;
  chainPath?: string;
  /** `email`: the operator asked to have the approval mail sent again (never saved). */
  resendEmail?: boolean;
}

/** One run of the step: its configuration, inputs, and what it is for (undefined in an early check). */
export interface CertificateRequest {
  config: CertificateConfig;
  inputs: CertificateInputs;
  target: Target | undefined;
  /** The names the certificate must cover; empty while the target is unknown. */
  names: readonly string[];
}

/**
 * One way of getting the certificate (`method:` in the blueprint), with its own ask, check, plan and
 * apply; certificate-step.ts only picks one. `apply` returns the certificate's ARN.
 */
export interface CertificateMethod {
  /** Local checks of the saved inputs before any AWS call (see StepDefinition.validate). */
  validate?(
    context: ValidateContext,
    config: CertificateConfig,
    saved: SavedStepInputs | undefined,
  ): Promise<void>;
  ask(
    context: AskContext,
    config: CertificateConfig,
    saved: SavedStepInputs | undefined,
  ): Promise<CertificateInputs>;
  check(context: StepContext, request: CertificateRequest): Promise<CheckResult[]>;
  plan(context: StepContext, request: CertificateRequest): Promise<PlannedChange[]>;
  apply(context: StepContext, request: CertificateRequest & { target: Target }): Promise<string>;
}

/** The one planned change a method reports, worded alike for every method. */
export function plannedCertificate(
  context: StepContext,
  request: CertificateRequest,
  action: PlannedChange['action'],
  detail: string,
): PlannedChange[] {
  const what = request.target ? request.names.join(' and ') : 'the hosting domain';
  return [{ step: context.stepId, action, resource: `certificate for ${what}`, detail }];
}
