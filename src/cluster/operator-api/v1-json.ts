/**
 * The v1 operator API's JSON (protobuf rendered as JSON, as Mesos 1.11 writes it): `{value}` ids,
 * `{nanoseconds}` times, `Resource` arrays, and empty repeated fields left out.
 */
import { FNV_OFFSET_BASIS, fnv1a } from '../../mesos/hash';
import { ipv4ToMesosInt } from '../../mesos/zookeeper';
import type { FrameworkRecord, OfferRecord, TaskRecord, TaskStatusJson } from '../master/model';
import {
  addResources,
  emptyResources,
  normalizeRanges,
  subtractResources,
  sumResources,
} from '../master/resources';
import type { ClusterResources } from '../master/resources';
import { MASTER_CAPABILITIES as MASTER_CAPABILITY_NAMES } from '../master/master-fields';
import { AGENT_CAPABILITIES as AGENT_CAPABILITY_NAMES } from './master-writers';
import { MESOS_VERSION, versionJson } from '../version';
import type { OperatorAgent, OperatorMaster } from './operator-master';

type Json = Record<string, unknown>;

const SCALARS = ['cpus', 'gpus', 'mem', 'disk'] as const;

const AGENT_CAPABILITIES = AGENT_CAPABILITY_NAMES.map((type) => ({ type }));

/** `QUOTA_V2` is in the v0 `MasterInfo` of 1.11 only: its v1 enum has no such value. */
const MASTER_CAPABILITIES = MASTER_CAPABILITY_NAMES.filter((type) => type !== 'QUOTA_V2').map((type) => ({
  type,
}));

/** v0 names `SLAVE` what v1 names `AGENT` (`REASON_SLAVE_REMOVED` is v1 `REASON_AGENT_REMOVED`). */
export function v1EnumName(v0: string): string {
  return v0.replace(/SLAVE/g, 'AGENT');
}

export function id(value: string): { value: string } {
  return { value };
}

export function nanos(seconds: number): { nanoseconds: number } {
  return { nanoseconds: Math.round(seconds * 1e9) };
}

/** Protobuf JSON leaves empty repeated fields out; this sets `key` only when the list has entries. */
function setList(out: Json, key: string, list: readonly unknown[]): void {
  if (list.length > 0) out[key] = list;
}

/**
 * `Resource[]`. `role` names a static reservation (rendered with `reservations`, refinement format);
 * `allocatedTo` adds `allocation_info` (resources of tasks, offers and allocations).
 */
export function resourcesV1(
  r: ClusterResources,
  options: { role?: string; allocatedTo?: string; dynamic?: { principal: string | undefined } } = {},
): Json[] {
  const out: Json[] = [];
  const decorate = (resource: Json): Json => {
    if (options.role && options.role !== '*') {
      const principal = options.dynamic?.principal;
      resource.reservations = [
        options.dynamic
          ? { type: 'DYNAMIC', role: options.role, ...(principal !== undefined && { principal }) }
          : { type: 'STATIC', role: options.role },
      ];
    }
    if (options.allocatedTo !== undefined) resource.allocation_info = { role: options.allocatedTo };
    return resource;
  };
  for (const name of SCALARS) {
    if (r[name] > 0) out.push(decorate({ name, type: 'SCALAR', scalar: { value: r[name] } }));
  }
  if (r.ports.length > 0) {
    out.push(
      decorate({
        name: 'ports',
        type: 'RANGES',
        ranges: { range: normalizeRanges(r.ports).map(([begin, end]) => ({ begin, end })) },
      }),
    );
  }
  return out;
}

/** A 16-byte status UUID, derived from the status so the same update always renders the same bytes. */
function statusUuid(taskId: string, index: number, timestamp: number): string {
  const bytes = Buffer.alloc(16);
  const h1 = fnv1a(taskId, FNV_OFFSET_BASIS ^ index);
  const h2 = fnv1a(taskId, Math.floor(timestamp * 1000) >>> 0, 0x5bd1e995);
  bytes.writeUInt32BE(h1 >>> 0, 0);
  bytes.writeUInt32BE(h2 >>> 0, 4);
  bytes.writeUInt32BE(Math.imul(h1, 31) >>> 0, 8);
  bytes.writeUInt32BE(Math.imul(h2 ^ index, 17) >>> 0, 12);
  return bytes.toString('base64');
}

