import { readFileSync, rmSync, writeFileSync } from 'node:fs';

/**
 * A pid lock file, so that two mesoscope servers started in the same directory never append to one history
 * file. A lock left by a process that no longer exists is taken over. Returns a release function, or null
 * when a live process holds the lock.
 */
export function acquireLock(lockPath: string): (() => void) | null {
  if (heldHere.has(lockPath)) return null;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(lockPath, `${process.pid}\n`, { flag: 'wx' });
      heldHere.add(lockPath);
      return () => {
        heldHere.delete(lockPath);
        try {
          if (readFileSync(lockPath, 'utf8').trim() === String(process.pid)) rmSync(lockPath);
        } catch {
          // Already gone.
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(readLock(lockPath), 10);
      // Our own pid in a lock we do not hold is a leftover of an earlier run that had the same pid (pid 1 in
      // a container, say), so it is stale too.
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) return null;
      rmSync(lockPath, { force: true });
    }
  }
  return null;
}

/** Locks this process holds: its own pid in the file does not make a lock stale. */
const heldHere = new Set<string>();

function readLock(lockPath: string): string {
  try {
    return readFileSync(lockPath, 'utf8');
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
