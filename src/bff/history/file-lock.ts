import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';

/**
 * A lock file, so that two mesoscope servers started in the same directory never append to one history file.
 * Returns a release function, or null when a live process holds the lock. The lock is released by that
 * function and, whatever way the process exits (process.exit, an uncaught exception), by an exit hook.
 *
 * A pid alone cannot tell a live holder from an unrelated process that was given the same pid after the holder
 * died (SIGKILL, OOM kill, power loss), so the lock records who wrote it:
 *
 *   <pid>
 *   start <process start time, clock ticks since boot> boot <kernel boot id>
 *   token <random hex>
 *
 * A lock is stale, and taken over, when its pid is gone, when it was written in an earlier boot, or when the
 * process that now has its pid started at another time. Where /proc is not available only the pid is checked.
 * The token makes release remove only the lock this process wrote. A lock of one line (an older mesoscope's)
 * is stale when the process with its pid started after the lock was written.
 */
export function acquireLock(lockPath: string): (() => void) | null {
  if (heldHere.has(lockPath)) return null;
  const token = randomBytes(16).toString('hex');
  const self = processIdentity(process.pid);
  const content = [
    String(process.pid),
    ...(self ? [`start ${self.start} boot ${self.boot}`] : []),
    `token ${token}`,
    '',
  ].join('\n');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(lockPath, content, { flag: 'wx' });
      heldHere.set(lockPath, token);
      watchExit();
      return () => release(lockPath, token);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const stale = readLock(lockPath);
      if (stale !== null && isHeld(lockPath, stale)) return null;
      // Remove only the lock judged stale, not one another server has written since.
      if (readLock(lockPath) === stale) rmSync(lockPath, { force: true });
    }
  }
  return null;
}

/** Lock path → the token this process wrote into it. */
const heldHere = new Map<string, string>();
let exitWatched = false;

function watchExit(): void {
  if (exitWatched) return;
  exitWatched = true;
  process.on('exit', () => {
    for (const [lockPath, token] of heldHere) release(lockPath, token);
  });
}

function release(lockPath: string, token: string): void {
  if (heldHere.get(lockPath) !== token) return;
  heldHere.delete(lockPath);
  const text = readLock(lockPath);
  try {
    if (text !== null && parseLock(text).token === token) rmSync(lockPath, { force: true });
  } catch {
    // Cannot remove it: the next server finds this process gone and takes the lock over.
  }
}

interface LockRecord {
  pid: number;
  start: string | null;
  boot: string | null;
  token: string | null;
}

export function parseLock(text: string): LockRecord {
  const [first = '', ...rest] = text.split('\n');
  const record: LockRecord = { pid: Number.parseInt(first.trim(), 10), start: null, boot: null, token: null };
  for (const line of rest) {
    const identity = /^start (\d+) boot (\S+)$/.exec(line.trim());
    if (identity) {
      record.start = identity[1] ?? null;
      record.boot = identity[2] ?? null;
    }
    const token = /^token ([0-9a-f]+)$/.exec(line.trim());
    if (token) record.token = token[1] ?? null;
  }
  return record;
}

function readLock(lockPath: string): string | null {
  try {
    return readFileSync(lockPath, 'utf8');
  } catch {
    return null;
  }
}

/** Whether the lock at `lockPath`, which reads `text`, belongs to a process that is still running. */
function isHeld(lockPath: string, text: string): boolean {
  const lock = parseLock(text);
  // Our own pid in a lock we do not hold is a leftover of an earlier run that had the same pid (pid 1 in a
  // container, say), so it is stale too.
  if (!Number.isInteger(lock.pid) || lock.pid <= 0 || lock.pid === process.pid || !isAlive(lock.pid)) {
    return false;
  }
  const now = processIdentity(lock.pid);
  if (!now) return true; // No /proc, or the process just ended: the pid is all there is to go on.
  if (lock.start !== null && lock.boot !== null) return lock.boot === now.boot && lock.start === now.start;
  // An older mesoscope's lock records only the pid: its holder must have started before writing it.
  const writtenAt = modifiedAt(lockPath);
  const startedAt = startTimeMs(now.start);
  return writtenAt === null || startedAt === null || startedAt <= writtenAt + START_TIME_SLACK_MS;
}

/** Clock ticks and boot time are coarse (10 ms, 1 s): a holder never looks younger than its lock by more. */
const START_TIME_SLACK_MS = 2_000;
/** USER_HZ, the unit of /proc start times: 100 on every Linux architecture mesoscope runs on. */
const TICKS_PER_SECOND = 100;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A process's start time (clock ticks since boot) and the boot it belongs to; null without /proc. */
export function processIdentity(pid: number): { start: string; boot: string } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces or parentheses itself.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = fields[19]; // field 22, starttime
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    if (!start || !/^\d+$/.test(start) || boot === '') return null;
    return { start, boot };
  } catch {
    return null;
  }
}

/** Wall-clock time a process started, from its start ticks and the boot time in /proc/stat. */
function startTimeMs(startTicks: string): number | null {
  try {
    const btime = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1];
    if (btime === undefined) return null;
    return Number(btime) * 1_000 + (Number(startTicks) * 1_000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

function modifiedAt(file: string): number | null {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return null;
  }
}