/** v1 `TaskStatus`. */
export function taskStatusV1(task: TaskRecord, status: TaskStatusJson, index: number): Json {
  const out: Json = { task_id: id(task.id), state: status.state };
  if (status.source) out.source = v1EnumName(status.source);
  if (status.reason) out.reason = v1EnumName(status.reason);
  if (status.message) out.message = status.message;
  out.agent_id = id(task.agentId);
  out.executor_id = id(task.executorId);
  out.timestamp = status.timestamp;
  out.uuid = statusUuid(task.id, index, status.timestamp);
  if (status.container_status) out.container_status = status.container_status;
  if ((status as { healthy?: boolean }).healthy !== undefined) {
    out.healthy = (status as { healthy?: boolean }).healthy;
  }
  return out;
}

/** v1 `Task`. Command tasks have no `executor_id` (their executor is implicit). */
export function taskV1(task: TaskRecord): Json {
  const out: Json = {
    name: task.name,
    task_id: id(task.id),
    framework_id: id(task.frameworkId),
  };
  if (task.executorType) out.executor_id = id(task.executorId);
  out.agent_id = id(task.agentId);
  out.state = task.state;
  setList(out, 'resources', resourcesV1(task.resources, { allocatedTo: task.role }));
  const statuses = task.statuses.map((status, i) => taskStatusV1(task, status, i));
  setList(out, 'statuses', statuses);
  const last = statuses[statuses.length - 1];
  if (last) {
    out.status_update_state = last.state;
    out.status_update_uuid = last.uuid;
  }
  out.user = task.user;
  const extras = task.extras?.json;
  if (extras?.labels) out.labels = { labels: extras.labels };
  if (extras?.container) out.container = extras.container;
  if (extras?.discovery) out.discovery = extras.discovery;
  if (extras?.health_check) out.health_check = extras.health_check;
  return out;
}

function attributesV1(attributes: Readonly<Record<string, string | number>>): Json[] {
  return Object.entries(attributes).map(([name, value]) =>
    typeof value === 'number'
      ? { name, type: 'SCALAR', scalar: { value } }
      : { name, type: 'TEXT', text: { value } },
  );
}

/** An agent's total resources, the reserved parts carrying their reservation. */
function agentTotalV1(agent: OperatorAgent): Json[] {
  const reserved = agent.reserved ?? new Map<string, ClusterResources>();
  const unreserved = subtractResources(agent.resources, sumResources(reserved.values()));
  return [
    ...resourcesV1(unreserved),
    ...[...reserved].flatMap(([role, resources]) => {
      const dynamic = agent.dynamicReservations?.get(role);
      if (!dynamic) return resourcesV1(resources, { role });
      return [
        ...resourcesV1(subtractResources(resources, dynamic.resources), { role }),
        ...resourcesV1(dynamic.resources, { role, dynamic }),
      ];
    }),
  ];
}

/** v1 `GetAgents.Agent`. */
export function agentV1(master: OperatorMaster, agent: OperatorAgent): Json {
  const total = agentTotalV1(agent);
  const info: Json = { hostname: agent.hostname, id: id(agent.id), port: agent.port };
  setList(info, 'resources', total);
  setList(info, 'attributes', attributesV1(agent.attributes));
  const out: Json = {
    agent_info: info,
    active: !agent.deactivated,
    deactivated: Boolean(agent.deactivated),
    version: MESOS_VERSION,
    pid: agent.pid,
    registered_time: nanos(agent.registeredTime),
  };
  setList(out, 'total_resources', total);
  setList(out, 'allocated_resources', resourcesV1(master.usedOn(agent.id), { allocatedTo: '*' }));
  setList(out, 'offered_resources', resourcesV1(master.offeredOn(agent.id), { allocatedTo: '*' }));
  out.capabilities = AGENT_CAPABILITIES;
  if (agent.drain) {
    const config: Json = { mark_gone: agent.drain.markGone };
    if (agent.drain.maxGracePeriodSecs !== undefined) {
      config.max_grace_period = nanos(agent.drain.maxGracePeriodSecs);
    }
    out.drain_info = { state: agent.drain.state, config };
    out.estimated_drain_start_time = nanos(agent.drain.startTime);
  }
  return out;
}

