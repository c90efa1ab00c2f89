/** The Roles table's column groups, which can be shown or hidden (as in the Mesos UI's roles page). */
export const ROLE_COLUMN_GROUPS = [
  { key: 'weight', label: 'Weight', shown: false },
  { key: 'frameworks', label: 'Frameworks', shown: false },
  { key: 'allocated', label: 'Allocated', shown: true },
  { key: 'offered', label: 'Offered', shown: false },
  { key: 'reserved', label: 'Reserved', shown: true },
  { key: 'guarantee', label: 'Quota Guarantee', shown: false },
  { key: 'limit', label: 'Quota Limit', shown: true },
  { key: 'consumed', label: 'Quota Consumption', shown: true },
] as const;

export type RoleColumnGroup = (typeof ROLE_COLUMN_GROUPS)[number]['key'];

const STORAGE_KEY = 'mesoscope.roles.columns';

const DEFAULT_ROLE_GROUPS: ReadonlySet<RoleColumnGroup> = new Set(
  ROLE_COLUMN_GROUPS.filter((group) => group.shown).map((group) => group.key),
);

/** The groups chosen last time on this browser, else the defaults; unknown names are ignored. */
export function readRoleGroups(): Set<RoleColumnGroup> {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (stored === null) return new Set(DEFAULT_ROLE_GROUPS);
    const known = new Set<string>(ROLE_COLUMN_GROUPS.map((group) => group.key));
    return new Set(
      (JSON.parse(stored) as unknown[]).filter((key): key is RoleColumnGroup => known.has(String(key))),
    );
  } catch {
    return new Set(DEFAULT_ROLE_GROUPS);
  }
}

export function writeRoleGroups(groups: ReadonlySet<RoleColumnGroup>): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify([...groups]));
  } catch {
    // Storage may be disabled: the choice lasts for this page.
  }
}
