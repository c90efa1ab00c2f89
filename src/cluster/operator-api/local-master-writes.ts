/**
 * What the operator writes (model-writes.ts) do on the local cluster's master, with the effects Mesos gives them (src/master/http.cpp and
 * master.cpp): a torn-down framework's tasks are TASK_KILLED by the master at once and their processes
 * killed; a machine brought DOWN loses its agents (shut down and removed, their tasks TASK_LOST); reservations
 * move resources between the unreserved pool and a role.
 */
import type { DynamicReservation, LocalAgent } from '../agent/agent-node';
import { deactivateAgent, drainAgent, reactivateAgent, shutDownAgent } from '../master/agent-lifecycle';
import type { ClusterCore } from '../master/cluster-core';
import { KILL_GRACE_MS, describe } from '../master/cluster-core';
import { nowSecs } from '../master/ids';
import type { MachineId } from '../master/maintenance';
import { ACCEPTED, badRequest } from './master-writes';
import type { MasterWrites, WriteOutcome } from './master-writes';
import { modelWrites } from './model-writes';
import type { RequestedResources } from './write-parsing';
import type { TaskStatusJson } from '../master/model';
import { allocationSplit, unreservedResources } from '../master/reservations';
import { addResources, emptyResources, fits, subtractResources, sumResources } from '../master/resources';
import type { ClusterResources } from '../master/resources';
import { signalProcessGroup } from '../runner/task-process';

/** The machine an agent runs on, as the master keys it: the agent's hostname and the IP of its pid. */
export function machineOf(agent: LocalAgent): MachineId {
  return { hostname: agent.hostname, ip: agent.address };
}

/** `stringify(*slave)`: how Mesos names an agent in its errors. */
function agentText(agent: LocalAgent): string {
  return `${agent.id} at ${agent.pid} (${agent.hostname})`;
}

/**
 * Builds the writes over a running core. `restartAgent` starts a fresh agent: a machine brought back UP gets
 * as many agents as it lost when it went DOWN, as a supervisor restarting `mesos-agent` would (they register
 * under new ids).
 */
export function localMasterWrites(core: ClusterCore, restartAgent?: () => Promise<unknown>): MasterWrites {
  return modelWrites(core, {
    machineOf,
    agent: (agentId) => core.agent(agentId),
    removeFramework: (frameworkId) => removeFramework(core, frameworkId),
    shutDownAgent: (agentId, message) => shutDownAgent(core, agentId, message),
    restartAgent,
    deactivate: (agentId) => deactivateAgent(core, agentId),
    reactivate: (agentId) => reactivateAgent(core, agentId),
    draining: (agent) => agent.drain?.state === 'DRAINING',
    reservations: {
      reserve: (agent, requested) => reserve(core, agent, requested),
      unreserve: (agent, requested) => unreserve(core, agent, requested),
    },
    drain(agent, { agentId, maxGracePeriodSecs, markGone }) {
      drainAgent(core, agentId, { maxGracePeriodSecs, markGone })
        // Once drained, an agent to be marked gone is shut down and removed instead of staying DRAINED.
        .then(async () => {
          if (markGone && agent.drain?.state === 'DRAINED' && core.agent(agentId))
            await shutDownAgent(core, agentId, 'Agent has been marked gone');
        })
        .catch((error: unknown) =>
          core.log.log(
            'W',
            'master.cpp:7873',
            `Failed to drain agent ${agentId}: ${(error as Error).message}`,
          ),
        );
    },
  });
}

/** RESERVE on a known agent: from its unreserved resources that no task uses and no offer holds. */
function reserve(core: ClusterCore, agent: LocalAgent, requested: RequestedResources[]): WriteOutcome {
  for (const resource of requested) {
    if (!resource.dynamic || resource.role === undefined) {
      return badRequest(
        `Invalid RESERVE operation on agent ${agentText(agent)}: Resource ${resource.text} is not dynamically reserved`,
      );
    }
  }
  const unknown = requested.find((resource) => resource.unknownName !== undefined);
  const wanted = sumResources(requested.map((resource) => resource.resources));
  const free = () =>
    subtractResources(
      subtractResources(unreservedResources(agent), allocationSplit(core, agent).unreserved),
      core.offeredOn(agent.id),
    );
  if (unknown || !fits(wanted, free())) {
    // Like the master: outstanding offers on the agent are rescinded to make room.
    for (const offer of [...core.offers.values()])
      if (offer.agentId === agent.id) core.rescindOffer(offer.id);
  }
  const available = free();
  if (unknown || !fits(wanted, available)) {
    const asked = unknown ? requested.map((resource) => resource.text).join('; ') : describe(wanted);
    return { status: 409, body: `${describe(available)} does not contain ${asked}` };
  }
  for (const resource of requested) {
    const role = resource.role ?? '*';
    agent.reserved.set(role, addResources(agent.reserved.get(role) ?? emptyResources(), resource.resources));
    const dynamic: DynamicReservation = agent.dynamicReservations.get(role) ?? {
      resources: emptyResources(),
      principal: resource.principal,
    };
    dynamic.resources = addResources(dynamic.resources, resource.resources);
    agent.dynamicReservations.set(role, dynamic);
  }
  core.log.log(
    'I',
    'master.cpp:11735',
    `Applying RESERVE operation for resources ${requested.map((r) => r.text).join('; ')} to agent ${agentText(agent)}`,
  );
  return ACCEPTED;
}

