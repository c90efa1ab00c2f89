/**
 * What an operator configures around the demo workload: role weights and quota, static reservations, and a
 * maintenance window for the machine the agents run on. Agents stay Active (maintenance only schedules).
 */
import type { ClusterCore } from '../master/cluster-core';
import { nowSecs } from '../master/ids';
import { scheduleMaintenance } from '../master/maintenance';
import type { MachineId, MaintenanceWindowSpec } from '../master/maintenance';
import { emptyResources } from '../master/resources';

const HOUR = 3600;

export function applyDemoPolicies(core: ClusterCore): void {
  core.weights.set('marathon', 2);
  core.weights.set('chronos', 1);
  core.quotas.set('marathon', {
    guarantee: { cpus: 1, mem: 512 },
    limit: { cpus: 4, mem: 4096, disk: 20000 },
  });
  const [first, second] = core.agents;
  first?.reserved.set('marathon', { ...emptyResources(), cpus: 1, mem: 1024, disk: 2000 });
  second?.reserved.set('chronos', { ...emptyResources(), cpus: 0.5, mem: 256 });
}

/** The demo's schedule: the local machine goes down for an hour, two hours from now; marathon accepted. */
export function scheduleDemoMaintenance(
  core: ClusterCore,
  extra: { windows?: MaintenanceWindowSpec[]; down?: MachineId[] } = {},
): void {
  const local = {
    machines: [{ hostname: core.host, ip: core.host }],
    start: nowSecs() + 2 * HOUR,
    durationSecs: HOUR,
  };
  scheduleMaintenance(core, [local, ...(extra.windows ?? [])], {
    down: extra.down,
    answers: { marathon: 'ACCEPT' },
  });
}
