import { agentStateLabel, toResources } from '../../mesos';
import type { ClusterSnapshot } from '../model/cluster-snapshot';
import type { AgentsView } from '../schemas/views';

export function agentsView(snapshot: ClusterSnapshot): AgentsView {
  return {
    snapshotAt: snapshot.fetchedAt,
    agents: snapshot.state.slaves.map((agent) => ({
      id: agent.id,
      hostname: agent.hostname,
      port: agent.port ?? null,
      state: agentStateLabel(agent),
      allocated: toResources(agent.used_resources),
      total: toResources(agent.resources),
      registeredTime: agent.registered_time ?? null,
      reregisteredTime: agent.reregistered_time ?? null,
      version: agent.version ?? null,
    })),
  };
}
