/**
 * Whether two JSON-shaped values (what the server sends: plain objects, arrays, strings, numbers, booleans,
 * null) are equal by value, whatever the order of their keys. It walks them without making anything, where
 * comparing their `JSON.stringify` made two strings of each row at each render.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i += 1) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  let keys = 0;
  for (const key in left) {
    if (!Object.hasOwn(left, key)) continue;
    if (!Object.hasOwn(right, key) || !sameJson(left[key], right[key])) return false;
    keys += 1;
  }
  for (const key in right) if (Object.hasOwn(right, key)) keys -= 1;
  return keys === 0;
}

/**
 * A query's `structuralSharing` for big answers whose parts are compared by value where it matters (the task
 * tables' rows, the charts' points): the previous answer when nothing changed, so that nothing renders, else
 * the new one as it came. The library's default compares the two index by index and copies every object that
 * differs: a page of tasks or an hour of history that slid by one row costs a full copy of it at every poll.
 */
export function keepIfSame(previous: unknown, next: unknown): unknown {
  return sameJson(previous, next) ? previous : next;
}
