/**
 * v1 operator API entities → the v0 JSON shapes of `/master/state` (src/master/http.cpp `json(Task)`,
 * `SlaveWriter`, `FullFrameworkWriter`, `json(Offer)`), so code written against v0 reads either source.
 */
import type { Agent, Framework, FrameworkExecutor, Offer, Task, TaskStatus } from '../master-state';
import {
  arr,
  bool,
  capabilityNames,
  idValue,
  isObject,
  labelList,
  num,
  obj,
  requireId,
  str,
  timeSeconds,
} from './json';
import { allocationRole, v1ReservationsToV0, v1ResourcesToV0 } from './resources';
import { roundScalar } from '../resources';
import { sharedValues } from './shared-values';
import { PackedStatuses } from '../packed-statuses';

/**
 * v1 `TaskStatus` → v0 status. Keeps `message`, `reason` and `source` too when present (v0 omits them). Of
 * `container_status` only the networks are kept (their addresses are a task's IPs); its cgroups, pid and
 * the status's `data` and `uuid` no view reads. Repeated values are shared (see {@link sharedValues}).
 */
export function v1StatusToV0(value: unknown): TaskStatus {
  const status = obj(value);
  // Built from `{}`, which V8 gives room for four properties in the object itself: a literal of two would put
  // the `source` nearly every status has in a separate property array (24 bytes more a status).
  const out = {} as TaskStatus;
  out.state = sharedValues.string(str(status['state']) ?? 'TASK_UNKNOWN');
  out.timestamp = num(status['timestamp']) ?? 0;
  const labels = labelList(status['labels']);
  if (labels) out.labels = sharedValues.json(labels);
  const networks = networksOf(status['container_status']);
  if (networks) out.container_status = networks;
  const healthy = bool(status['healthy']);
  if (healthy !== undefined) out.healthy = healthy;
  const message = str(status['message']);
  if (message !== undefined) out.message = sharedValues.string(message);
  const reason = str(status['reason']);
  if (reason !== undefined) out.reason = sharedValues.string(reason);
  const source = str(status['source']);
  if (source !== undefined) out.source = sharedValues.string(source);
  return out;
}

/** A `ContainerStatus` cut to its `network_infos`; none when it has none. */
function networksOf(value: unknown): TaskStatus['container_status'] {
  if (!isObject(value)) return undefined;
  const networks = value['network_infos'];
  if (!Array.isArray(networks) || networks.length === 0) return undefined;
  return sharedValues.json({ network_infos: networks });
}

/**
 * A task already converted while its snapshot was read (see `OperatorEventReader`): {@link v1TaskToV0} hands
 * it back as it is, so a `GET_STATE` may hold v1 tasks, these, or both.
 */
export class ReadTask {
  constructor(readonly task: Task) {}
}

/**
 * v1 `Task` → v0 task (`id`, `framework_id`, `slave_id`, `executor_id` as strings, `role` from resources).
 * What tasks repeat (ids of frameworks and agents, states, roles, users, resources, labels, container,
 * discovery, health check) is shared between them, and frozen.
 */
export function v1TaskToV0(value: unknown, path = 'task'): Task {
  if (value instanceof ReadTask) return value.task;
  const task = obj(value);
  const resources = task['resources'];
  const out: Task = {
    id: requireId(task['task_id'], `${path}.task_id`),
    name: str(task['name']) ?? '',
    framework_id: sharedValues.string(requireId(task['framework_id'], `${path}.framework_id`)),
    executor_id: idValue(task['executor_id']) ?? '',
    slave_id: sharedValues.string(requireId(task['agent_id'] ?? task['slave_id'], `${path}.agent_id`)),
    state: sharedValues.string(str(task['state']) ?? 'TASK_UNKNOWN'),
    resources: sharedValues.json(v1ResourcesToV0(resources)),
    statuses: PackedStatuses.of(arr(task['statuses']).map(v1StatusToV0)),
    // Named here even when absent (JSON leaves out what is undefined): fields added later would go to a
    // property array, one more object a task.
    role: sharedValues.string(allocationRole(resources)),
    user: sharedValues.string(str(task['user'])),
    labels: sharedValues.json(labelList(task['labels'])),
    discovery: sharedJsonObject(task['discovery']),
    container: sharedJsonObject(task['container']),
  };
  const healthCheck = sharedJsonObject(task['health_check']);
  if (healthCheck) out.health_check = healthCheck;
  const limits = obj(task['limits']);
  const limitEntries = Object.entries(limits);
  if (limitEntries.length > 0) {
    out.limits = Object.fromEntries(
      limitEntries.map(([name, limit]) => [name, num(obj(limit)['value']) ?? 'inf']),
    );
  }
  return out;
}

