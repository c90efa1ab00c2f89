import {
  agentStateLabel,
  clusterResources,
  masterLogAvailable,
  parsePid,
  taskCountsFromMetrics,
  taskCountsFromStates,
} from '../../mesos';
import type { ClusterSnapshot } from '../model/cluster-snapshot';
import { taskIndex } from '../model/task-index';
import type { MasterInfoView, OverviewView } from '../schemas/views';

export function overviewView(snapshot: ClusterSnapshot): OverviewView {
  const { state, metrics } = snapshot;
  const index = taskIndex(snapshot);
  const unreachableTasks = index.facets.groups.get('unreachable') ?? 0;
  const tasks = metrics
    ? taskCountsFromMetrics(metrics, 'master', unreachableTasks)
    : { ...taskCountsFromStates(index.activeStates), unreachable: unreachableTasks };

  const activeAgents = state.slaves.filter((agent) => agentStateLabel(agent) === 'Active').length;
  return {
    snapshotAt: snapshot.fetchedAt,
    master: masterInfoView(snapshot),
    agents: {
      activated: state.activated_slaves ?? activeAgents,
      deactivated: state.deactivated_slaves ?? state.slaves.length - activeAgents,
      unreachable: state.unreachable_slaves ?? 0,
    },
    tasks,
    resources: clusterResources(state),
    frameworks: {
      active: state.frameworks.filter((f) => f.active !== false).length,
      inactive: state.frameworks.filter((f) => f.active === false).length,
      completed: state.completed_frameworks.length,
    },
  };
}

export function masterInfoView(snapshot: ClusterSnapshot): MasterInfoView {
  const { state } = snapshot;
  return {
    id: state.id,
    hostname: state.hostname ?? '',
    pid: state.pid ?? '',
    version: state.version ?? '',
    buildDate: state.build_date ?? null,
    buildTime: state.build_time ?? null,
    buildUser: state.build_user ?? null,
    startTime: state.start_time ?? null,
    electedTime: state.elected_time ?? null,
    cluster: state.cluster ?? null,
    leader: leaderOf(state),
    logAvailable: masterLogAvailable(state),
  };
}

function leaderOf(state: ClusterSnapshot['state']): MasterInfoView['leader'] {
  if (state.leader_info) {
    return {
      hostname: state.leader_info.hostname ?? '',
      port: state.leader_info.port ?? 0,
      pid: state.leader_info.pid ?? '',
    };
  }
  const pid = state.leader ? parsePid(state.leader) : null;
  return pid && state.leader ? { hostname: pid.ip, port: pid.port, pid: state.leader } : null;
}
