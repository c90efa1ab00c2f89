import { constants, copyFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

/** How many copies of damaged history files are kept next to the file, newest first; older ones are removed. */
export const KEPT_DAMAGED_COPIES = 5;

interface KeptCopy {
  /** Where this copy was written. */
  copy: string;
  /** Older copies removed to stay within `KEPT_DAMAGED_COPIES`. */
  removed: string[];
}

/**
 * Copies a damaged file to `<file>.corrupt-<UTC time>` (never over an earlier copy: a second damage in the same
 * millisecond gets a `-2` suffix) for a person to look at, then removes the oldest copies beyond the bound.
 * A `<file>.corrupt` left by an older mesoscope counts as the oldest copy.
 */
export function keepDamagedCopy(file: string, now = Date.now(), keep = KEPT_DAMAGED_COPIES): KeptCopy {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  let copy = '';
  for (let n = 1; ; n += 1) {
    copy = `${file}.corrupt-${stamp}${n === 1 ? '' : `-${n}`}`;
    try {
      copyFileSync(file, copy, constants.COPYFILE_EXCL);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const removed: string[] = [];
  for (const old of damagedCopies(file).slice(0, -keep)) {
    try {
      rmSync(old);
      removed.push(old);
    } catch {
      // Gone already, or not ours to remove: it stays.
    }
  }
  return { copy, removed };
}

/** The copies kept of `file`, oldest first. */
export function damagedCopies(file: string): string[] {
  const dir = path.dirname(file);
  const base = `${path.basename(file)}.corrupt`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .map((name) => ({ name, match: name.startsWith(base) ? SUFFIX.exec(name.slice(base.length)) : null }))
    .filter((entry): entry is { name: string; match: RegExpExecArray } => entry.match !== null)
    .map(({ name, match }) => ({ name, stamp: match[1] ?? '', n: Number(match[2] ?? 1) }))
    .sort((a, b) => (a.stamp === b.stamp ? a.n - b.n : a.stamp < b.stamp ? -1 : 1))
    .map(({ name }) => path.join(dir, name));
}

/** After `.corrupt`: nothing (an older mesoscope's copy), or `-<UTC time>` and maybe `-<n>`. */
const SUFFIX = /^(?:-(\d{4}-\d\d-\d\dT[\d-]+Z)(?:-(\d+))?)?$/;