/** v1 `Offer`. */
export function offerV1(offer: OfferRecord, hostname: string): Json {
  return {
    id: id(offer.id),
    framework_id: id(offer.frameworkId),
    agent_id: id(offer.agentId),
    hostname,
    resources: resourcesV1(offer.resources, { allocatedTo: offer.role }),
    allocation_info: { role: offer.role },
  };
}

/** `FrameworkInfo`. */
export function frameworkInfoV1(framework: FrameworkRecord): Json {
  const info: Json = {
    user: framework.user,
    name: framework.name,
    id: id(framework.id),
    failover_timeout: framework.failoverTimeout,
    checkpoint: framework.checkpoint,
    hostname: framework.hostname,
  };
  if (framework.singleRole) info.role = framework.roles[0] ?? '*';
  else info.roles = framework.roles;
  if (framework.principal !== undefined) info.principal = framework.principal;
  if (framework.webuiUrl) info.webui_url = framework.webuiUrl;
  setList(
    info,
    'capabilities',
    framework.capabilities.map((type) => ({ type })),
  );
  return info;
}

/**
 * v1 `GetFrameworks.Framework`. `offersOf` lists the framework's outstanding offers (pass an index for big
 * clusters); `hostOf` names an agent's hostname.
 */
export function frameworkV1(
  framework: FrameworkRecord,
  offers: readonly OfferRecord[],
  hostOf: (agentId: string) => string,
  /** Events never carry offers or allocation (master.proto): leave them out. */
  forEvent = false,
): Json {
  const out: Json = {
    framework_info: frameworkInfoV1(framework),
    active: framework.active,
    connected: framework.active,
    recovered: false,
    registered_time: nanos(framework.registeredTime),
    reregistered_time: nanos(framework.registeredTime),
  };
  if (!framework.active && framework.unregisteredTime > 0) {
    out.unregistered_time = nanos(framework.unregisteredTime);
  }
  if (forEvent) return out;
  setList(
    out,
    'offers',
    offers.map((offer) => offerV1(offer, hostOf(offer.agentId))),
  );
  const role = framework.roles[0] ?? '*';
  const used = sumResources([...framework.tasks.values()].map((task) => task.resources));
  setList(out, 'allocated_resources', resourcesV1(used, { allocatedTo: role }));
  const offered = offers.reduce((sum, offer) => addResources(sum, offer.resources), emptyResources());
  setList(out, 'offered_resources', resourcesV1(offered, { allocatedTo: role }));
  return out;
}

/** Offers grouped by framework, and agents' hostnames: what framework rendering needs, built once per call. */
export function offerIndex(master: OperatorMaster): {
  offersOf: (frameworkId: string) => OfferRecord[];
  hostOf: (agentId: string) => string;
} {
  const byFramework = new Map<string, OfferRecord[]>();
  for (const offer of master.offers.values()) {
    const list = byFramework.get(offer.frameworkId);
    if (list) list.push(offer);
    else byFramework.set(offer.frameworkId, [offer]);
  }
  let hosts: Map<string, string> | undefined;
  return {
    offersOf: (frameworkId) => byFramework.get(frameworkId) ?? [],
    hostOf: (agentId) => {
      hosts ??= new Map([...master.agentList()].map((agent) => [agent.id, agent.hostname]));
      return hosts.get(agentId) ?? '';
    },
  };
}

