/**
 * v1 `GET_STATE` (also the `get_state` inside `SUBSCRIBED`) plus `GET_MASTER`, `GET_VERSION` and `GET_FLAGS`
 * → one v0-shaped master state, as `/master/state` would have said.
 */
import type { Framework, MasterState, Task } from '../master-state';
import { MesosParseError } from '../parse';
import { v1AgentToV0, v1ExecutorToV0, v1FrameworkToV0, v1TaskToV0 } from './entities';
import type { JsonObject } from './json';
import { arr, capabilityNames, isObject, num, obj, requireId, str } from './json';

/** The master-level fields of a v0 state that the v1 `GET_STATE` does not carry. */
export type MasterHeader = Pick<MasterState, 'version' | 'id' | 'pid' | 'hostname'> &
  Partial<
    Pick<
      MasterState,
      | 'git_sha'
      | 'git_branch'
      | 'git_tag'
      | 'build_date'
      | 'build_time'
      | 'build_user'
      | 'start_time'
      | 'elected_time'
      | 'leader'
      | 'leader_info'
      | 'capabilities'
      | 'domain'
      | 'cluster'
      | 'log_dir'
      | 'external_log_file'
      | 'flags'
      | 'unreachable_slaves'
    >
  >;

/** Returns `response[key]` for a whole v1 response (`{type, get_x: {...}}`), or the value itself. */
export function unwrapV1(response: unknown, key: string): JsonObject {
  const record = obj(response);
  return isObject(record[key]) ? record[key] : record;
}

/**
 * Builds the master header from `GET_MASTER`, `GET_VERSION` and `GET_FLAGS` (whole responses or their inner
 * objects). The master that answers the operator API is the leader (a standby redirects), so it names itself
 * in `leader_info`.
 */
export function v1MasterHeaderToV0(input: {
  getMaster: unknown;
  getVersion?: unknown;
  getFlags?: unknown;
}): MasterHeader {
  const master = unwrapV1(input.getMaster, 'get_master');
  const info = obj(master['master_info']);
  const id = str(info['id']);
  if (!id)
    throw new MesosParseError(
      'Invalid GET_MASTER at master_info.id: expected a string',
      'master_info.id',
      [],
    );
  const version = obj(unwrapV1(input.getVersion, 'get_version')['version_info']);
  const address = obj(info['address']);
  const hostname = str(info['hostname']) ?? str(address['hostname']) ?? str(address['ip']) ?? '';
  const port = num(info['port']) ?? num(address['port']) ?? 5050;
  const pid = str(info['pid']) ?? `master@${str(address['ip']) ?? hostname}:${port}`;
  const header: MasterHeader = {
    version: str(version['version']) ?? str(info['version']) ?? '',
    id,
    pid,
    hostname,
    leader: pid,
    leader_info: { id, pid, port, hostname },
    capabilities: capabilityNames(info['capabilities']),
  };
  const domain = info['domain'];
  if (isObject(domain)) {
    header.domain = domain;
    header.leader_info = { id, pid, port, hostname, domain };
  }
  for (const key of ['git_sha', 'git_branch', 'git_tag', 'build_date', 'build_user'] as const) {
    const text = str(version[key]);
    if (text !== undefined) header[key] = text;
  }
  const buildTime = num(version['build_time']);
  if (buildTime !== undefined) header.build_time = buildTime;
  const startTime = num(master['start_time']);
  if (startTime !== undefined) header.start_time = startTime;
  const electedTime = num(master['elected_time']);
  if (electedTime !== undefined) header.elected_time = electedTime;

  const flagList = arr(unwrapV1(input.getFlags, 'get_flags')['flags']);
  if (flagList.length > 0) {
    const flags: Record<string, string> = {};
    for (const entry of flagList) {
      const name = str(obj(entry)['name']);
      const value = obj(entry)['value'];
      if (name !== undefined) flags[name] = value === undefined ? '' : String(value);
    }
    header.flags = flags;
    if (flags['cluster']) header.cluster = flags['cluster'];
    if (flags['log_dir']) header.log_dir = flags['log_dir'];
    if (flags['external_log_file']) header.external_log_file = flags['external_log_file'];
  }
  return header;
}

