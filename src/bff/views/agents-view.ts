import type { Agent } from '../../mesos';
import { agentStateLabel, toResources, ZERO_RESOURCES } from '../../mesos';
import type { ClusterSnapshot } from '../model/cluster-snapshot';
import { departedAgentsOf } from '../model/cluster-snapshot';
import type { DepartedAgent } from '../model/departed-agents';
import type { AgentRow, AgentsPage, AgentsView, DepartedAgentState } from '../schemas/views';
import type { ListQuery } from './list-page';
import { listPage } from './list-page';

/** Rows of an agent object: agent objects a snapshot shares with the one before keep their row. */
const rows = new WeakMap<Agent, AgentRow>();

export function agentsView(snapshot: ClusterSnapshot): AgentsView {
  return { snapshotAt: snapshot.fetchedAt, agents: allAgentRows(snapshot) };
}

/** The agents the master lists, then those it no longer lists (unreachable, gone, removed). */
function allAgentRows(snapshot: ClusterSnapshot): AgentRow[] {
  const departed = departedAgentsOf(snapshot);
  const listed = snapshot.state.slaves.map(agentRow);
  return departed.length === 0 ? listed : [...listed, ...departed.map(departedRow)];
}

export const DEPARTED_STATE: Record<DepartedAgent['state'], DepartedAgentState> = {
  unreachable: 'Unreachable',
  gone: 'Gone',
  removed: 'Removed',
};

const departedRows = new WeakMap<DepartedAgent, AgentRow>();

function departedRow(agent: DepartedAgent): AgentRow {
  let row = departedRows.get(agent);
  if (!row) {
    row = {
      id: agent.id,
      hostname: agent.hostname ?? '',
      port: agent.port,
      state: DEPARTED_STATE[agent.state],
      departedTime: agent.since,
      allocated: { ...ZERO_RESOURCES },
      total: agent.total ?? { ...ZERO_RESOURCES },
      registeredTime: null,
      reregisteredTime: null,
      version: agent.version,
    };
    departedRows.set(agent, row);
  }
  return row;
}

function agentRow(agent: Agent): AgentRow {
  let row = rows.get(agent);
  if (!row) {
    row = {
      id: agent.id,
      hostname: agent.hostname,
      port: agent.port ?? null,
      state: agentStateLabel(agent),
      departedTime: null,
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
    allAgentRows(snapshot),
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
