/**
 * `up` starts the dashboard server (which runs the local cluster) as a background process of its own and waits
 * until it answers; `down` stops it and waits until it, and every task it ran, is gone.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ClusterFileError, readClusterFile } from '../cluster/cluster-file';
import { portFlag } from './args';
import { BUILT_SERVER, builtServerProblem } from './built-server';
import { CliError, EXIT } from './cli-error';
import {
  clusterInfoPath,
  exportLines,
  findRunning,
  logPath,
  pidAlive,
  readyFilePath,
  stateDir,
  writeClusterInfo,
} from './runtime';
import type { ClusterInfo, ReadyInfo } from './runtime';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DEFAULT_PORT = 5050;
const DEFAULT_CLUSTER_FILES = ['mesoscope.cluster.yaml', 'mesoscope.cluster.yml', 'mesoscope.cluster.json'];
/** Starting takes a few seconds; a slow machine gets much longer before `up` gives up and cleans up. */
const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 20_000;
/** What `up` exports, and what would point a new server elsewhere if the shell still has it. */
const INHERITED_NOT_PASSED = [
  'PORT',
  'MESOS_MASTER',
  'MESOSCOPE_MASTER',
  'MESOSCOPE_MARATHON',
  'MESOSCOPE_CHRONOS',
  'MESOSCOPE_DNS',
  'MESOSCOPE_DASHBOARD',
  'MESOSCOPE_CLUSTER_FILE',
  'MESOSCOPE_READY_FILE',
  'MESOSCOPE_DATA_DIR',
  'MESOSCOPE_CONFIG',
];

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

