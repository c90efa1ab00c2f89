import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A mesoscope server started as operators start it: its own process, flags and environment. */
export interface BffProcess {
  baseUrl: string;
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

export interface BffProcessOptions {
  /** Added to (or, as undefined, removed from) this process's environment. */
  env?: NodeJS.ProcessEnv;
  /** Leave out HOST and every MESOSCOPE_* variable of this process, so only `args` configure it. */
  cleanEnv?: boolean;
  /** `healthz` (listening) or `readyz` (serving cluster data). */
  waitFor?: 'healthz' | 'readyz';
  timeoutMs?: number;
}

/** Starts `src/bff/server.ts` with `args` on a free port and resolves once it answers `waitFor`. */
export async function startBffProcess(args: string[], options: BffProcessOptions = {}): Promise<BffProcess> {
  const { waitFor = 'healthz', timeoutMs = 30_000 } = options;
  const port = await freePort();
  const env = { ...process.env };
  if (options.cleanEnv) {
    for (const name of Object.keys(env))
      if (name === 'HOST' || name.startsWith('MESOSCOPE_')) delete env[name];
  }
  let output = '';
  // node --import tsx (not npx) so that the signal reaches the server itself, not a wrapper.
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/bff/server.ts', '--port', String(port), ...args],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, ...options.env } },
  );
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mesoscope exited with ${child.exitCode}: ${output}`);
    try {
      if ((await fetch(`${baseUrl}/${waitFor}`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`mesoscope at ${baseUrl} did not answer /${waitFor}: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { baseUrl, child, output: () => output, stop };
}
