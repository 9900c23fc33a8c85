/**
 * The tags that make a resource provably a deployment's: every stack carries both, and every resource
 * stackguide creates outside a stack (hosted zone, certificate, secret) carries the deployment tag.
 * Destroy and the leftovers report act only on what these say belongs to the deployment.
 */
export const DEPLOYMENT_TAG = 'stackguide:deployment';
export const BLUEPRINT_TAG = 'stackguide:blueprint';
/** On what a preparation step creates outside a stack: the blueprint's id of the step that made it. */
export const STEP_TAG = 'stackguide:step';

/**
 * What a stack runs, recorded on it so any machine can tell: the blueprint version that last deployed
 * it, and the template given to `upgrade --template` when one replaced the blueprint's (its file name
 * and sha256, or its URL). `install` refuses to put an older blueprint, or the blueprint's own template,
 * back over them.
 */
export const BLUEPRINT_VERSION_TAG = 'stackguide:blueprint-version';
export const TEMPLATE_OVERRIDE_TAG = 'stackguide:template-override';
