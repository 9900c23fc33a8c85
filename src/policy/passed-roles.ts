import type { Blueprint } from '../blueprint/load-blueprint.ts';

/**
 * Which roles CloudFormation may pass while it creates the templates' resources (an S3 bucket's
 * replication role, an RDS instance's monitoring role, a nested stack's role, ...): the resource handlers
 * ask for iam:PassRole, and on `*` that would let the operator hand any role of the account, an admin one
 * included, to any service. So the grant names what the templates can pass:
 * - the roles the templates create, by name: the RoleName they give, or the name CloudFormation makes,
 *   which starts with the stack's name (`<stack>-<logical id>-<random>`; a nested stack's own name starts
 *   with its parent's);
 * - role ARNs written in the templates (`Role: arn:aws:iam::123456789012:role/replication`), `${...}`
 *   parts as `*`;
 * and, when every one of those roles is a template's own with a literal trust policy, only to the
 * services that trust policy names (`iam:PassedToService`). A role given any other way (a parameter, an
 * import) cannot be known here: then the grant is every role of the account, and the summary says why.
 */
export interface PassedRoles {
  resources: string[];
  /** An IAM condition block (operator-policy.ts's Condition, repeated here to keep imports one-way). */
  condition?: Record<string, Record<string, string | string[]>>;
  what: string;
}

/** IAM role names are at most 64 characters; CloudFormation shortens a generated name to fit. */
const ROLE_NAME_LIMIT = 64;
/** What a generated name keeps of the stack's name when it must be shortened (conservatively short). */
const SHORTENED_PREFIX = 16;
/** `-<logical id>-` plus the random suffix (12 or 13 characters) CloudFormation appends. */
const GENERATED_SUFFIX = 15;

/**
 * A property naming a role ARN (`Role`, `RoleArn`, `RoleARN`, `ServiceRole`, `ExecutionRoleArn`, ...) or
 * an instance profile, whose role is passed to EC2 (`IamInstanceProfile`).
 */
const ROLE_PROPERTY = /(Role|InstanceProfile)(Arn|ARN|Name)?$/;

/** How names in a template become concrete for the policy's target; what is not known is `*`. */
export interface RoleNaming {
  /** The stack's name for this target (`shop-app`, or `*-app` without a deployment name). */
  stackName: (stackId: string) => string;
  /** A `${...}` of the stack's template (`RackName`, `AWS::AccountId`), or undefined when not known. */
  substitute: (stackId: string, variable: string) => string | undefined;
  /** `role/x` as an ARN of the target's account. */
  roleArn: (resource: string) => string;
}