export function version(): string {
  return (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

export async function up(
  cwd: string,
  flags: Record<string, string | boolean | undefined>,
  io: Output,
): Promise<void> {
  const port = portFlag(flags['port'], DEFAULT_PORT);
  const running = findRunning(cwd);
  if (running) {
    io.err(`mesoscope is already running here (pid ${running.pid}, dashboard ${running.dashboard})`);
    for (const line of exportLines(running)) io.out(line);
    return;
  }
  const given = typeof flags['cluster-file'] === 'string' ? flags['cluster-file'] : defaultClusterFile(cwd);
  if (given !== null && flags['cluster-file'] === undefined) io.err(`using the cluster file ${given}`);
  const clusterFile = given === null ? null : resolve(cwd, given);
  if (given !== null && clusterFile !== null) {
    try {
      readClusterFile(clusterFile);
    } catch (error) {
      if (!(error instanceof ClusterFileError)) throw error;
      // Named as it was given: that is how whoever typed it knows it.
      throw new CliError(
        `${given}${error.line === null ? '' : `:${error.line}`}: ${error.detail}`,
        EXIT.usage,
      );
    }
  }
  await ensurePortFree(port);
  // The built server, as `npm start` runs it: an old build would run code that is not the checkout's.
  const unbuilt = builtServerProblem(ROOT);
  if (unbuilt) throw new CliError(unbuilt);

  mkdirSync(stateDir(cwd), { recursive: true });
  const ready = readyFilePath(cwd);
  rmSync(ready, { force: true });
  const log = logPath(cwd);
  const logFd = openSync(log, 'w');
  const env = { ...process.env };
  for (const name of INHERITED_NOT_PASSED) delete env[name];
  const args = [
    join(ROOT, BUILT_SERVER),
    '--port',
    String(port),
    '--ready-file',
    ready,
    '--data-dir',
    stateDir(cwd),
    '--log-format',
    'json',
    ...(clusterFile ? ['--cluster-file', clusterFile] : []),
  ];
  // Its own process group, so `down` can stop it and anything left of it together.
  const child = spawn(process.execPath, args, { cwd, detached: true, stdio: ['ignore', logFd, logFd], env });
  closeSync(logFd);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new CliError(`could not start ${process.execPath}`);

  // Interrupted while waiting: what was started goes too, rather than running on unseen.
  const interrupted = (): void => {
    void stopGroup(pid).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const info = await waitForReady(ready, exited, READY_TIMEOUT_MS);
  process.off('SIGINT', interrupted);
  process.off('SIGTERM', interrupted);
  if (info === 'exited' || info === 'timeout') {
    await stopGroup(pid);
    const why = lastLogLines(log);
    throw new CliError(
      `${info === 'exited' ? 'the cluster did not start' : `the cluster did not answer within ${READY_TIMEOUT_MS / 1000} s`}; nothing is left running${why ? `:\n${why}` : ''}\n(full log: ${log})`,
      why.includes(clusterFile ?? '\0') ? EXIT.usage : EXIT.failed,
    );
  }
  if (!(await dashboardAnswers(info.dashboard))) {
    await stopGroup(pid);
    throw new CliError(`the dashboard at ${info.dashboard} does not answer; nothing is left running`);
  }
  const cluster: ClusterInfo = {
    ...info,
    version: version(),
    startedAt: new Date().toISOString(),
    clusterFile,
    log,
    dataDir: stateDir(cwd),
  };
  writeClusterInfo(cwd, cluster);
  io.err(`mesoscope is up (pid ${cluster.pid}); stop it with 'mesoscope down'`);
  for (const line of exportLines(cluster)) io.out(line);
}

export async function down(cwd: string, io: Output): Promise<void> {
  const running = findRunning(cwd);
  if (!running) {
    io.err('nothing is running here');
    return;
  }
  const clean = await stopGroup(running.pid);
  rmSync(clusterInfoPath(cwd), { force: true });
  rmSync(readyFilePath(cwd), { force: true });
  io.err(
    clean
      ? `stopped mesoscope (pid ${running.pid}) and its tasks`
      : `mesoscope (pid ${running.pid}) did not stop within ${STOP_TIMEOUT_MS / 1000} s: killed it`,
  );
}

/** As minimesos read its file from the directory it ran in: `mesoscope.cluster.yaml` (or `.yml`, `.json`). */
function defaultClusterFile(cwd: string): string | null {
  return DEFAULT_CLUSTER_FILES.find((name) => existsSync(join(cwd, name))) ?? null;
}

async function ensurePortFree(port: number): Promise<void> {
  await new Promise<void>((done, fail) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      fail(
        error.code === 'EADDRINUSE'
          ? new CliError(`port ${port} is in use: choose another with --port N`, EXIT.portInUse)
          : new CliError(`cannot listen on 127.0.0.1:${port}: ${error.message}`, EXIT.portInUse),
      );
    });
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => done()));
  });
}

async function waitForReady(
  file: string,
  exited: Promise<number | null>,
  timeoutMs: number,
): Promise<ReadyInfo | 'exited' | 'timeout'> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as ReadyInfo;
    if (gone) return 'exited';
    await sleep(100);
  }
  return 'timeout';
}

async function dashboardAnswers(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5000) })).ok;
  } catch {
    return false;
  }
}

/**
 * SIGTERM (the server stops its tasks and servers), then after a while SIGKILL to the whole group. True when it
 * stopped on its own.
 */
async function stopGroup(pid: number): Promise<boolean> {
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!pidAlive(pid)) {
      // Whatever it started in its own group and left behind goes too.
      signalGroup(pid, 'SIGKILL');
      return true;
    }
    await sleep(100);
  }
  signalGroup(pid, 'SIGKILL');
  while (pidAlive(pid)) await sleep(50);
  return false;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** The server's last few messages (its log is JSON lines, except what it says before its logger exists). */
function lastLogLines(file: string): string {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return '';
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return String((JSON.parse(line) as { msg?: unknown }).msg ?? line);
      } catch {
        return line;
      }
    })
    .filter((line) => !line.startsWith('Usage:') && !line.startsWith('  '))
    .map((line) => line.replace(/^mesoscope: /, ''))
    .slice(-5)
    .join('\n');
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
