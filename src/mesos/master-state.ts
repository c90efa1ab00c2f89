import { z } from 'zod';
import { makeParser } from './parse';
import {
  AnyObjectSchema,
  AttributesSchema,
  LabelsSchema,
  NanosSchema,
  ResourcesObjectSchema,
  resourcesField,
} from './schema-utils';
import { parsePid } from './ids';

export { MesosParseError } from './parse';

const TaskStatusSchema = z.looseObject({
  state: z.string(),
  /** Seconds since the epoch (float). */
  timestamp: z.number(),
  healthy: z.boolean().optional(),
  message: z.string().optional(),
  reason: z.string().optional(),
  source: z.string().optional(),
  labels: LabelsSchema.optional(),
  container_status: AnyObjectSchema.optional(),
});
export type TaskStatus = z.output<typeof TaskStatusSchema>;

/** What a status says besides its time. */
export interface StatusFields {
  readonly state: string;
  readonly healthy?: boolean;
  readonly message?: string;
  readonly reason?: string;
  readonly source?: string;
  readonly labels?: TaskStatus['labels'];
  readonly container_status?: TaskStatus['container_status'];
}

/**
 * A task's statuses, oldest first: a plain array (as parsed) or, in the model, packed (`PackedStatuses`).
 * Read them through these members (or `statusFieldsAt` and `statusTimeAt`), not by index.
 */
export interface StatusList extends Iterable<TaskStatus> {
  readonly length: number;
  at(index: number): TaskStatus | undefined;
  map<U>(fn: (status: TaskStatus, index: number) => U): U[];
}

export const TaskSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  framework_id: z.string(),
  /** Empty for tasks run by the command executor (MESOS-527); see `executorIdOf`. */
  executor_id: z.string().default(''),
  slave_id: z.string(),
  state: z.string(),
  resources: resourcesField(),
  role: z.string().optional(),
  user: z.string().optional(),
  /** Mesos lists statuses oldest first. */
  statuses: z
    .array(TaskStatusSchema)
    .default([])
    .transform((list): StatusList => list),
  labels: LabelsSchema.optional(),
  discovery: AnyObjectSchema.optional(),
  container: AnyObjectSchema.optional(),
  health_check: AnyObjectSchema.optional(),
  /** Per-resource limits; a limit may be unbounded, which some writers render as a string. */
  limits: z.record(z.string(), z.union([z.number(), z.string()])).optional(),
});
export type Task = z.output<typeof TaskSchema>;

const OfferSchema = z.looseObject({
  id: z.string(),
  framework_id: z.string(),
  slave_id: z.string(),
  resources: resourcesField(),
  allocation_info: z.looseObject({ role: z.string().optional() }).optional(),
});
export type Offer = z.output<typeof OfferSchema>;

/** `ExecutorInfo` plus `slave_id`, as listed in a master framework's `executors`. */
const FrameworkExecutorSchema = z.looseObject({
  executor_id: z.string(),
  name: z.string().optional(),
  framework_id: z.string().optional(),
  slave_id: z.string().optional(),
  resources: resourcesField(),
  role: z.string().optional(),
  type: z.string().optional(),
  command: AnyObjectSchema.optional(),
  labels: LabelsSchema.optional(),
});
export type FrameworkExecutor = z.output<typeof FrameworkExecutorSchema>;

const FrameworkSchema = z.looseObject({
  id: z.string(),
  name: z.string().default(''),
  pid: z.string().optional(),
  hostname: z.string().optional(),
  user: z.string().optional(),
  principal: z.string().optional(),
  webui_url: z.string().optional(),
  active: z.boolean().optional(),
  connected: z.boolean().optional(),
  recovered: z.boolean().optional(),
  checkpoint: z.boolean().optional(),
  failover_timeout: z.number().optional(),
  capabilities: z.array(z.string()).optional(),
  /** Single role (pre MULTI_ROLE frameworks); see `frameworkRoles`. */
  role: z.string().optional(),
  roles: z.array(z.string()).optional(),
  registered_time: z.number().optional(),
  reregistered_time: z.number().optional(),
  unregistered_time: z.number().optional(),
  used_resources: ResourcesObjectSchema.optional(),
  offered_resources: ResourcesObjectSchema.optional(),
  /** used + offered; absent before Mesos 0.20-ish in some writers. */
  resources: ResourcesObjectSchema.optional(),
  tasks: z.array(TaskSchema).default([]),
  unreachable_tasks: z.array(TaskSchema).default([]),
  completed_tasks: z.array(TaskSchema).default([]),
  offers: z.array(OfferSchema).default([]),
  executors: z.array(FrameworkExecutorSchema).default([]),
  labels: LabelsSchema.optional(),
});
export type Framework = z.output<typeof FrameworkSchema>;

export const DrainInfoSchema = z.looseObject({
  state: z.string(),
  config: z
    .looseObject({
      max_grace_period: NanosSchema.optional(),
      mark_gone: z.boolean().optional(),
    })
    .optional(),
});

/** An entry of the master's `slaves[]` (also used by `/master/slaves`). */
export const AgentSchema = z.looseObject({
  id: z.string(),
  hostname: z.string(),
  port: z.number().optional(),
  pid: z.string().optional(),
  resources: resourcesField(),
  /** Absent in 0.19; treated as nothing used. */
  used_resources: resourcesField(),
  offered_resources: ResourcesObjectSchema.optional(),
  reserved_resources: z.record(z.string(), ResourcesObjectSchema).optional(),
  unreserved_resources: ResourcesObjectSchema.optional(),
  attributes: AttributesSchema.optional(),
  active: z.boolean().optional(),
  deactivated: z.boolean().optional(),
  drain_info: DrainInfoSchema.optional(),
  estimated_drain_start_time_seconds: z.number().optional(),
  registered_time: z.number().optional(),
  reregistered_time: z.number().optional(),
  version: z.string().optional(),
  capabilities: z.array(z.string()).optional(),
  domain: AnyObjectSchema.optional(),
});
export type Agent = z.output<typeof AgentSchema>;

