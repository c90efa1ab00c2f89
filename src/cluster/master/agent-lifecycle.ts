/**
 * What happens to agents besides running tasks: an operator deactivates or drains one (DRAIN_AGENT), or one
 * drops off the network and the master, after its ping timeout, marks it unreachable.
 */
import type { ClusterCore } from './cluster-core';
import { KILL_GRACE_MS } from './cluster-core';
import { nowSecs } from './ids';
import { TERMINAL_STATES } from './model';
import type { TaskRecord, TaskStatusJson } from './model';
import { signalProcessGroup } from '../runner/task-process';

/** How long the local master waits before it marks a silent agent unreachable (Mesos: 5 pings × 15 s). */
export const DEFAULT_UNREACHABLE_AFTER_MS = 5_000;

function requireAgent(core: ClusterCore, agentId: string) {
  const agent = core.agent(agentId);
  if (!agent) throw new Error(`Unknown agent '${agentId}'`);
  return agent;
}

function rescindOffersOn(core: ClusterCore, agentId: string): void {
  for (const offer of [...core.offers.values()]) if (offer.agentId === agentId) core.rescindOffer(offer.id);
}

/** DEACTIVATE_AGENT: no more offers from this agent; its tasks keep running. */
export function deactivateAgent(core: ClusterCore, agentId: string): void {
  const agent = requireAgent(core, agentId);
  agent.deactivated = true;
  rescindOffersOn(core, agentId);
  core.log.log('I', 'master.cpp:7795', `Deactivating agent ${agentId} at ${agent.pid} (${agent.hostname})`);
}

/** REACTIVATE_AGENT: ends a deactivation or a drain. */
export function reactivateAgent(core: ClusterCore, agentId: string): void {
  const agent = requireAgent(core, agentId);
  agent.deactivated = false;
  agent.drain = undefined;
  core.log.log('I', 'master.cpp:7830', `Reactivating agent ${agentId} at ${agent.pid} (${agent.hostname})`);
}

export interface DrainOptions {
  /** Grace period given to each task's kill; Mesos's default is each task's own kill policy. */
  maxGracePeriodSecs?: number;
  markGone?: boolean;
}

/**
 * DRAIN_AGENT: deactivates the agent and kills its tasks, giving each the grace period; the agent is
 * DRAINING until every task is terminal, then DRAINED. Resolves once it is DRAINED.
 */
export async function drainAgent(
  core: ClusterCore,
  agentId: string,
  options: DrainOptions = {},
): Promise<void> {
  const agent = requireAgent(core, agentId);
  agent.deactivated = true;
  const drain = {
    state: 'DRAINING' as 'DRAINING' | 'DRAINED',
    maxGracePeriodSecs: options.maxGracePeriodSecs,
    markGone: options.markGone ?? false,
    startTime: nowSecs(),
  };
  agent.drain = drain;
  rescindOffersOn(core, agentId);
  core.log.log('I', 'master.cpp:7873', `Draining agent ${agentId} at ${agent.pid} (${agent.hostname})`);
  const graceMs =
    options.maxGracePeriodSecs === undefined ? KILL_GRACE_MS : options.maxGracePeriodSecs * 1000;
  await Promise.all(core.liveTasks(agentId).map((task) => core.killTask(task.id, graceMs)));
  if (agent.drain === drain) {
    drain.state = 'DRAINED';
    core.log.log('I', 'master.cpp:7920', `Agent ${agentId} is drained`);
  }
}

/**
 * The agent drops off the network: its HTTP server stops and its task processes are killed without a word
 * to the master, which, `afterMs` later (its ping timeout), marks the agent unreachable. Resolves then.
 */
export async function makeAgentUnreachable(
  core: ClusterCore,
  agentId: string,
  afterMs = DEFAULT_UNREACHABLE_AFTER_MS,
): Promise<void> {
  const agent = requireAgent(core, agentId);
  agent.partitioned = true;
  await agent.server?.stop();
  for (const task of core.liveTasks(agentId)) {
    if (task.pid !== undefined) signalProcessGroup(task.pid, 'SIGKILL');
  }
  // Executors the frameworks named die with the agent too (their tasks have no process of their own).
  for (const executor of agent.executors.values()) {
    if (executor.pid !== undefined) signalProcessGroup(executor.pid, 'SIGKILL');
  }
  agent.log.log('W', 'slave.cpp:5245', 'Lost connection to the master');
  await new Promise<void>((resolve) => setTimeout(resolve, afterMs).unref());
  if (!core.closed) markAgentUnreachable(core, agentId);
}

