import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, parseLock, processIdentity } from './file-lock';

const root = path.resolve(import.meta.dirname, '../../..');
const onLinux = existsSync('/proc/self/stat');

/** A node process that takes the lock, prints "locked", then does what `then` says. */
function lockInChild(lockPath: string, then: 'wait' | 'exit' | 'throw'): Promise<ChildProcess> {
  const after = {
    wait: 'setInterval(() => undefined, 1000);',
    exit: 'process.exit(3);',
    throw: "setTimeout(() => { throw new Error('boom'); }, 10);",
  }[then];
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '--eval',
      `const { acquireLock } = await import(${JSON.stringify(path.join(root, 'src/bff/history/file-lock.ts'))});
       const release = acquireLock(${JSON.stringify(lockPath)});
       console.log(release ? 'locked' : 'refused');
       ${after}`,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', (chunk: Buffer) =>
      chunk.toString().startsWith('locked') ? resolve(child) : reject(new Error(chunk.toString())),
    );
    child.once('exit', (code) => reject(new Error(`exited ${code} before taking the lock`)));
  });
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));

/** A process that has nothing to do with mesoscope, as one that was given a dead holder's pid. */
function unrelatedProcess(): ChildProcess {
  return spawn('sleep', ['60'], { stdio: 'ignore' });
}

describe('history file lock', () => {
  let dir: string;
  let lockPath: string;
  const children: ChildProcess[] = [];

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mesoscope-lock-'));
    lockPath = path.join(dir, 'history-test.bin.lock');
  });
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('records who holds it, and release removes it', () => {
    const release = acquireLock(lockPath);
    expect(release).not.toBeNull();
    const lock = parseLock(readFileSync(lockPath, 'utf8'));
    expect(lock.pid).toBe(process.pid);
    expect(lock.token).toMatch(/^[0-9a-f]{32}$/);
    if (onLinux) expect({ start: lock.start, boot: lock.boot }).toEqual(processIdentity(process.pid));
    expect(acquireLock(lockPath)).toBeNull();
    release!();
    expect(existsSync(lockPath)).toBe(false);
  });

  it('release leaves alone a lock this process did not write', () => {
    const release = acquireLock(lockPath)!;
    writeFileSync(lockPath, '12345\ntoken ffff\n');
    release();
    expect(readFileSync(lockPath, 'utf8')).toBe('12345\ntoken ffff\n');
  });

  it('is refused while its holder runs, and taken over once the holder is killed', async () => {
    const holder = await lockInChild(lockPath, 'wait');
    children.push(holder);
    expect(acquireLock(lockPath)).toBeNull();
    holder.kill('SIGKILL');
    await exited(holder);
    // SIGKILL runs no exit hook: the lock is still there, naming a pid that is gone.
    expect(parseLock(readFileSync(lockPath, 'utf8')).pid).toBe(holder.pid);
    const release = acquireLock(lockPath);
    expect(release).not.toBeNull();
    release!();
  }, 20_000);

  it.each(['exit', 'throw'] as const)(
    'is released when the holder ends by process.exit or an uncaught exception (%s)',
    async (how) => {
      const holder = await lockInChild(lockPath, how);
      children.push(holder);
      await exited(holder);
      expect(existsSync(lockPath)).toBe(false);
    },
    20_000,
  );

  describe.runIf(onLinux)('when its pid now belongs to another process', () => {
    it('is stale if that process started at another time than the holder', async () => {
      const other = unrelatedProcess();
      children.push(other);
      const identity = processIdentity(other.pid!)!;
      // The holder it names had this pid, but started before: the pid was reused.
      writeFileSync(
        lockPath,
        `${other.pid}\nstart ${Number(identity.start) - 500} boot ${identity.boot}\ntoken 0123abcd\n`,
      );
      const release = acquireLock(lockPath);
      expect(release).not.toBeNull();
      expect(parseLock(readFileSync(lockPath, 'utf8')).pid).toBe(process.pid);
      release!();
      // The same pid with the start time it really has is a live holder.
      writeFileSync(
        lockPath,
        `${other.pid}\nstart ${identity.start} boot ${identity.boot}\ntoken 0123abcd\n`,
      );
      expect(acquireLock(lockPath)).toBeNull();
    });

    it('is stale if it was written before the machine last booted', () => {
      const other = unrelatedProcess();
      children.push(other);
      const identity = processIdentity(other.pid!)!;
      writeFileSync(lockPath, `${other.pid}\nstart ${identity.start} boot another-boot-id\ntoken 0123abcd\n`);
      const release = acquireLock(lockPath);
      expect(release).not.toBeNull();
      release!();
    });

    it('is stale, for a lock that names only a pid, if that process started after the lock was written', () => {
      const other = unrelatedProcess();
      children.push(other);
      writeFileSync(lockPath, `${other.pid}\n`);
      const anHourAgo = new Date(Date.now() - 3_600_000);
      utimesSync(lockPath, anHourAgo, anHourAgo);
      const release = acquireLock(lockPath);
      expect(release).not.toBeNull();
      release!();
      // The same lock written now, after that process started, may well be its own.
      writeFileSync(lockPath, `${other.pid}\n`);
      expect(acquireLock(lockPath)).toBeNull();
    });
  });
});
