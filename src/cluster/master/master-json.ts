/**
 * The master's v0 JSON (`/master/state`, `/master/frameworks`, `/master/state-summary`, `/master/slaves`,
 * `/master/roles`, `/metrics/snapshot`, `/master/quota`, `/master/weights`), one renderer for every master
 * model: the local cluster's and the simulated scale clusters'. Everything is O(agents + tasks + offers), never
 * O(agents × tasks); the big documents are written as pieces, so that a massive state (over 100 MB) never has to
 * be one string, and each task's JSON is rendered once per status update and reused by every request after.
 */
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import type { MasterModel, ModelAgent } from './master-model';
import type { RoleView } from './master-fields';
import {
  countTaskState,
  masterStateHeader,
  roleJson,
  terminalTaskMetrics,
  zeroStateCounters,
} from './master-fields';
import { frameworkHeadJson, frameworkSummaryJson, slaveJson } from '../operator-api/master-writers';
import type { FrameworkUsage } from '../operator-api/master-writers';
import type { FrameworkRecord, OfferRecord, TaskRecord } from './model';
import { TERMINAL_STATES } from './model';
import {
  coalescePieces,
  listPieces,
  objectPieces,
  piecesList,
  textListPieces,
  valuePieces,
} from '../operator-api/json-pieces';
import type { Pieces } from '../operator-api/json-pieces';
import { addResources, emptyResources, normalizeRanges, subtractResources } from './resources';
import type { ClusterResources } from './resources';
import { executorInfoJson, offerJson, taskJsonText } from './task-json';
import { nowSecs } from './ids';
import { accumulateResources } from '../../mesos/resources';

export { masterFlags } from './master-fields';

/** Any master model, whatever its agents are. */
export type RenderedMaster = MasterModel<ModelAgent>;

/** `into += r`, in place (a sum over 100,000 tasks must not allocate per task); ports are merged by {@link settle}. */
function addInto(into: ClusterResources, r: ClusterResources): void {
  accumulateResources(into, r);
  for (const range of r.ports) into.ports.push(range);
}

function settle(r: ClusterResources): ClusterResources {
  if (r.ports.length > 1) r.ports = normalizeRanges(r.ports);
  return r;
}

/** Outstanding offers by framework id. */
function offersByFramework(master: RenderedMaster): Map<string, OfferRecord[]> {
  const out = new Map<string, OfferRecord[]>();
  for (const offer of master.offers.values()) {
    const list = out.get(offer.frameworkId);
    if (list) list.push(offer);
    else out.set(offer.frameworkId, [offer]);
  }
  return out;
}

function frameworkUsage(framework: FrameworkRecord, offers: readonly OfferRecord[]): FrameworkUsage {
  const used = emptyResources();
  for (const task of framework.tasks.values()) addInto(used, task.resources);
  const offered = emptyResources();
  for (const offer of offers) addInto(offered, offer.resources);
  return { used: settle(used), offered: settle(offered) };
}

/** `FullFrameworkWriter`: a framework in `/master/state` and `/master/frameworks`, as pieces. */
function frameworkPieces(framework: FrameworkRecord, offers: readonly OfferRecord[]): Pieces {
  const head = frameworkHeadJson(framework, frameworkUsage(framework, offers));
  return objectPieces([
    ...Object.entries(head).map(([key, value]) => [key, valuePieces(value)] as const),
    ['tasks', textListPieces(framework.tasks.values(), taskJsonText)],
    ['unreachable_tasks', textListPieces(framework.unreachableTasks, taskJsonText)],
    ['completed_tasks', textListPieces(framework.completedTasks, taskJsonText)],
    ['offers', listPieces(offers, offerJson)],
    // Only executors the framework named are listed here; command executors are implicit.
    [
      'executors',
      listPieces(framework.executors?.values() ?? [], (e) => executorInfoJson(e.info, e.agentId)),
    ],
  ]);
}

/** `GET /master/state`, as pieces (`leaderInfo: false`: as a Mesos 0.2x master wrote it, without `leader_info`). */
export function masterStatePieces(master: RenderedMaster, options: { leaderInfo?: boolean } = {}): Pieces {
  const offers = offersByFramework(master);
  const views = master.agentViews();
  const activated = views.filter((view) => !view.agent.deactivated).length;
  const agents = {
    activated,
    deactivated: views.length - activated,
    unreachable: master.unreachableAgents.length,
  };
  const header = Object.entries(masterStateHeader(master, agents, master.flags())).filter(
    ([key]) => key !== 'leader_info' || options.leaderInfo !== false,
  );
  return coalescePieces(
    objectPieces([
      ...header.map(([key, value]) => [key, valuePieces(value)] as const),
      ['slaves', listPieces(views, slaveJson)],
      ['recovered_slaves', valuePieces([])],
      [
        'frameworks',
        piecesList(master.frameworks.values(), (f) => frameworkPieces(f, offers.get(f.id) ?? [])),
      ],
      ['completed_frameworks', piecesList(master.completedFrameworks, (f) => frameworkPieces(f, []))],
      ['orphan_tasks', valuePieces([])],
      ['unregistered_frameworks', valuePieces([])],
    ]),
  );
}

