import type { Agent } from '../../mesos';
import { agentStateLabel, toResources } from '../../mesos';
import type { ClusterSnapshot } from '../model/cluster-snapshot';
import type { AgentRow, AgentsPage, AgentsView } from '../schemas/views';
import type { ListQuery } from './list-page';
import { listPage } from './list-page';

/** Rows of an agent object: agent objects a snapshot shares with the one before keep their row. */
const rows = new WeakMap<Agent, AgentRow>();

export function agentsView(snapshot: ClusterSnapshot): AgentsView {
  return { snapshotAt: snapshot.fetchedAt, agents: snapshot.state.slaves.map(agentRow) };
}

function agentRow(agent: Agent): AgentRow {
  let row = rows.get(agent);
  if (!row) {
    row = {
      id: agent.id,
      hostname: agent.hostname,
      port: agent.port ?? null,
      state: agentStateLabel(agent),
      allocated: toResources(agent.used_resources),
      total: toResources(agent.resources),
      registeredTime: agent.registered_time ?? null,
      reregisteredTime: agent.reregistered_time ?? null,
      version: agent.version ?? null,
    };
    rows.set(agent, row);
  }
  return row;
}

/** One page of the agents, filtered and sorted by the column ids of the Agents table. */
export function agentsPageView(snapshot: ClusterSnapshot, query: ListQuery): AgentsPage {
  return listPage(
    snapshot.state.slaves.map(agentRow),
    query,
    {
      text: (row) => [row.id, row.hostname, row.state, row.version ?? ''].join('\n'),
      sortBy: {
        id: (row) => row.id,
        host: (row) => row.hostname,
        state: (row) => row.state,
        cpus: (row) => row.allocated.cpus,
        gpus: (row) => row.allocated.gpus,
        mem: (row) => row.allocated.mem,
        disk: (row) => row.allocated.disk,
        registeredTime: (row) => row.registeredTime,
        reregisteredTime: (row) => row.reregisteredTime,
      },
      id: (row) => row.id,
    },
    snapshot.fetchedAt,
  );
}
