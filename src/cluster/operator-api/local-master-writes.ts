/**
 * The operator writes on the local cluster's master, with the effects Mesos gives them (src/master/http.cpp and
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
import { MaintenanceBook, machineText, sameMachine } from '../master/maintenance-modes';
import { ACCEPTED, OK, badRequest } from './master-writes';
import type { MasterWrites } from './master-writes';
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
  const book = new MaintenanceBook(core.maintenance);
  const downedAgents: { machine: MachineId; count: number }[] = [];
  const agentMachines = () => core.agents.map(machineOf);

  return {
    teardown(frameworkId) {
      if (!core.frameworks.has(frameworkId)) return badRequest('No framework found with specified ID');
      removeFramework(core, frameworkId);
      return OK;
    },

    updateMaintenanceSchedule(windows) {
      const invalid = book.updateSchedule(windows);
      if (invalid) return badRequest(invalid);
      core.log.log('I', 'http.cpp:3210', `Updated the maintenance schedule (${windows.length} windows)`);
      return OK;
    },

    async machinesDown(machines) {
      const invalid = book.checkDown(machines, agentMachines());
      if (invalid) return badRequest(invalid);
      for (const machine of machines) {
        const agents = core.agents.filter((agent) => sameMachine(machineOf(agent), machine));
        if (agents.length > 0) downedAgents.push({ machine, count: agents.length });
        await Promise.all(
          agents.map((agent) => shutDownAgent(core, agent.id, "Operator initiated 'Machine DOWN'")),
        );
      }
      book.markDown(machines);
      return OK;
    },

    async machinesUp(machines) {
      const invalid = book.bringUp(machines, agentMachines());
      if (invalid) return badRequest(invalid);
      for (const machine of machines) {
        for (let i = downedAgents.length - 1; i >= 0; i--) {
          const downed = downedAgents[i];
          if (!downed || !sameMachine(downed.machine, machine)) continue;
          downedAgents.splice(i, 1);
          for (let n = 0; n < downed.count; n++) await restartAgent?.();
        }
      }
      return OK;
    },

    reserve(agentId, requested) {
      const agent = core.agent(agentId);
      if (!agent) return badRequest('No agent found with specified ID');
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
        agent.reserved.set(
          role,
          addResources(agent.reserved.get(role) ?? emptyResources(), resource.resources),
        );
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
    },

    unreserve(agentId, requested) {
      const agent = core.agent(agentId);
      if (!agent) return badRequest('No agent found with specified ID');
      for (const resource of requested) {
        if (!resource.dynamic || resource.role === undefined) {
          return badRequest(
            `Invalid UNRESERVE operation: Resource ${resource.text} is not dynamically reserved`,
          );
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
    },

    drainAgent({ agentId, maxGracePeriodSecs, markGone }) {
      const agent = core.agent(agentId);
      if (agent) {
        const scheduled = book.scheduled().find((machine) => sameMachine(machine, machineOf(agent)));
        if (scheduled) {
          return badRequest(
            `Agent ${agentId} is part of a maintenance schedule under Machine ${machineText(scheduled)}`,
          );
        }
      }
      if (!agent) return badRequest('Unknown agent');
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
      return OK;
    },

    deactivateAgent(agentId) {
      if (!core.agent(agentId)) return badRequest('Unknown agent');
      deactivateAgent(core, agentId);
      return OK;
    },

    reactivateAgent(agentId) {
      const agent = core.agent(agentId);
      if (!agent?.deactivated) return badRequest('Agent is not deactivated');
      if (agent.drain?.state === 'DRAINING') return badRequest('Agent is still in the DRAINING state');
      reactivateAgent(core, agentId);
      return OK;
    },
  } satisfies MasterWrites;
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