export function getFrameworksV1(master: OperatorMaster): Json {
  const { offersOf, hostOf } = offerIndex(master);
  const out: Json = {};
  setList(
    out,
    'frameworks',
    [...master.frameworks.values()].map((f) => frameworkV1(f, offersOf(f.id), hostOf)),
  );
  setList(
    out,
    'completed_frameworks',
    master.completedFrameworks.map((f) => frameworkV1(f, [], hostOf)),
  );
  return out;
}

/** `GET_EXECUTORS`: the executors frameworks named, with their agent (command executors are implicit). */
export function getExecutorsV1(master: OperatorMaster): Json {
  const executors: Json[] = [];
  for (const framework of master.frameworks.values()) {
    for (const { agentId, info } of framework.executors?.values() ?? []) {
      executors.push({ executor_info: info, agent_id: id(agentId) });
    }
  }
  const out: Json = {};
  setList(out, 'executors', executors);
  return out;
}

export function getAgentsV1(master: OperatorMaster): Json {
  const out: Json = {};
  setList(
    out,
    'agents',
    [...master.agentList()].map((agent) => agentV1(master, agent)),
  );
  return out;
}

/** `GET_TASKS`: active tasks (incl. not yet acknowledged terminal ones), unreachable and completed tasks. */
export function getTasksV1(master: OperatorMaster): Json {
  const tasks: Json[] = [];
  const unreachable: Json[] = [];
  const completed: Json[] = [];
  for (const framework of master.frameworks.values()) {
    for (const task of framework.tasks.values()) tasks.push(taskV1(task));
    for (const task of framework.unreachableTasks) unreachable.push(taskV1(task));
    for (const task of framework.completedTasks) completed.push(taskV1(task));
  }
  for (const framework of master.completedFrameworks) {
    for (const task of framework.completedTasks) completed.push(taskV1(task));
  }
  const out: Json = {};
  setList(out, 'tasks', tasks);
  setList(out, 'unreachable_tasks', unreachable);
  setList(out, 'completed_tasks', completed);
  return out;
}

export function getMasterV1(master: OperatorMaster): Json {
  return {
    master_info: {
      id: master.masterId,
      ip: ipv4ToMesosInt(master.host),
      port: master.masterPort,
      pid: master.pid,
      hostname: master.host,
      version: MESOS_VERSION,
      address: { hostname: master.host, ip: master.host, port: master.masterPort },
      capabilities: MASTER_CAPABILITIES,
    },
    start_time: master.startTime,
    elected_time: master.electedTime,
  };
}

export function getVersionV1(): Json {
  return { version_info: versionJson() };
}

export function getFlagsV1(master: OperatorMaster): Json {
  return {
    flags: Object.entries(master.flags()).map(([name, value]) => ({ name, value })),
  };
}

export function getMetricsV1(master: OperatorMaster): Json {
  return {
    metrics: Object.entries(master.metrics()).map(([name, value]) => ({ name, value })),
  };
}

/** GET_ROLES's `resources`: allocated plus offered, cpus/mem/disk/gpus only, as plain scalars. */
function roleResourcesV1(r: ClusterResources): Json[] {
  return (['cpus', 'mem', 'disk', 'gpus'] as const)
    .filter((name) => r[name] > 0)
    .map((name) => ({ name, type: 'SCALAR', scalar: { value: r[name] } }));
}

/**
 * `GET_ROLES`: `name`, `weight`, `frameworks` and `resources` (allocated + offered) of every role the master
 * knows, the same roles and weights as `/master/roles` and `/master/weights`.
 */
export function getRolesV1(master: OperatorMaster): Json {
  const render = (
    name: string,
    weight: number,
    frameworks: readonly string[],
    resources: ClusterResources,
  ) => {
    const out: Json = { name, weight };
    setList(
      out,
      'frameworks',
      frameworks.map((frameworkId) => id(frameworkId)),
    );
    setList(out, 'resources', roleResourcesV1(resources));
    return out;
  };
  return {
    roles: master
      .roles()
      .map((role) =>
        render(role.name, role.weight, role.frameworks, addResources(role.allocated, role.offered)),
      ),
  };
}
