/**
 * Journals written before version 2 keyed stack records by blueprint id on install and by stack name on
 * destroy, so one stack could have two records. Read once, they become version 2: one record per stack
 * name (the newer of the two wins, the blueprint id kept), no operations yet.
 */
interface V1StackRecord {
  name?: unknown;
  updatedAt?: unknown;
  [key: string]: unknown;
}

export function fromVersion1(parsed: object): object {
  const v1 = parsed as { stacks?: Record<string, V1StackRecord> };
  const stacks: Record<string, V1StackRecord> = {};
  for (const [key, record] of Object.entries(v1.stacks ?? {})) {
    const name = typeof record.name === 'string' ? record.name : key;
    const withId = key !== name ? { ...record, name, blueprintId: key } : { ...record, name };
    const previous = stacks[name];
    stacks[name] =
      previous && String(previous.updatedAt ?? '') > String(withId.updatedAt ?? '')
        ? { ...withId, ...previous }
        : { ...previous, ...withId };
  }
  return { ...parsed, schemaVersion: 2, stacks };
}
