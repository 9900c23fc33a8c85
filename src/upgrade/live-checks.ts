import type { CloudFormationPort } from '../aws/cloudformation-port.ts';
import type { DbInstance, RdsPort } from '../aws/rds-port.ts';
import type { BlueprintDocument } from '../blueprint/blueprint-schema.ts';

/**
 * Before an upgrade, parameters compared with the resources they describe as they are now: an RDS
 * database whose storage auto-scaled past the template's value would make CloudFormation try to
 * shrink it, which fails forty minutes in. Each finding offers the live value.
 */
export interface LiveCheckFinding {
  stackId: string;
  stackName: string;
  parameter: string;
  /** What the upgrade would send. */
  planned: string;
  /** What the resource has now. */
  live: string;
  message: string;
}

type LiveCheck = BlueprintDocument['upgrade']['liveChecks'][number];

const READERS: Record<LiveCheck['property'], (db: DbInstance) => string | number | undefined> = {
  AllocatedStorage: (db) => db.allocatedStorage,
  MaxAllocatedStorage: (db) => db.maxAllocatedStorage,
  DBInstanceClass: (db) => db.instanceClass,
  EngineVersion: (db) => db.engineVersion,
};

export async function runLiveChecks(
  checks: readonly LiveCheck[],
  stacks: ReadonlyArray<{ id: string; name: string; parameters: Record<string, string> }>,
  ports: { cloudFormation: CloudFormationPort; rds: RdsPort },
): Promise<LiveCheckFinding[]> {
  const findings: LiveCheckFinding[] = [];
  for (const check of checks) {
    const stack = stacks.find((candidate) => candidate.id === check.stack);
    if (!stack) continue;
    const resources = await ports.cloudFormation.listStackResources(stack.name).catch(() => []);
    const physicalId = resources.find(
      (resource) => resource.logicalResourceId === check.resource,
    )?.physicalResourceId;
    if (!physicalId) continue;
    const db = await ports.rds.describeDbInstance(physicalId);
    const live = db ? READERS[check.property](db) : undefined;
    const planned = stack.parameters[check.parameter];
    if (live === undefined || planned === undefined || String(live) === planned) continue;
    const grows = typeof live === 'number' && Number(planned) < live;
    findings.push({
      stackId: stack.id,
      stackName: stack.name,
      parameter: check.parameter,
      planned,
      live: String(live),
      message:
        `${stack.name}: ${check.parameter} would be ${planned}, but ${check.resource} has ${check.property} ${live} now` +
        (grows ? ' (it grew: CloudFormation cannot shrink it, and the update would fail)' : '') +
        (check.reason ? `. ${check.reason}` : ''),
    });
  }
  return findings;
}