/** `GET /master/frameworks?framework_id=`, as pieces. */
export function frameworksPieces(master: RenderedMaster, frameworkId: string | null): Pieces {
  const offers = offersByFramework(master);
  const keep = (f: FrameworkRecord) => frameworkId === null || f.id === frameworkId;
  return coalescePieces(
    objectPieces([
      [
        'frameworks',
        piecesList([...master.frameworks.values()].filter(keep), (f) =>
          frameworkPieces(f, offers.get(f.id) ?? []),
        ),
      ],
      [
        'completed_frameworks',
        piecesList(master.completedFrameworks.filter(keep), (f) => frameworkPieces(f, [])),
      ],
      ['unregistered_frameworks', valuePieces([])],
    ]),
  );
}

/** `GET /master/state-summary`: agents and frameworks with per-state task counts, no task lists. */
export function stateSummaryJson(master: RenderedMaster): Record<string, unknown> {
  const byAgent = new Map<string, { counts: Record<string, number>; frameworks: Set<string> }>();
  const byFramework = new Map<string, { counts: Record<string, number>; agents: Set<string> }>();
  for (const framework of master.frameworks.values()) {
    const entry = { counts: zeroStateCounters(), agents: new Set<string>() };
    byFramework.set(framework.id, entry);
    const count = (task: TaskRecord, live: boolean) => {
      countTaskState(entry.counts, task);
      let agent = byAgent.get(task.agentId);
      if (!agent) byAgent.set(task.agentId, (agent = { counts: zeroStateCounters(), frameworks: new Set() }));
      countTaskState(agent.counts, task);
      if (live) entry.agents.add(task.agentId);
      if (!TERMINAL_STATES.has(task.state)) agent.frameworks.add(task.frameworkId);
    };
    for (const task of framework.tasks.values()) count(task, true);
    for (const task of framework.unreachableTasks) count(task, false);
    for (const task of framework.completedTasks) count(task, false);
  }
  const offers = offersByFramework(master);
  return {
    hostname: master.host,
    cluster: master.clusterName,
    slaves: master.agentViews().map((view) => {
      const entry = byAgent.get(view.agent.id);
      return {
        ...slaveJson(view),
        ...(entry?.counts ?? zeroStateCounters()),
        framework_ids: [...(entry?.frameworks ?? [])],
      };
    }),
    frameworks: [...master.frameworks.values()].map((framework) => {
      const entry = byFramework.get(framework.id);
      return {
        ...frameworkSummaryJson(framework, frameworkUsage(framework, offers.get(framework.id) ?? [])),
        ...(entry?.counts ?? zeroStateCounters()),
        slave_ids: [...(entry?.agents ?? [])],
      };
    }),
  };
}

/** Every role the master knows, as `/master/roles` and GET_ROLES show them. */
export function roleViews(master: RenderedMaster): RoleView[] {
  const { reserved, allocated: reservedAllocated } = master.roleReservations();
  const roles = new Map<
    string,
    { allocated: ClusterResources; offered: ClusterResources; frameworks: string[] }
  >();
  const role = (name: string) => {
    let entry = roles.get(name);
    if (!entry)
      roles.set(name, (entry = { allocated: emptyResources(), offered: emptyResources(), frameworks: [] }));
    return entry;
  };
  for (const name of [...master.quotas.keys(), ...master.weights.keys(), ...reserved.keys()]) role(name);
  for (const framework of master.frameworks.values()) {
    for (const name of framework.roles) role(name).frameworks.push(framework.id);
    for (const task of framework.tasks.values()) addInto(role(task.role).allocated, task.resources);
  }
  for (const offer of master.offers.values()) addInto(role(offer.role).offered, offer.resources);
  return [...roles]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, entry]) => {
      const allocated = settle(entry.allocated);
      const quota = master.quotas.get(name);
      const roleReserved = reserved.get(name) ?? emptyResources();
      return {
        name,
        weight: master.weights.get(name) ?? 1.0,
        guarantee: quota?.guarantee ?? {},
        limit: quota?.limit ?? {},
        consumed: addResources(
          roleReserved,
          subtractResources(allocated, reservedAllocated.get(name) ?? emptyResources()),
        ),
        allocated,
        offered: settle(entry.offered),
        reserved: roleReserved,
        frameworks: entry.frameworks,
      };
    });
}

/** `GET /master/roles`. */
export function rolesJson(master: RenderedMaster): Record<string, unknown> {
  return { roles: roleViews(master).map(roleJson) };
}