/**
 * v1 `GET_STATE` → v0 master state. Tasks, which v1 lists on their own, are put under their frameworks:
 * `tasks` and `unreachable_tasks` of registered frameworks, `completed_tasks` of registered or completed
 * ones; tasks of a framework the master does not list become `orphan_tasks`, as in Mesos before 1.0.
 */
export function v1StateToV0(getState: unknown, header: MasterHeader): MasterState {
  const state = unwrapV1(unwrapV1(getState, 'subscribed'), 'get_state');
  const agentsPart = obj(state['get_agents']);
  const frameworksPart = obj(state['get_frameworks']);
  const tasksPart = obj(state['get_tasks']);

  const slaves = arr(agentsPart['agents']).map((agent, i) => v1AgentToV0(agent, `get_agents.agents[${i}]`));
  const recovered = arr(agentsPart['recovered_agents']).map((agent, i) => {
    const info = obj(agent);
    return {
      id: requireId(info['id'], `get_agents.recovered_agents[${i}].id`),
      hostname: str(info['hostname']) ?? '',
      port: num(info['port']) ?? 5051,
      attributes: {},
    };
  });
  const frameworks = arr(frameworksPart['frameworks']).map((f, i) =>
    v1FrameworkToV0(f, `get_frameworks.frameworks[${i}]`),
  );
  const completedFrameworks = arr(frameworksPart['completed_frameworks']).map((f, i) =>
    v1FrameworkToV0(f, `get_frameworks.completed_frameworks[${i}]`),
  );
  for (const framework of completedFrameworks) framework.active = false;

  const registered = new Map<string, Framework>(frameworks.map((f) => [f.id, f]));
  const completed = new Map<string, Framework>(completedFrameworks.map((f) => [f.id, f]));
  const orphans: Task[] = [];
  const place = (list: string, into: 'tasks' | 'unreachable_tasks' | 'completed_tasks') => {
    for (const [i, raw] of arr(tasksPart[list]).entries()) {
      const task = v1TaskToV0(raw, `get_tasks.${list}[${i}]`);
      const framework = registered.get(task.framework_id);
      if (framework) framework[into].push(task);
      else if (into === 'completed_tasks') completed.get(task.framework_id)?.completed_tasks.push(task);
      else if (completed.has(task.framework_id)) completed.get(task.framework_id)?.completed_tasks.push(task);
      else orphans.push(task);
    }
  };
  place('tasks', 'tasks');
  place('unreachable_tasks', 'unreachable_tasks');
  place('completed_tasks', 'completed_tasks');
  // Deprecated since 1.0; kept for masters that still send it.
  for (const [i, raw] of arr(tasksPart['orphan_tasks']).entries()) {
    orphans.push(v1TaskToV0(raw, `get_tasks.orphan_tasks[${i}]`));
  }

  for (const [i, raw] of arr(obj(state['get_executors'])['executors']).entries()) {
    const executor = v1ExecutorToV0(raw, `get_executors.executors[${i}]`);
    const owner = executor.framework_id ? registered.get(executor.framework_id) : undefined;
    owner?.executors.push(executor);
  }

  const activated = slaves.filter((agent) => agent.active !== false && !agent.deactivated).length;
  return {
    ...header,
    activated_slaves: activated,
    deactivated_slaves: slaves.length - activated,
    unreachable_slaves: header.unreachable_slaves ?? 0,
    slaves,
    recovered_slaves: recovered,
    frameworks,
    completed_frameworks: completedFrameworks,
    orphan_tasks: orphans,
    unregistered_frameworks: [],
  };
}
