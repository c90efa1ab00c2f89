/**
 * What `up` leaves in `.mesoscope/` for the other commands: where every part answers and which process runs them.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CliError, EXIT } from './cli-error';
import { BUILT_SERVER } from './built-server';

/** The dashboard server's `--ready-file`: where it and the local cluster answer. */
export interface ReadyInfo {
  pid: number;
  dashboard: string;
  master: string;
  masters: string[];
  marathon: string | null;
  chronos: string | null;
  dns: string | null;
  dnsHttp: string | null;
  workDir: string;
  agents: { id: string; url: string; hostname: string }[];
}

/** `.mesoscope/cluster.json`. */
export interface ClusterInfo extends ReadyInfo {
  version: string;
  startedAt: string;
  clusterFile: string | null;
  /** The dashboard server's own log (it also runs the cluster). */
  log: string;
  dataDir: string;
}

export function stateDir(cwd: string): string {
  return resolve(cwd, '.mesoscope');
}

export function clusterInfoPath(cwd: string): string {
  return join(stateDir(cwd), 'cluster.json');
}

export function readyFilePath(cwd: string): string {
  return join(stateDir(cwd), 'ready.json');
}

export function logPath(cwd: string): string {
  return join(stateDir(cwd), 'mesoscope.log');
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The running cluster's info, or null when none runs here (a file left by a process that died is removed). */
export function findRunning(cwd: string): ClusterInfo | null {
  const file = clusterInfoPath(cwd);
  if (!existsSync(file)) return null;
  let info: ClusterInfo;
  try {
    info = JSON.parse(readFileSync(file, 'utf8')) as ClusterInfo;
  } catch {
    rmSync(file, { force: true });
    return null;
  }
  if (typeof info.pid === 'number' && pidAlive(info.pid) && isServer(info.pid)) return info;
  rmSync(file, { force: true });
  return null;
}

/** Whether the pid is still the dashboard server (and not another process that got its number since). */
function isServer(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(BUILT_SERVER);
  } catch (error) {
    // Without /proc (not Linux), the pid is all there is to go by.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT' || !existsSync('/proc/self');
  }
}

/** Like {@link findRunning}, but nothing running is an error (exit 3) saying how to start it. */
export function requireRunning(cwd: string): ClusterInfo {
  const info = findRunning(cwd);
  if (!info) {
    throw new CliError(
      `nothing is running here (no ${clusterInfoPath(cwd)}): start it with 'mesoscope up'`,
      EXIT.notRunning,
    );
  }
  return info;
}

export function writeClusterInfo(cwd: string, info: ClusterInfo): void {
  mkdirSync(stateDir(cwd), { recursive: true });
  writeFileSync(clusterInfoPath(cwd), `${JSON.stringify(info, null, 2)}\n`);
}

/** The shell lines `up` and `info` print: `eval "$(mesoscope info)"` sets them. */
export function exportLines(info: ReadyInfo): string[] {
  const lines = [`export MESOSCOPE_MASTER=${info.master}`];
  if (info.marathon) lines.push(`export MESOSCOPE_MARATHON=${info.marathon}`);
  if (info.chronos) lines.push(`export MESOSCOPE_CHRONOS=${info.chronos}`);
  if (info.dns) lines.push(`export MESOSCOPE_DNS=${info.dns}`);
  lines.push(`export MESOSCOPE_DASHBOARD=${info.dashboard}`);
  return lines;
}

/** The values `${MESOSCOPE_*}` tokens in app and group files stand for. */
export function tokenValues(info: ReadyInfo): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of exportLines(info)) {
    const [name, value] = line.replace(/^export /, '').split(/=(.*)/s);
    if (name && value !== undefined) values[name] = value;
  }
  if (info.dnsHttp) values['MESOSCOPE_DNS_HTTP'] = info.dnsHttp;
  return values;
}