function sharedJsonObject(value: unknown): Record<string, unknown> | undefined {
  return isObject(value) ? sharedValues.json(value) : undefined;
}

/** v1 `Attribute[]` → v0 `{name: number | string}` (ranges and sets rendered as text, like Mesos). */
function attributesToV0(value: unknown): Record<string, number | string> {
  if (isObject(value)) {
    const out: Record<string, number | string> = {};
    for (const [key, v] of Object.entries(value))
      if (typeof v === 'number' || typeof v === 'string') out[key] = v;
    return out;
  }
  const out: Record<string, number | string> = {};
  for (const entry of arr(value)) {
    const attribute = obj(entry);
    const name = str(attribute['name']);
    if (!name) continue;
    switch (str(attribute['type'])) {
      case 'SCALAR':
        out[name] = num(obj(attribute['scalar'])['value']) ?? 0;
        break;
      case 'RANGES': {
        const ranges = v1ResourcesToV0([{ name, type: 'RANGES', ranges: attribute['ranges'] }])[name];
        if (typeof ranges === 'string') out[name] = ranges;
        break;
      }
      case 'SET':
        out[name] = `{${arr(obj(attribute['set'])['item']).join(', ')}}`;
        break;
      default:
        out[name] = str(obj(attribute['text'])['value']) ?? '';
    }
  }
  return out;
}

/** v1 `GetAgents.Agent` → v0 `slaves[]` entry. */
export function v1AgentToV0(value: unknown, path = 'agent'): Agent {
  const agent = obj(value);
  // Some writers flatten `agent_info` into the agent itself.
  const info = isObject(agent['agent_info']) ? agent['agent_info'] : agent;
  const total = agent['total_resources'] ?? info['resources'] ?? agent['resources'];
  const { reserved, unreserved } = v1ReservationsToV0(total);
  const out: Agent = {
    id: requireId(info['id'], `${path}.agent_info.id`),
    hostname: str(info['hostname']) ?? '',
    resources: v1ResourcesToV0(total),
    used_resources: v1ResourcesToV0(agent['allocated_resources'] ?? agent['used_resources']),
    offered_resources: v1ResourcesToV0(agent['offered_resources']),
    reserved_resources: reserved,
    unreserved_resources: unreserved,
    attributes: attributesToV0(info['attributes']),
    active: bool(agent['active']) ?? true,
    deactivated: bool(agent['deactivated']) ?? false,
  };
  const port = num(info['port']);
  if (port !== undefined) out.port = port;
  const pid = str(agent['pid']);
  if (pid !== undefined) out.pid = pid;
  const registered = timeSeconds(agent['registered_time']);
  if (registered !== undefined) out.registered_time = registered;
  const reregistered = timeSeconds(agent['reregistered_time']);
  if (reregistered !== undefined) out.reregistered_time = reregistered;
  const version = str(agent['version']);
  if (version !== undefined) out.version = version;
  out.capabilities = capabilityNames(agent['capabilities']);
  if (isObject(info['domain'])) out.domain = info['domain'];
  if (isObject(agent['drain_info'])) {
    const drain = agent['drain_info'];
    const config = obj(drain['config']);
    out.drain_info = {
      state: str(drain['state']) ?? 'DRAINING',
      config: {
        ...(isObject(config['max_grace_period'])
          ? { max_grace_period: { nanoseconds: num(config['max_grace_period']['nanoseconds']) ?? 0 } }
          : {}),
        ...(bool(config['mark_gone']) !== undefined ? { mark_gone: bool(config['mark_gone']) } : {}),
      },
    };
  }
  const drainStart = timeSeconds(agent['estimated_drain_start_time']);
  if (drainStart !== undefined) out.estimated_drain_start_time_seconds = Math.floor(drainStart);
  return out;
}

