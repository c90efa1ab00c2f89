import { spawn } from 'node:child_process';
import type { ChildProcess, StdioOptions } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILT_SERVER, builtServerProblem } from '../cli/built-server';
import { freePort } from './free-port';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A mesoscope server started as operators start it: its own process, flags and environment. */
export interface BffProcess {
  baseUrl: string;
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr); empty when its output went to this process's stderr. */
  output(): string;
  stop(): Promise<void>;
}

interface BffProcessOptions {
  /** Added to (or, as undefined, removed from) this process's environment. */
  env?: NodeJS.ProcessEnv;
  /** Leave out HOST, MESOS_MASTER and every MESOSCOPE_* variable of this process, so only `args` configure it. */
  cleanEnv?: boolean;
  /** Node's own flags, before the server's: a heap size, `--cpu-prof`... */
  nodeArgs?: string[];
  /**
   * Where its stdout and stderr go: kept in memory for `output()` (the default, for tests), to a file (for long
   * runs that log a lot), or stdout nowhere and stderr to this process's stderr (benchmarks).
   */
  output?: 'keep' | 'stderr' | { file: string };
  /** `healthz` (listening) or `readyz` (serving cluster data). */
  waitFor?: 'healthz' | 'readyz';
  timeoutMs?: number;
  /**
   * Start the built server (`dist/bff/server.js`, as `npm start` does) instead of transpiling its TypeScript
   * at start: for benchmarks, which build first and measure the start.
   */
  built?: boolean;
}

/** Starts `src/bff/server.ts` (or its build) with `args` on a free port and resolves once it answers `waitFor`. */
export async function startBffProcess(args: string[], options: BffProcessOptions = {}): Promise<BffProcess> {
  const { waitFor = 'healthz', timeoutMs = 30_000 } = options;
  const port = await freePort();
  const env = { ...process.env };
  if (options.cleanEnv) {
    for (const name of Object.keys(env))
      if (name === 'HOST' || name === 'MESOS_MASTER' || name.startsWith('MESOSCOPE_')) delete env[name];
  }
  const where = options.output ?? 'keep';
  const logFd = typeof where === 'object' ? openSync(where.file, 'w') : null;
  const stdio: StdioOptions =
    logFd !== null
      ? ['ignore', logFd, logFd]
      : where === 'stderr'
        ? ['ignore', 'ignore', 'inherit']
        : ['ignore', 'pipe', 'pipe'];
  let kept = '';
  // node --import tsx (not npx) so that the signal reaches the server itself, not a wrapper.
  const server = options.built ? [BUILT_SERVER] : ['--import', 'tsx', 'src/bff/server.ts'];
  const unbuilt = options.built ? builtServerProblem(root) : null;
  if (unbuilt) throw new Error(unbuilt);
  const child: ChildProcess = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), ...server, '--port', String(port), ...args],
    { cwd: root, stdio, env: { ...env, ...options.env } },
  );
  if (logFd !== null) closeSync(logFd);
  child.stdout?.on('data', (chunk: Buffer) => (kept += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (kept += chunk.toString()));
  const output = () => (typeof where === 'object' ? readFileSync(where.file, 'utf8') : kept);
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mesoscope exited with ${child.exitCode}: ${output()}`);
    try {
      if ((await fetch(`${baseUrl}/${waitFor}`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`mesoscope at ${baseUrl} did not answer /${waitFor}: ${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { baseUrl, child, output, stop };
}
