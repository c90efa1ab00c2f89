/**
 * At most about `maxPoints` rows for a chart: the rows are cut into buckets of equal count, and each bucket becomes
 * two rows, at its first and last time, holding for every key the bucket's minimum and maximum in the order they
 * occurred, so a one-sample spike stays visible. Where a bucket starts or ends in a gap, a null row keeps the gap's
 * edge in place; a key with no value in a bucket stays null there. Rows
 * that already fit come back as the same array.
 */
export function downsampleMinMax<T extends { t: number }, K extends keyof T & string>(
  rows: readonly T[],
  keys: readonly K[],
  maxPoints: number,
): readonly T[] {
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  if (rows.length <= Math.max(2, maxPoints)) return rows;
  const size = Math.ceil(rows.length / buckets);
  const out: T[] = [];
  const known = (row: T) => keys.some((key) => typeof row[key] === 'number');
  const gap = (row: T): T => {
    const empty: T = { ...row };
    for (const key of keys) empty[key] = null as T[K];
    return empty;
  };
  for (let start = 0; start < rows.length; start += size) {
    const end = Math.min(start + size, rows.length);
    // The bucket's values are drawn only between its first and last known rows, so a gap keeps its edges.
    let from = start;
    while (from < end && !known(rows[from] as T)) from += 1;
    if (from === end) {
      out.push(gap(rows[start] as T));
      continue;
    }
    let to = end - 1;
    while (!known(rows[to] as T)) to -= 1;
    if (from > start) out.push(gap(rows[start] as T));
    const early: T = { ...(rows[from] as T) };
    const late: T = { ...(rows[to] as T) };
    for (const key of keys) {
      let minAt = -1;
      let maxAt = -1;
      let min = Infinity;
      let max = -Infinity;
      for (let i = from; i <= to; i += 1) {
        const value = (rows[i] as T)[key];
        if (typeof value !== 'number') continue;
        if (value < min) [min, minAt] = [value, i];
        if (value > max) [max, maxAt] = [value, i];
      }
      const [a, b] = minAt <= maxAt ? [min, max] : [max, min];
      early[key] = (minAt < 0 ? null : a) as T[K];
      late[key] = (minAt < 0 ? null : b) as T[K];
    }
    out.push(early);
    if (to > from) out.push(late);
    if (to < end - 1) out.push(gap(rows[to + 1] as T));
  }
  return out;
}
