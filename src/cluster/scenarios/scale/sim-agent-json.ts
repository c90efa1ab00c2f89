/**
 * The agent-side v0 JSON of the simulated agents (`/slave(N)/state`, `/monitor/statistics`, `/flags`,
 * `/metrics/snapshot`), from the local agents' own renderer (agent/agent-json.ts): a simulated agent has no
 * reservations, no log and no processes, so its container statistics are made up (steady for a task).
 */
import {
  agentFlagsJson,
  agentMetricsJson,
  agentStateJson,
  containerLimits,
  monitorEntryJson,
} from '../../agent/agent-json';
import type { AgentIdentity } from '../../agent/agent-json';
import { frameworksOfExecutors } from '../../agent/frameworks-on-agent';
import { TERMINAL_STATES, commandExecutorOf } from '../../master/model';
import { emptyResources } from '../../master/resources';
import type { SimAgent, SimMaster } from './sim-master';

function identityOf(master: SimMaster, agent: SimAgent): AgentIdentity {
  return {
    id: agent.id,
    pid: agent.pid,
    hostname: agent.hostname,
    ip: master.host,
    port: agent.port,
    startTime: agent.registeredTime,
    attributes: agent.attributes,
    resources: agent.resources,
    workDir: agent.workDir,
    master: { host: master.host, port: master.masterPort },
  };
}

/** The agent's `--flags`. */
export function simAgentFlags(master: SimMaster, agent: SimAgent): Record<string, string> {
  return agentFlagsJson(identityOf(master, agent));
}

/** `GET /slave(N)/state` of a simulated agent. */
export function simAgentStateJson(master: SimMaster, agent: SimAgent): Record<string, unknown> {
  return agentStateJson(identityOf(master, agent), {
    reservations: {
      reserved: {},
      reservedFull: {},
      unreserved: agent.resources,
      allocatedByRole: new Map(),
      unreservedAllocated: { ...emptyResources(), ...agent.used, ports: [] },
    },
    frameworks: frameworksOfExecutors(
      master,
      [...agent.tasks].map(commandExecutorOf),
      agent.completed.map(commandExecutorOf),
    ),
  });
}

/** `GET /slave(N)/monitor/statistics`: plausible usage, steady for a given task. */
export function simMonitorStatisticsJson(agent: SimAgent, now: number): Record<string, unknown>[] {
  return [...agent.tasks]
    .filter((task) => !TERMINAL_STATES.has(task.state))
    .map((task) => {
      const age = Math.max(0, now - task.launchedAt);
      // A task uses a steady share of its CPU allocation, derived from its id so it does not jump around.
      const share = 0.2 + (task.id.charCodeAt(task.id.length - 1) % 7) / 10;
      return monitorEntryJson(commandExecutorOf(task), {
        timestamp: now,
        ...containerLimits(task.resources),
        cpus_user_time_secs: Math.round(age * task.resources.cpus * share * 0.8 * 100) / 100,
        cpus_system_time_secs: Math.round(age * task.resources.cpus * share * 0.2 * 100) / 100,
        mem_rss_bytes: Math.round(task.resources.mem * 1024 * 1024 * (0.3 + share / 2)),
        disk_used_bytes: 4096 * (1 + Math.floor(age / 60)),
      });
    });
}

/** Agent `GET /metrics/snapshot` of one simulated agent. */
export function simAgentMetricsJson(master: SimMaster, agent: SimAgent, now: number): Record<string, number> {
  const live = new Map<string, number>();
  for (const task of agent.tasks) live.set(task.state, (live.get(task.state) ?? 0) + 1);
  return agentMetricsJson(identityOf(master, agent), {
    used: agent.used,
    live: (state) => live.get(state) ?? 0,
    terminal: agent.counters.terminalTasks,
    executorsRunning: agent.tasks.size,
    executorsTerminated: agent.completed.length,
    frameworksActive: new Set([...agent.tasks].map((t) => t.frameworkId)).size,
    statusUpdates: agent.counters.statusUpdates,
    now,
  });
}