/** UNRESERVE on a known agent: only dynamic reservations, and only what the role's tasks do not use. */
function unreserve(core: ClusterCore, agent: LocalAgent, requested: RequestedResources[]): WriteOutcome {
  for (const resource of requested) {
    if (!resource.dynamic || resource.role === undefined) {
      return badRequest(`Invalid UNRESERVE operation: Resource ${resource.text} is not dynamically reserved`);
    }
  }
  const byRole = new Map<string, ClusterResources>();
  for (const resource of requested) {
    const role = resource.role ?? '*';
    byRole.set(role, addResources(byRole.get(role) ?? emptyResources(), resource.resources));
  }
  const split = allocationSplit(core, agent);
  for (const [role, wanted] of byRole) {
    const dynamic = agent.dynamicReservations.get(role)?.resources ?? emptyResources();
    const unused = subtractResources(
      agent.reserved.get(role) ?? emptyResources(),
      split.reserved.get(role) ?? emptyResources(),
    );
    const unknown = requested.find((resource) => resource.role === role && resource.unknownName);
    if (unknown || !fits(wanted, dynamic) || !fits(wanted, unused)) {
      const available = fits(dynamic, unused) ? dynamic : unused;
      return {
        status: 409,
        body: `${describe(available)} does not contain ${unknown ? unknown.text : describe(wanted)}`,
      };
    }
  }
  for (const [role, wanted] of byRole) {
    const reserved = subtractResources(agent.reserved.get(role) ?? emptyResources(), wanted);
    const dynamic = agent.dynamicReservations.get(role);
    if (dynamic) dynamic.resources = subtractResources(dynamic.resources, wanted);
    if (isEmpty(reserved)) agent.reserved.delete(role);
    else agent.reserved.set(role, reserved);
    if (dynamic && isEmpty(dynamic.resources)) agent.dynamicReservations.delete(role);
  }
  core.log.log(
    'I',
    'master.cpp:11735',
    `Applying UNRESERVE operation for resources ${requested.map((r) => r.text).join('; ')} to agent ${agentText(agent)}`,
  );
  return ACCEPTED;
}

function isEmpty(r: ClusterResources): boolean {
  return r.cpus <= 0 && r.gpus <= 0 && r.mem <= 0 && r.disk <= 0 && r.ports.length === 0;
}

/**
 * `Master::removeFramework`: the master marks each live task TASK_KILLED itself (REASON_FRAMEWORK_REMOVED),
 * rescinds the framework's offers and moves it to `completed_frameworks`; the agents kill the processes.
 */
function removeFramework(core: ClusterCore, frameworkId: string): void {
  const framework = core.frameworks.get(frameworkId);
  if (!framework) return;
  core.log.log(
    'I',
    'master.cpp:1503',
    `Processing TEARDOWN call for framework ${frameworkId} (${framework.name})`,
  );
  for (const offer of [...core.offers.values()])
    if (offer.frameworkId === frameworkId) core.rescindOffer(offer.id);
  core.allocator.removeFramework(frameworkId);
  core.unacknowledgedTerminal.dropFramework(frameworkId);
  // Tasks under executors the framework named end with their executors (below), not by a signal of their own.
  void core.executorRuntime?.shutdownFramework(frameworkId);
  for (const task of [...framework.tasks.values()]) {
    const status: TaskStatusJson = {
      state: 'TASK_KILLED',
      timestamp: nowSecs(),
      source: 'SOURCE_MASTER',
      reason: 'REASON_FRAMEWORK_REMOVED',
      message: `Framework ${frameworkId} removed`,
    };
    const previous = task.statuses.find((s) => s.container_status)?.container_status;
    if (previous) status.container_status = previous;
    task.statuses.push(status);
    task.state = 'TASK_KILLED';
    core.events.emit({ type: 'TASK_UPDATED', task, status });
    core.counters.terminalTasks.set('TASK_KILLED', (core.counters.terminalTasks.get('TASK_KILLED') ?? 0) + 1);
    framework.tasks.delete(task.id);
    core.pushCompleted(framework, task);
    const agent = core.agent(task.agentId);
    agent?.completeExecutor(task.executorId);
    const pid = task.pid;
    if (pid !== undefined) {
      signalProcessGroup(pid, 'SIGTERM');
      setTimeout(() => signalProcessGroup(pid, 'SIGKILL'), KILL_GRACE_MS).unref();
    }
  }
  core.retireFramework(framework);
  core.log.log('I', 'master.cpp:11187', `Removing framework ${frameworkId} (${framework.name})`);
}