export function passedRoles(blueprint: Blueprint, naming: RoleNaming): PassedRoles | undefined {
  const { roleArn } = naming;
  const resources = new Set<string>();
  const services = new Set<string>();
  let servicesKnown = true;
  let unknownRole: string | undefined;

  for (const stack of blueprint.stacks) {
    const documents = [
      blueprint.templates[stack.id]?.document,
      ...(blueprint.nested[stack.id] ?? []).map((nested) => nested.document),
    ].filter((document): document is Record<string, unknown> => document !== undefined);
    const name = naming.stackName(stack.id);
    const fillIn = (text: string): string =>
      text.replace(/\$\{([^}!]+)\}/g, (_whole, variable: string) =>
        variable === 'AWS::StackName' ? name : (naming.substitute(stack.id, variable) ?? '*'),
      );
    for (const document of documents) {
      const templateResources = record(document.Resources);
      // A template's own instance profile holds a template role (or one its Roles property names).
      const ownRoles = new Set(
        Object.entries(templateResources)
          .filter(([, resource]) =>
            ['AWS::IAM::Role', 'AWS::IAM::InstanceProfile'].includes(String(record(resource).Type)),
          )
          .map(([logicalId]) => logicalId),
      );
      for (const [logicalId, raw] of Object.entries(templateResources)) {
        const resource = record(raw);
        const properties = record(resource.Properties);
        if (resource.Type === 'AWS::IAM::Role') {
          resources.add(
            roleArn(
              `role/${rolePath(properties.Path)}${roleName(properties.RoleName, name, logicalId, fillIn)}`,
            ),
          );
          const trusted = trustedServices(properties.AssumeRolePolicyDocument);
          if (trusted) for (const service of trusted) services.add(service);
          else servicesKnown = false;
          continue;
        }
        for (const value of roleValues(properties)) {
          if (isOwnRoleReference(value, ownRoles)) continue;
          const literal = literalArn(value, fillIn);
          if (literal) {
            resources.add(literal);
            servicesKnown = false;
          } else unknownRole ??= `${logicalId} (${String(resource.Type)})`;
        }
      }
    }
  }
  if (unknownRole)
    return {
      resources: [roleArn('role/*')],
      what: `any role of the account (${unknownRole} is given a role the templates do not create or name)`,
    };
  if (resources.size === 0) return undefined;
  const list = [...resources].sort();
  return {
    resources: list,
    ...(servicesKnown && services.size > 0
      ? { condition: { StringEquals: { 'iam:PassedToService': [...services].sort() } } }
      : {}),
    what: `the templates' roles${servicesKnown && services.size > 0 ? `, to ${[...services].sort().join(', ')} only` : ''}`,
  };
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** `Path: /service/` as written; any other form (or none given, `/`) as a wildcard-free default. */
function rolePath(path: unknown): string {
  if (path === undefined) return '';
  return typeof path === 'string' ? path.replace(/^\//, '') : '*';
}

function roleName(
  given: unknown,
  stack: string,
  logicalId: string,
  fillIn: (text: string) => string,
): string {
  if (typeof given === 'string') return given;
  const sub = subText(given);
  if (sub !== undefined) return fillIn(sub);
  if (given !== undefined) return '*';
  return stack.length + logicalId.length + GENERATED_SUFFIX <= ROLE_NAME_LIMIT
    ? `${stack}-${logicalId}-*`
    : `${stack.slice(0, SHORTENED_PREFIX)}*`;
}

/** The services of a trust policy, when every statement names them literally. */
function trustedServices(document: unknown): string[] | undefined {
  const statements = record(document).Statement;
  const list = Array.isArray(statements) ? statements : [statements];
  const found: string[] = [];
  for (const statement of list) {
    const service = record(record(statement).Principal).Service;
    const names = Array.isArray(service) ? service : [service];
    if (names.length === 0 || !names.every((name) => typeof name === 'string')) return undefined;
    found.push(...(names as string[]));
  }
  return found.length > 0 ? found : undefined;
}

/** Every value of a role-naming property, at any depth (an S3 bucket's ReplicationConfiguration.Role). */
function roleValues(value: unknown, key = ''): unknown[] {
  if (Array.isArray(value)) return value.flatMap((entry) => roleValues(entry, key));
  const map = record(value);
  if (ROLE_PROPERTY.test(key)) return [value];
  if (value === null || typeof value !== 'object') return [];
  // An intrinsic function under a non-role key holds no property names.
  if (Object.keys(map).some((name) => name === 'Ref' || name.startsWith('Fn::'))) return [];
  return Object.entries(map).flatMap(([name, entry]) => roleValues(entry, name));
}

function isOwnRoleReference(value: unknown, ownRoles: ReadonlySet<string>): boolean {
  const map = record(value);
  if (typeof map.Ref === 'string') return ownRoles.has(map.Ref);
  const attribute = map['Fn::GetAtt'];
  const target = Array.isArray(attribute)
    ? attribute[0]
    : typeof attribute === 'string'
      ? attribute.split('.')[0]
      : undefined;
  return typeof target === 'string' && ownRoles.has(target);
}

/** A role ARN written out, its `${...}` filled in where known (`*` otherwise). */
function literalArn(value: unknown, fillIn: (text: string) => string): string | undefined {
  const text = typeof value === 'string' ? value : subText(value);
  if (text === undefined) return undefined;
  const filled = fillIn(text);
  return /^arn:[^:]*:iam::[^:]*:role\//.test(filled) ? filled : undefined;
}

function subText(value: unknown): string | undefined {
  const sub = record(value)['Fn::Sub'];
  if (typeof sub === 'string') return sub;
  return Array.isArray(sub) && typeof sub[0] === 'string' ? sub[0] : undefined;
}
