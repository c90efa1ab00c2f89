import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';

/** How a task process ended. */
export interface TaskExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running task: `sh -c <cmd>` leading its own process group. */
export interface TaskProcess {
  /** Pid of the task shell, which is also its process group id. */
  pid: number;
  /** Resolves once the shell has exited. */
  exited: Promise<TaskExit>;
}

/**
 * Runs `$1` under `sh` after starting a watchdog in the same process group. The watchdog blocks reading its
 * stdin, a pipe whose other end only the cluster process holds: once the cluster process is gone (even
 * SIGKILLed), the read ends and the watchdog kills the whole group: TERM first, KILL two seconds later. It
 * ignores TERM itself so it survives to deliver the KILL. Blocking in `read` rather than polling the cluster's
 * pid keeps a thousand idle tasks from forking a thousand `sleep`s a second. `exec` keeps the task's pid equal
 * to the group id; the task itself gets /dev/null as stdin.
 */
const WATCHDOG_WRAPPER =
  'exec 3<&0 </dev/null\n' +
  '( trap "" TERM; while read -r _ <&3; do :; done; ' +
  'kill -TERM 0 2>/dev/null; sleep 2; kill -KILL 0 2>/dev/null ) >/dev/null 2>&1 &\n' +
  'exec 3<&-\n' +
  'exec sh -c "$1"';

/**
 * Spawns `sh -c cmd` detached (own process group) in `sandbox`, with stdout and stderr going
 * straight to the files `stdout` and `stderr` there (file descriptors, not pipes).
 */
export function spawnTaskProcess(options: {
  cmd: string;
  sandbox: string;
  env: Record<string, string>;
}): Promise<TaskProcess> {
  const out = openSync(join(options.sandbox, 'stdout'), 'a');
  const err = openSync(join(options.sandbox, 'stderr'), 'a');
  try {
    const child = spawn('sh', ['-c', WATCHDOG_WRAPPER, 'mesos-task', options.cmd], {
      cwd: options.sandbox,
      detached: true,
      // stdin is the watchdog's pipe: the cluster never writes to it, and it closes when the cluster dies.
      stdio: ['pipe', out, err],
      env: { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', ...options.env },
    });
    child.stdin?.on('error', () => undefined);
    const exited = new Promise<TaskExit>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    return new Promise<TaskProcess>((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => {
        child.unref();
        if (child.pid === undefined) reject(new Error('spawn returned no pid'));
        else resolve({ pid: child.pid, exited });
      });
    });
  } finally {
    // The child holds its own copies of the descriptors.
    closeSync(out);
    closeSync(err);
  }
}

/** Sends `signal` to a whole process group; true if the group existed. */
export function signalProcessGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** True while any process of the group is alive. */
export function processGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