/** v1 `Offer` → v0 offer. */
export function v1OfferToV0(value: unknown, path = 'offer'): Offer {
  const offer = obj(value);
  const out: Offer = {
    id: requireId(offer['id'], `${path}.id`),
    framework_id: requireId(offer['framework_id'], `${path}.framework_id`),
    slave_id: requireId(offer['agent_id'] ?? offer['slave_id'], `${path}.agent_id`),
    resources: v1ResourcesToV0(offer['resources']),
  };
  const role = str(obj(offer['allocation_info'])['role']);
  if (role !== undefined) out.allocation_info = { role };
  return out;
}

function addScalars(a: Record<string, unknown>, b: Record<string, unknown>): Framework['resources'] {
  const out: Record<string, unknown> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const left = out[key];
    if (typeof value === 'number' && typeof left === 'number') out[key] = roundScalar(left + value);
    else if (left === undefined) out[key] = value;
  }
  return out as Framework['resources'];
}

/**
 * v1 `GetFrameworks.Framework` → v0 framework, without tasks (they are listed separately in v1; see
 * `v1StateToV0`). `used_resources` is v1 `allocated_resources`, `resources` is used + offered.
 */
export function v1FrameworkToV0(value: unknown, path = 'framework'): Framework {
  const framework = obj(value);
  // Some writers put FrameworkInfo fields next to `framework_info` rather than inside it.
  const info = obj(framework['framework_info']);
  const field = (key: string): unknown => info[key] ?? framework[key];
  const capabilities = capabilityNames(field('capabilities'));
  const used = v1ResourcesToV0(framework['allocated_resources'] ?? framework['used_resources']);
  const offered = v1ResourcesToV0(framework['offered_resources']);
  const out: Framework = {
    id: requireId(field('id'), `${path}.framework_info.id`),
    name: str(field('name')) ?? '',
    tasks: [],
    unreachable_tasks: [],
    completed_tasks: [],
    offers: arr(framework['offers']).map((offer, i) => v1OfferToV0(offer, `${path}.offers[${i}]`)),
    executors: [],
    used_resources: used,
    offered_resources: offered,
    resources: addScalars(used, offered),
    capabilities,
    active: bool(framework['active']) ?? true,
    connected: bool(framework['connected']) ?? true,
    recovered: bool(framework['recovered']) ?? false,
  };
  for (const key of ['hostname', 'user', 'principal', 'webui_url', 'pid'] as const) {
    const text = str(field(key));
    if (text !== undefined) out[key] = text;
  }
  out.webui_url ??= '';
  const checkpoint = bool(field('checkpoint'));
  if (checkpoint !== undefined) out.checkpoint = checkpoint;
  const failover = num(field('failover_timeout'));
  if (failover !== undefined) out.failover_timeout = failover;
  const roles = field('roles');
  if (Array.isArray(roles) || capabilities.includes('MULTI_ROLE')) {
    out.roles = arr(roles).filter((role): role is string => typeof role === 'string');
  } else {
    out.role = str(field('role')) ?? '*';
  }
  const registered = timeSeconds(framework['registered_time']);
  out.registered_time = registered ?? 0;
  const reregistered = timeSeconds(framework['reregistered_time']);
  if (reregistered !== undefined && reregistered !== registered) out.reregistered_time = reregistered;
  out.unregistered_time = timeSeconds(framework['unregistered_time']) ?? 0;
  const labels = labelList(field('labels'));
  if (labels) out.labels = labels;
  return out;
}

/** v1 `GetExecutors.Executor` → v0 `framework.executors[]` entry (ExecutorInfo plus `slave_id`). */
export function v1ExecutorToV0(value: unknown, path = 'executor'): FrameworkExecutor {
  const executor = obj(value);
  const info = obj(executor['executor_info']);
  const out: FrameworkExecutor = {
    executor_id: requireId(info['executor_id'], `${path}.executor_info.executor_id`),
    resources: v1ResourcesToV0(info['resources']),
  };
  const frameworkId = idValue(info['framework_id']);
  if (frameworkId !== undefined) out.framework_id = frameworkId;
  const agentId = idValue(executor['agent_id']);
  if (agentId !== undefined) out.slave_id = agentId;
  const name = str(info['name']);
  if (name !== undefined) out.name = name;
  const type = str(info['type']);
  if (type !== undefined) out.type = type;
  const role = allocationRole(info['resources']);
  if (role !== undefined) out.role = role;
  if (isObject(info['command'])) out.command = info['command'];
  const labels = labelList(info['labels']);
  if (labels) out.labels = labels;
  return out;
}
