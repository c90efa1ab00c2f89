import type { Agent } from '../../mesos';
import { agentStateLabel, toResources, ZERO_RESOURCES } from '../../mesos';
import type { ClusterSnapshot } from '../model/cluster-snapshot';
import { departedAgentsOf } from '../model/cluster-snapshot';
import type { DepartedAgent } from '../model/departed-agents';
import type { AgentSortKey } from '../schemas/sort-keys';
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

/** The share of an agent's resource that is allocated (0..1), or null when the agent has none of it. */
function share(row: AgentRow, kind: keyof AgentRow['total']): number | null {
  const total = row.total[kind];
  return total > 0 ? row.allocated[kind] / total : null;
}

export interface AgentsQuery extends ListQuery {
  /** Agent states, any of which matches, case-insensitive (`active`, `deactivated,draining,drained`). */
  state?: string | undefined;
}

/**
 * One page of the agents, filtered and sorted by the column ids of the Agents table: hostnames sort
 * naturally, resources by the share allocated. With it, the states of all agents (for the State filter) and
 * whether any agent has GPUs (a table without them has no GPU column).
 */
export function agentsPageView(snapshot: ClusterSnapshot, query: AgentsQuery): AgentsPage {
  const all = allAgentRows(snapshot);
  const wanted = query.state
    ? new Set(
        query.state
          .split(',')
          .map((state) => state.trim().toLowerCase())
          .filter(Boolean),
      )
    : null;
  const page = listPage(
    all,
    query,
    {
      text: (row) => [row.id, row.hostname, row.state, row.version ?? ''].join('\n'),
      sortBy: {
        id: (row) => row.id,
        host: (row) => row.hostname,
        state: (row) => row.state,
        cpus: (row) => share(row, 'cpus'),
        gpus: (row) => share(row, 'gpus'),
        mem: (row) => share(row, 'mem'),
        disk: (row) => share(row, 'disk'),
        registeredTime: (row) => row.registeredTime,
        reregisteredTime: (row) => row.reregisteredTime,
      } satisfies Record<AgentSortKey, (row: AgentRow) => string | number | null>,
      id: (row) => row.id,
      keep: wanted && wanted.size > 0 ? (row) => wanted.has(row.state.toLowerCase()) : undefined,
    },
    snapshot.fetchedAt,
  );
  const states = new Map<string, number>();
  let gpus = false;
  for (const row of all) {
    states.set(row.state, (states.get(row.state) ?? 0) + 1);
    if (row.total.gpus > 0) gpus = true;
  }
  return {
    ...page,
    states: [...states]
      .map(([value, count]) => ({ value, label: value, count }))
      .sort((a, b) => a.label.localeCompare(b.label)),
    gpus,
  };
}
