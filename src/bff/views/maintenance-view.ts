import type { MachineId, MaintenanceSchedule, MaintenanceStatus } from '../../mesos';
import { agentStateLabel, machineIsAgent, machineLabel, maintenanceWindowSpan } from '../../mesos';
import type { ClusterSnapshot } from '../model/cluster-snapshot';
import type { Freshness, MachineView, MaintenanceView } from '../schemas/detail-views';

/**
 * The maintenance page: the schedule's windows (Begin, End, Hosts, as in the Mesos UI) and the status the
 * Mesos UI never showed: which machines are draining, how each framework answered, and which are down. Each
 * machine is linked to the registered agents that run on it.
 */
export function maintenanceView(
  schedule: MaintenanceSchedule,
  status: MaintenanceStatus,
  snapshot: ClusterSnapshot | null,
  freshness: Freshness,
): MaintenanceView {
  const machine = (id: MachineId): MachineView => ({
    hostname: id.hostname ?? null,
    ip: id.ip ?? null,
    label: machineLabel(id),
    agents: (snapshot?.state.slaves ?? [])
      .filter((agent) => machineIsAgent(id, agent))
      .map((agent) => ({ id: agent.id, hostname: agent.hostname, state: agentStateLabel(agent) })),
  });
  return {
    ...freshness,
    supported: true,
    windows: schedule.windows.map((window) => {
      const { startMs, endMs } = maintenanceWindowSpan(window);
      return {
        startTime: startMs / 1000,
        endTime: endMs === null ? null : endMs / 1000,
        machines: window.machine_ids.map(machine),
      };
    }),
    draining: status.draining_machines.map((draining) => ({
      machine: machine(draining.id),
      statuses: draining.statuses.map((answer) => {
        const frameworkId = answer.framework_id?.value ?? null;
        return {
          frameworkId,
          frameworkName: frameworkId ? (snapshot?.frameworksById.get(frameworkId)?.name ?? null) : null,
          status: answer.status,
          timestamp: answer.timestamp ? answer.timestamp.nanoseconds / 1e9 : null,
        };
      }),
    })),
    down: status.down_machines.map(machine),
  };
}