/**
 * The master gives up on the agent: it leaves `slaves` (and is counted in `unreachable_slaves`), its offers
 * are rescinded, and its tasks become TASK_UNREACHABLE (partition-aware frameworks) or TASK_LOST (others).
 */
export function markAgentUnreachable(core: ClusterCore, agentId: string): void {
  const index = core.agents.findIndex((agent) => agent.id === agentId);
  const agent = core.agents[index];
  if (!agent) return;
  rescindOffersOn(core, agentId);
  core.agents.splice(index, 1);
  core.unreachableAgents.push(agent);
  core.log.log(
    'W',
    'master.cpp:1835',
    `Marking agent ${agentId} at ${agent.pid} (${agent.hostname}) unreachable`,
  );
  for (const framework of core.frameworks.values()) {
    const aware = framework.capabilities.includes('PARTITION_AWARE');
    for (const task of [...framework.tasks.values()]) {
      if (task.agentId !== agentId || TERMINAL_STATES.has(task.state)) continue;
      recordMasterStatus(
        task,
        aware ? 'TASK_UNREACHABLE' : 'TASK_LOST',
        `Agent ${agent.hostname} is unreachable`,
      );
      const status = task.statuses.at(-1);
      if (status) core.events.emit({ type: 'TASK_UPDATED', task, status });
      framework.tasks.delete(task.id);
      if (aware) {
        framework.unreachableTasks.push(task);
      } else {
        core.pushCompleted(framework, task);
        core.counters.terminalTasks.set('TASK_LOST', (core.counters.terminalTasks.get('TASK_LOST') ?? 0) + 1);
      }
      core.log.log(
        'I',
        'master.cpp:8601',
        `Status update ${task.state} for task ${task.id} of framework ${framework.id}`,
      );
    }
  }
  core.events.emit({ type: 'AGENT_REMOVED', agentId });
}

/**
 * An operator takes the agent's machine DOWN (`/master/machine/down`): the master tells the agent to shut down
 * (its executors and task processes die) and removes it at once, so its tasks become TASK_LOST
 * (TASK_GONE_BY_OPERATOR for partition-aware frameworks) from the master, and its offers are rescinded.
 */
export async function shutDownAgent(core: ClusterCore, agentId: string, message: string): Promise<void> {
  const index = core.agents.findIndex((agent) => agent.id === agentId);
  const agent = core.agents[index];
  if (!agent) return;
  // From here on the master hears nothing from the agent: its processes' exits are not status updates.
  agent.partitioned = true;
  rescindOffersOn(core, agentId);
  core.agents.splice(index, 1);
  core.counters.agentRemovals++;
  agent.log.log('I', 'slave.cpp:1018', `Agent asked to shut down by ${core.pid} because '${message}'`);
  core.log.log(
    'I',
    'master.cpp:11068',
    `Removing agent ${agentId} at ${agent.pid} (${agent.hostname}): ${message}`,
  );
  for (const framework of core.frameworks.values()) {
    const aware = framework.capabilities.includes('PARTITION_AWARE');
    for (const task of [...framework.tasks.values()]) {
      if (task.agentId !== agentId || TERMINAL_STATES.has(task.state)) continue;
      const state = aware ? 'TASK_GONE_BY_OPERATOR' : 'TASK_LOST';
      recordMasterStatus(
        task,
        state,
        message,
        aware ? 'REASON_SLAVE_REMOVED_BY_OPERATOR' : 'REASON_SLAVE_REMOVED',
      );
      const status = task.statuses.at(-1);
      if (status) core.events.emit({ type: 'TASK_UPDATED', task, status });
      framework.tasks.delete(task.id);
      core.pushCompleted(framework, task);
      core.counters.terminalTasks.set(state, (core.counters.terminalTasks.get(state) ?? 0) + 1);
      agent.completeExecutor(task.executorId);
      if (task.pid !== undefined) signalProcessGroup(task.pid, 'SIGKILL');
    }
  }
  core.events.emit({ type: 'AGENT_REMOVED', agentId });
  await agent.server?.stop();
  // The agent process has exited.
  agent.log.close();
}

function recordMasterStatus(
  task: TaskRecord,
  state: 'TASK_UNREACHABLE' | 'TASK_LOST' | 'TASK_GONE_BY_OPERATOR',
  message: string,
  reason = 'REASON_SLAVE_REMOVED',
): void {
  const status: TaskStatusJson = {
    state,
    timestamp: nowSecs(),
    source: 'SOURCE_MASTER',
    reason,
    message,
  };
  const previous = task.statuses.find((s) => s.container_status)?.container_status;
  if (previous) status.container_status = previous;
  task.statuses.push(status);
  task.state = state;
}
