/**
 * The agent-side v0 JSON of the simulated agents (`/slave(N)/state`, `/monitor/statistics`, `/flags`,
 * `/metrics/snapshot`), shaped like a local agent's, with the same task and executor writers. The master's
 * documents come from the one master renderer (master/master-json.ts).
 */
import { AGENT_CAPABILITIES } from '../../operator-api/master-writers';
import { TERMINAL_STATES, commandExecutorOf } from '../../master/model';
import { resourcesFullJson, resourcesJson } from '../../master/resources';
import { executorJson } from '../../master/task-json';
import { versionJson } from '../../version';
import type { SimAgent, SimMaster, SimTask } from './sim-master';

/** The agent's `--flags`. */
export function simAgentFlags(master: SimMaster, agent: SimAgent): Record<string, string> {
  return {
    attributes: Object.entries(agent.attributes)
      .map(([k, v]) => `${k}:${v}`)
      .join(';'),
    containerizers: 'mesos',
    default_role: '*',
    hostname: agent.hostname,
    ip: master.host,
    isolation: 'posix/cpu,posix/mem',
    master: `${master.host}:${master.masterPort}`,
    port: String(agent.port),
    resources: `cpus:${agent.resources.cpus};mem:${agent.resources.mem};disk:${agent.resources.disk}`,
    work_dir: agent.workDir,
  };
}

/** `GET /slave(N)/state` of a simulated agent. */
export function simAgentStateJson(master: SimMaster, agent: SimAgent): Record<string, unknown> {
  const live = new Map<string, SimTask[]>();
  const done = new Map<string, SimTask[]>();
  for (const task of agent.tasks) live.set(task.frameworkId, [...(live.get(task.frameworkId) ?? []), task]);
  for (const task of agent.completed)
    done.set(task.frameworkId, [...(done.get(task.frameworkId) ?? []), task]);
  const active: Record<string, unknown>[] = [];
  const completed: Record<string, unknown>[] = [];
  for (const frameworkId of new Set([...live.keys(), ...done.keys()])) {
    const framework =
      master.frameworks.get(frameworkId) ?? master.completedFrameworks.find((f) => f.id === frameworkId);
    if (!framework) continue;
    const json: Record<string, unknown> = {
      id: framework.id,
      name: framework.name,
      user: framework.user,
      failover_timeout: framework.failoverTimeout,
      checkpoint: framework.checkpoint,
      hostname: framework.hostname,
    };
    if (framework.principal !== undefined) json.principal = framework.principal;
    json.roles = framework.roles;
    json.executors = (live.get(frameworkId) ?? []).map((task) => executorJson(commandExecutorOf(task)));
    json.completed_executors = (done.get(frameworkId) ?? []).map((task) =>
      executorJson(commandExecutorOf(task)),
    );
    (framework.active ? active : completed).push(json);
  }
  return {
    ...versionJson(),
    start_time: agent.registeredTime,
    id: agent.id,
    pid: agent.pid,
    hostname: agent.hostname,
    capabilities: AGENT_CAPABILITIES,
    resources: resourcesJson(agent.resources),
    reserved_resources: {},
    unreserved_resources: resourcesJson(agent.resources),
    reserved_resources_full: {},
    unreserved_resources_full: resourcesFullJson(agent.resources),
    reserved_resources_allocated: {},
    unreserved_resources_allocated: resourcesJson(agent.used),
    attributes: agent.attributes,
    master_hostname: master.host,
    flags: simAgentFlags(master, agent),
    frameworks: active,
    completed_frameworks: completed,
  };
}

/** `GET /slave(N)/monitor/statistics`: plausible usage, steady for a given task. */
export function simMonitorStatisticsJson(agent: SimAgent, now: number): Record<string, unknown>[] {
  return [...agent.tasks]
    .filter((task) => !TERMINAL_STATES.has(task.state))
    .map((task) => {
      const age = Math.max(0, now - task.launchedAt);
      // A task uses a steady share of its CPU allocation, derived from its id so it does not jump around.
      const share = 0.2 + (task.id.charCodeAt(task.id.length - 1) % 7) / 10;
      return {
        framework_id: task.frameworkId,
        executor_id: task.executorId,
        executor_name: commandExecutorOf(task).name,
        source: task.id,
        statistics: {
          timestamp: now,
          cpus_limit: task.resources.cpus,
          cpus_user_time_secs: Math.round(age * task.resources.cpus * share * 0.8 * 100) / 100,
          cpus_system_time_secs: Math.round(age * task.resources.cpus * share * 0.2 * 100) / 100,
          mem_limit_bytes: task.resources.mem * 1024 * 1024,
          mem_rss_bytes: Math.round(task.resources.mem * 1024 * 1024 * (0.3 + share / 2)),
          disk_limit_bytes: task.resources.disk * 1024 * 1024,
          disk_used_bytes: 4096 * (1 + Math.floor(age / 60)),
        },
      };
    });
}

/** Agent `GET /metrics/snapshot` of one simulated agent. */
export function simAgentMetricsJson(agent: SimAgent, now: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of ['cpus', 'gpus', 'mem', 'disk'] as const) {
    out[`slave/${key}_total`] = agent.resources[key];
    out[`slave/${key}_used`] = agent.used[key];
    out[`slave/${key}_percent`] = agent.resources[key] > 0 ? agent.used[key] / agent.resources[key] : 0;
  }
  const live = (state: string) => [...agent.tasks].filter((t) => t.state === state).length;
  const done = (state: string) => agent.counters.terminalTasks.get(state) ?? 0;
  return {
    ...out,
    'slave/tasks_staging': live('TASK_STAGING'),
    'slave/tasks_starting': live('TASK_STARTING'),
    'slave/tasks_running': live('TASK_RUNNING'),
    'slave/tasks_killing': live('TASK_KILLING'),
    'slave/tasks_finished': done('TASK_FINISHED'),
    'slave/tasks_killed': done('TASK_KILLED'),
    'slave/tasks_failed': done('TASK_FAILED'),
    'slave/tasks_lost': done('TASK_LOST'),
    'slave/tasks_gone': done('TASK_GONE'),
    'slave/executors_running': agent.tasks.size,
    'slave/executors_terminated': agent.completed.length,
    'slave/frameworks_active': new Set([...agent.tasks].map((t) => t.frameworkId)).size,
    'slave/registered': 1,
    'slave/uptime_secs': now - agent.registeredTime,
    'slave/valid_status_updates': agent.counters.statusUpdates,
  };
}