const LeaderInfoSchema = z.looseObject({
  id: z.string().optional(),
  pid: z.string().optional(),
  hostname: z.string().optional(),
  port: z.number().optional(),
  domain: AnyObjectSchema.optional(),
});

/** Flag values are strings; coerced so an odd writer cannot break the page. */
export const FlagsSchema = z.record(z.string(), z.coerce.string());

const MasterStateSchema = z.looseObject({
  version: z.string(),
  id: z.string(),
  pid: z.string(),
  hostname: z.string(),
  git_sha: z.string().optional(),
  git_branch: z.string().optional(),
  git_tag: z.string().optional(),
  /** Deprecated leader pid, e.g. `master@10.0.0.1:5050`. */
  leader: z.string().optional(),
  leader_info: LeaderInfoSchema.optional(),
  cluster: z.string().optional(),
  /** Seconds since the epoch. */
  start_time: z.number().optional(),
  elected_time: z.number().optional(),
  build_date: z.string().optional(),
  build_time: z.number().optional(),
  build_user: z.string().optional(),
  capabilities: z.array(z.string()).optional(),
  domain: AnyObjectSchema.optional(),
  activated_slaves: z.number().optional(),
  deactivated_slaves: z.number().optional(),
  unreachable_slaves: z.number().optional(),
  log_dir: z.string().optional(),
  external_log_file: z.string().optional(),
  flags: FlagsSchema.optional(),
  slaves: z.array(AgentSchema).default([]),
  recovered_slaves: z.array(AnyObjectSchema).optional(),
  frameworks: z.array(FrameworkSchema).default([]),
  completed_frameworks: z.array(FrameworkSchema).default([]),
  orphan_tasks: z.array(TaskSchema).optional(),
  unregistered_frameworks: z.array(z.string()).optional(),
});
export type MasterState = z.output<typeof MasterStateSchema>;

/** `GET /master/slaves`. */
const MasterSlavesSchema = z.looseObject({
  slaves: z.array(AgentSchema).default([]),
  recovered_slaves: z.array(AnyObjectSchema).optional(),
});

/** Parses `GET /master/state`; throws `MesosParseError`. */
export const parseMasterState = makeParser(MasterStateSchema, 'master state');
/** Parses `GET /master/slaves`; throws `MesosParseError`. */
export const parseMasterSlaves = makeParser(MasterSlavesSchema, 'master slaves');
/** Parses one v0 task; throws `MesosParseError`. */
export const parseTask = makeParser(TaskSchema, 'task');

/** The framework's roles: `roles` (MULTI_ROLE), else `[role]`, else none. */
export function frameworkRoles(framework: Pick<Framework, 'role' | 'roles'>): string[] {
  if (framework.roles) return framework.roles;
  return framework.role === undefined ? [] : [framework.role];
}

export type AgentStateLabel = 'Active' | 'Draining' | 'Drained' | 'Deactivated';

/** The Agents table "State" column: Active unless deactivated, then the drain state if any. */
export function agentStateLabel(agent: Pick<Agent, 'deactivated' | 'drain_info'>): AgentStateLabel {
  if (!agent.deactivated) return 'Active';
  switch (agent.drain_info?.state) {
    case 'DRAINING':
      return 'Draining';
    case 'DRAINED':
      return 'Drained';
    default:
      return 'Deactivated';
  }
}

/**
 * Whether this state came from the leading master. Compares `leader_info.id` (1.x), else the
 * leader pid (`leader_info.pid`, then the deprecated `leader`) with this master's pid.
 * With no leader fields at all there is no known leader, so the answer is false.
 */
export function isLeader(state: MasterState): boolean {
  const info = state.leader_info;
  if (info?.id !== undefined) return info.id === state.id;
  if (info?.pid !== undefined) return info.pid === state.pid;
  if (state.leader !== undefined) return state.leader === state.pid;
  return false;
}

/** True when some leader is known (the Mesos UI warns "No master is currently leading" otherwise). */
export function hasLeader(state: MasterState): boolean {
  return Boolean(state.leader || state.leader_info);
}

/** Host and port of the leading master, from `leader_info` or the deprecated `leader` pid. */
export function leaderAddress(state: MasterState): { hostname: string; port: number } | null {
  const info = state.leader_info;
  if (info?.hostname !== undefined && info.port !== undefined) {
    return { hostname: info.hostname, port: info.port };
  }
  const pid = parsePid(info?.pid ?? state.leader ?? '');
  return pid ? { hostname: pid.ip, port: pid.port } : null;
}

/** Whether the master serves `/master/log` (it needs `--log_dir` or `--external_log_file`). */
export function masterLogAvailable(state: MasterState): boolean {
  return Boolean(
    state.external_log_file ||
    state.log_dir ||
    state.flags?.['external_log_file'] ||
    state.flags?.['log_dir'],
  );
}

/** Number of unreachable tasks across frameworks (the home page "Unreachable" count). */
export function countUnreachableTasks(state: MasterState): number {
  return state.frameworks.reduce((sum, framework) => sum + framework.unreachable_tasks.length, 0);
}