function usageMetrics(
  prefix: string,
  total: ClusterResources,
  used: ClusterResources,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of ['cpus', 'gpus', 'mem', 'disk'] as const) {
    out[`${prefix}/${key}_total`] = total[key];
    out[`${prefix}/${key}_used`] = used[key];
    out[`${prefix}/${key}_percent`] = total[key] > 0 ? used[key] / total[key] : 0;
    out[`${prefix}/${key}_revocable_total`] = 0;
    out[`${prefix}/${key}_revocable_used`] = 0;
    out[`${prefix}/${key}_revocable_percent`] = 0;
  }
  return out;
}

/** `system/*` keys, shared by master and agent snapshots. */
export function systemMetrics(): Record<string, number> {
  const [l1 = 0, l5 = 0, l15 = 0] = loadavg();
  return {
    'system/cpus_total': cpus().length,
    'system/load_1min': l1,
    'system/load_5min': l5,
    'system/load_15min': l15,
    'system/mem_total_bytes': totalmem(),
    'system/mem_free_bytes': freemem(),
  };
}

/** Master `GET /metrics/snapshot`: O(agents) plus what the model counts (live tasks by state). */
export function masterMetricsJson(master: RenderedMaster): Record<string, number> {
  const total = emptyResources();
  const used = emptyResources();
  let active = 0;
  for (const agent of master.agents) {
    addInto(total, agent.resources);
    addInto(used, master.usedOn(agent.id));
    if (!agent.deactivated) active++;
  }
  const live = master.liveTaskCounts();
  const liveCount = (state: string) => live.get(state) ?? 0;
  const frameworks = master.frameworks.size;
  // A scheduler that lost its connection is disconnected and inactive until it re-subscribes.
  let activeFrameworks = 0;
  let unreachableTasks = 0;
  for (const framework of master.frameworks.values()) {
    if (framework.active) activeFrameworks++;
    for (const task of framework.unreachableTasks) if (task.state === 'TASK_UNREACHABLE') unreachableTasks++;
  }
  return {
    ...usageMetrics('master', total, used),
    'master/elected': 1,
    'master/uptime_secs': nowSecs() - master.startTime,
    'master/slaves_active': active,
    'master/slaves_connected': master.agents.length,
    'master/slaves_disconnected': 0,
    'master/slaves_inactive': master.agents.length - active,
    'master/slaves_unreachable': master.unreachableAgents.length,
    'master/frameworks_active': activeFrameworks,
    'master/frameworks_connected': activeFrameworks,
    'master/frameworks_disconnected': frameworks - activeFrameworks,
    'master/frameworks_inactive': frameworks - activeFrameworks,
    'master/tasks_staging': liveCount('TASK_STAGING'),
    'master/tasks_starting': liveCount('TASK_STARTING'),
    'master/tasks_running': liveCount('TASK_RUNNING'),
    'master/tasks_killing': liveCount('TASK_KILLING'),
    'master/tasks_unreachable': unreachableTasks,
    ...terminalTaskMetrics(master.counters.terminalTasks),
    'master/outstanding_offers': master.offers.size,
    'master/slave_registrations': master.counters.agentRegistrations,
    'master/slave_reregistrations': 0,
    'master/slave_removals': master.counters.agentRemovals,
    'master/recovery_slave_removals': 0,
    'master/valid_status_updates': master.counters.validStatusUpdates,
    'master/invalid_status_updates': 0,
    'master/messages_launch_tasks': master.counters.launchTasks,
    'master/messages_kill_task': master.counters.killTasks,
    'master/messages_register_framework': master.counters.frameworkRegistrations,
    'master/messages_decline_offers': master.counters.offersDeclined,
    'master/dropped_messages': 0,
    'master/event_queue_messages': 0,
    'master/event_queue_dispatches': 0,
    'master/event_queue_http_requests': 0,
    'master/operator_event_stream_subscribers': master.subscriberCount(),
    'master/http_cache_hits': 0,
    'allocator/mesos/event_queue_dispatches': 0,
    'registrar/log/recovered': 1,
    ...systemMetrics(),
  };
}

/** `GET /master/quota`: `infos` (protobuf guarantees, pre-1.9 readers) and `configs` (1.9+ guarantees/limits). */
export function quotaJson(master: RenderedMaster): Record<string, unknown> {
  const quotas = [...master.quotas].sort(([a], [b]) => a.localeCompare(b));
  return {
    infos: quotas.map(([role, quota]) => ({
      role,
      guarantee: Object.entries(quota.guarantee ?? {}).map(([name, value]) => ({
        name,
        type: 'SCALAR',
        scalar: { value },
        role: '*',
      })),
    })),
    configs: quotas.map(([role, quota]) => ({
      role,
      guarantees: quota.guarantee ?? {},
      limits: quota.limit ?? {},
    })),
  };
}

/** `GET /master/weights`: `[{role, weight}]` for every role given a weight. */
export function weightsJson(master: RenderedMaster): { role: string; weight: number }[] {
  return [...master.weights]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([role, weight]) => ({ role, weight }));
}
