/**
 * The tags that make a resource provably a deployment's: every stack carries both, and every resource
 * stackguide creates outside a stack (hosted zone, certificate, secret) carries the deployment tag.
 * Destroy and the leftovers report act only on what these say belongs to the deployment.
 */
export const DEPLOYMENT_TAG = 'stackguide:deployment';
export const BLUEPRINT_TAG = 'stackguide:blueprint';
