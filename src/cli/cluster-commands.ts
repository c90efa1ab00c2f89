/** `info`, `state`, `ps` and `logs`: read the running cluster over its Mesos HTTP APIs, as any client would. */
import { mesosDnsRecords, mesosDnsTaskOf } from '../mesos/mesos-dns';
import { parsePid } from '../mesos/ids';
import { discoverySummary, taskHostPorts } from '../mesos/task-details';
import { CliError, EXIT } from './cli-error';
import { answers, getJson, request } from './http';
import { exportLines } from './runtime';
import type { ClusterInfo } from './runtime';
import type { Output } from './up-down';

export async function info(cluster: ClusterInfo, io: Output): Promise<void> {
  for (const line of exportLines(cluster)) io.out(line);
  const parts: [string, string | null][] = [
    ['dashboard', `${cluster.dashboard}/healthz`],
    ['master', `${cluster.master}/health`],
    ['marathon', cluster.marathon && `${cluster.marathon}/ping`],
    ['chronos', cluster.chronos && `${cluster.chronos}/v1/scheduler/jobs`],
    ['mesos-dns', cluster.dnsHttp && `${cluster.dnsHttp}/v1/version`],
  ];
  io.out(`# pid ${cluster.pid}, started ${cluster.startedAt}, work dir ${cluster.workDir}`);
  for (const [name, url] of parts) {
    const state = url === null ? 'not started' : (await answers(url)) ? 'answering' : 'NOT ANSWERING';
    io.out(`# ${name.padEnd(10)} ${state}`);
  }
}

interface StateTask {
  id: string;
  name: string;
  state: string;
  slave_id: string;
  resources?: Record<string, unknown>;
  discovery?: unknown;
}

interface StateFramework {
  id: string;
  name: string;
  tasks?: StateTask[];
}

interface MasterState {
  frameworks?: StateFramework[];
  slaves?: { id: string; hostname: string; pid: string }[];
}

async function masterState(cluster: ClusterInfo): Promise<MasterState> {
  return (await getJson(`${cluster.master}/master/state`)) as MasterState;
}

/** An agent's base URL from its libprocess pid in the master's state. */
function agentUrl(state: MasterState, agentId: string): string {
  const agent = state.slaves?.find((slave) => slave.id === agentId);
  const pid = agent ? parsePid(agent.pid) : null;
  if (!pid) throw new CliError(`no agent ${agentId} in the master's state`, EXIT.usage);
  return `http://${pid.ip}:${pid.port}`;
}

export async function state(cluster: ClusterInfo, agentId: string | undefined, io: Output): Promise<void> {
  const url =
    agentId === undefined
      ? `${cluster.master}/master/state`
      : `${agentUrl(await masterState(cluster), agentId)}/state`;
  io.out(JSON.stringify(await getJson(url), null, 2));
}

interface PsRow {
  framework: string;
  task: string;
  state: string;
  agent: string;
  ports: string;
  dns: string;
}

/** The active tasks of every framework, one row each, with the Mesos-DNS name each would have. */
export function psRows(state: MasterState): PsRow[] {
  const hostnames = new Map((state.slaves ?? []).map((slave) => [slave.id, slave.hostname]));
  const rows: PsRow[] = [];
  for (const framework of state.frameworks ?? []) {
    for (const task of framework.tasks ?? []) {
      const hostPorts = taskHostPorts(task.resources ?? {});
      const discovery = discoverySummary(task.discovery);
      const dns = mesosDnsRecords(mesosDnsTaskOf(task.name, discovery, hostPorts), framework.name);
      rows.push({
        framework: framework.name,
        task: task.id,
        state: task.state,
        agent: hostnames.get(task.slave_id) ?? task.slave_id,
        ports: hostPorts.join(',') || '-',
        dns: dns?.a ?? '-',
      });
    }
  }
  return rows.sort((a, b) => a.framework.localeCompare(b.framework) || a.task.localeCompare(b.task));
}

/** Columns as wide as their widest cell, as `docker ps` prints them. */
export function formatTable(rows: PsRow[]): string[] {
  const header: PsRow = {
    framework: 'FRAMEWORK',
    task: 'TASK',
    state: 'STATE',
    agent: 'AGENT',
    ports: 'PORTS',
    dns: 'DNS NAME',
  };
  const keys = Object.keys(header) as (keyof PsRow)[];
  const all = [header, ...rows];
  const widths = keys.map((key) => Math.max(...all.map((row) => row[key].length)));
  return all.map((row) =>
    keys
      .map((key, i) => (i === keys.length - 1 ? row[key] : row[key].padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

export async function ps(cluster: ClusterInfo, io: Output): Promise<void> {
  const rows = psRows(await masterState(cluster));
  for (const line of formatTable(rows)) io.out(line);
}

interface AgentExecutor {
  directory: string;
  tasks?: { id: string }[];
  completed_tasks?: { id: string }[];
}

interface AgentFramework {
  executors?: AgentExecutor[];
  completed_executors?: AgentExecutor[];
}

/** Where a task's sandbox is, as its agent says (the master's state does not carry it). */
async function sandboxOf(
  cluster: ClusterInfo,
  taskId: string,
): Promise<{ agent: string; directory: string }> {
  const master = await masterState(cluster);
  const matches = (master.frameworks ?? []).flatMap((framework) =>
    (framework.tasks ?? []).filter((task) => task.id === taskId),
  );
  const completed = (await getJson(`${cluster.master}/master/tasks?limit=10000`)) as { tasks?: StateTask[] };
  const task = matches[0] ?? completed.tasks?.find((candidate) => candidate.id === taskId);
  if (!task) throw new CliError(`no task '${taskId}' in the cluster ('mesoscope ps' lists them)`, EXIT.usage);
  const agent = agentUrl(master, task.slave_id);
  const agentState = (await getJson(`${agent}/state`)) as {
    frameworks?: AgentFramework[];
    completed_frameworks?: AgentFramework[];
  };
  for (const framework of [...(agentState.frameworks ?? []), ...(agentState.completed_frameworks ?? [])]) {
    for (const executor of [...(framework.executors ?? []), ...(framework.completed_executors ?? [])]) {
      const ids = [...(executor.tasks ?? []), ...(executor.completed_tasks ?? [])].map((t) => t.id);
      if (ids.includes(taskId)) return { agent, directory: executor.directory };
    }
  }
  throw new CliError(`the agent no longer has the sandbox of task '${taskId}'`);
}

const CHUNK = 64 * 1024;
const FOLLOW_INTERVAL_MS = 500;

/** Prints a sandbox file from the start; with `follow`, keeps printing what is appended until interrupted. */
export async function logs(
  cluster: ClusterInfo,
  flags: { task: string; stderr: boolean; follow: boolean },
  write: (text: string) => void,
): Promise<void> {
  const { agent, directory } = await sandboxOf(cluster, flags.task);
  const path = `${directory}/${flags.stderr ? 'stderr' : 'stdout'}`;
  let offset = 0;
  for (;;) {
    const url = `${agent}/files/read?path=${encodeURIComponent(path)}&offset=${offset}&length=${CHUNK}`;
    const { status, text } = await request(url);
    if (status === 404) throw new CliError(`task '${flags.task}' has no ${path} (yet)`);
    if (status !== 200) throw new CliError(`${url} answered ${status}: ${text.slice(0, 300)}`);
    const { data } = JSON.parse(text) as { data: string };
    if (data.length > 0) {
      write(data);
      offset += Buffer.byteLength(data);
      continue;
    }
    if (!flags.follow) return;
    await new Promise((done) => setTimeout(done, FOLLOW_INTERVAL_MS));
  }
}
