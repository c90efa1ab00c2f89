/**
 * At most about `maxPoints` rows for a chart: the rows are cut into buckets of equal count, and each bucket becomes
 * two rows, at its first and last time, holding for every key the bucket's minimum and maximum in the order they
 * occurred, so a one-sample spike stays visible. A key with no value in a bucket stays null there (a gap). Rows
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
  for (let start = 0; start < rows.length; start += size) {
    const end = Math.min(start + size, rows.length);
    const first = rows[start] as T;
    const last = rows[end - 1] as T;
    const early: T = { ...first };
    const late: T = { ...last };
    for (const key of keys) {
      let minAt = -1;
      let maxAt = -1;
      let min = Infinity;
      let max = -Infinity;
      for (let i = start; i < end; i += 1) {
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
    if (end - start > 1) out.push(late);
  }
  return out;
}
