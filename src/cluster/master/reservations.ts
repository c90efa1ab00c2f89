import type { LocalAgent } from '../agent/agent-node';
import type { ClusterCore } from './cluster-core';
import {
  emptyResources,
  resourcesFullJson,
  resourcesJson,
  subtractResources,
  sumResources,
} from './resources';
import type { ClusterResources } from './resources';

/** What is left of an agent's resources once its reservations are taken out. */
export function unreservedResources(agent: LocalAgent): ClusterResources {
  return subtractResources(agent.resources, sumResources(agent.reserved.values()));
}

/** `reserved_resources`: `{role: Resources}`. */
export function reservedJson(agent: LocalAgent): Record<string, Record<string, number | string>> {
  return Object.fromEntries([...agent.reserved].map(([role, r]) => [role, resourcesJson(r)]));
}

/** `reserved_resources_full`: `{role: Resource[]}`, each carrying its reservation (static or dynamic). */
export function reservedFullJson(agent: LocalAgent): Record<string, Record<string, unknown>[]> {
  return Object.fromEntries(
    [...agent.reserved].map(([role, r]) => {
      const dynamic = agent.dynamicReservations.get(role);
      const statics = dynamic ? subtractResources(r, dynamic.resources) : r;
      const full: Record<string, unknown>[] = resourcesFullJson(statics, role).map((resource) => ({
        ...resource,
        reservations: [{ type: 'STATIC', role }],
      }));
      if (dynamic) {
        const reservation = {
          type: 'DYNAMIC',
          role,
          ...(dynamic.principal !== undefined && { principal: dynamic.principal }),
        };
        for (const resource of resourcesFullJson(dynamic.resources, role))
          full.push({
            ...resource,
            reservation: { principal: dynamic.principal },
            reservations: [reservation],
          });
      }
      return [role, full];
    }),
  );
}

function minScalars(a: ClusterResources, b: ClusterResources): ClusterResources {
  return {
    cpus: Math.min(a.cpus, b.cpus),
    gpus: Math.min(a.gpus, b.gpus),
    mem: Math.min(a.mem, b.mem),
    disk: Math.min(a.disk, b.disk),
    ports: [],
  };
}

/**
 * How the agent's allocation splits into reserved and unreserved parts: a role's tasks use its reservation
 * first (the allocator offers reserved resources to that role), and the rest comes out of the unreserved pool.
 */
export function allocationSplit(
  core: ClusterCore,
  agent: LocalAgent,
): { reserved: Map<string, ClusterResources>; unreserved: ClusterResources } {
  const byRole = new Map<string, ClusterResources>();
  for (const task of core.liveTasks(agent.id)) {
    byRole.set(task.role, sumResources([byRole.get(task.role) ?? emptyResources(), task.resources]));
  }
  const reserved = new Map<string, ClusterResources>();
  let unreserved = emptyResources();
  for (const [role, allocated] of byRole) {
    const fromReservation = minScalars(allocated, agent.reserved.get(role) ?? emptyResources());
    if (agent.reserved.has(role)) reserved.set(role, fromReservation);
    unreserved = sumResources([unreserved, subtractResources(allocated, fromReservation)]);
  }
  for (const role of agent.reserved.keys()) if (!reserved.has(role)) reserved.set(role, emptyResources());
  return { reserved, unreserved };
}

/** Σ over agents of each role's reservation (`/master/roles` `reserved`). */
export function reservedByRole(agents: readonly LocalAgent[]): Map<string, ClusterResources> {
  const out = new Map<string, ClusterResources>();
  for (const agent of agents) {
    for (const [role, r] of agent.reserved)
      out.set(role, sumResources([out.get(role) ?? emptyResources(), r]));
  }
  return out;
}
