import { z } from 'zod';
import { DrainInfoSchema, FlagsSchema, TaskSchema } from './master-state';
import { makeParser } from './parse';
import {
  AnyObjectSchema,
  AttributesSchema,
  LabelsSchema,
  ResourcesObjectSchema,
  resourcesField,
} from './schema-utils';

/** A task the agent accepted but has not handed to its executor yet (a TaskInfo: no state, no statuses). */
const QueuedTaskSchema = z.looseObject({
  id: z.string(),
  name: z.string().default(''),
  slave_id: z.string().optional(),
  executor_id: z.string().optional(),
  framework_id: z.string().optional(),
  resources: resourcesField(),
  role: z.string().optional(),
  command: AnyObjectSchema.optional(),
  discovery: AnyObjectSchema.optional(),
});
export type QueuedTask = z.output<typeof QueuedTaskSchema>;

const AgentExecutorSchema = z.looseObject({
  id: z.string(),
  name: z.string().default(''),
  source: z.string().default(''),
  /** Container ID. */
  container: z.string().optional(),
  /** Absolute sandbox path on the agent; what `/files/browse` takes. */
  directory: z.string().default(''),
  resources: resourcesField(),
  role: z.string().optional(),
  labels: LabelsSchema.optional(),
  /** `DEFAULT` executors keep each task's sandbox under `tasks/<task id>`. */
  type: z.string().optional(),
  tasks: z.array(TaskSchema).default([]),
  queued_tasks: z.array(QueuedTaskSchema).default([]),
  completed_tasks: z.array(TaskSchema).default([]),
});
export type AgentExecutor = z.output<typeof AgentExecutorSchema>;

const AgentFrameworkSchema = z.looseObject({
  id: z.string(),
  name: z.string().default(''),
  user: z.string().optional(),
  hostname: z.string().optional(),
  principal: z.string().optional(),
  role: z.string().optional(),
  roles: z.array(z.string()).optional(),
  checkpoint: z.boolean().optional(),
  failover_timeout: z.number().optional(),
  executors: z.array(AgentExecutorSchema).default([]),
  completed_executors: z.array(AgentExecutorSchema).default([]),
});
export type AgentFramework = z.output<typeof AgentFrameworkSchema>;

/** `GET /slave(1)/state`. */
const AgentStateSchema = z.looseObject({
  id: z.string(),
  pid: z.string(),
  hostname: z.string(),
  version: z.string().optional(),
  git_sha: z.string().optional(),
  git_branch: z.string().optional(),
  git_tag: z.string().optional(),
  build_date: z.string().optional(),
  build_time: z.number().optional(),
  build_user: z.string().optional(),
  start_time: z.number().optional(),
  cluster: z.string().optional(),
  master_hostname: z.string().optional(),
  capabilities: z.array(z.string()).optional(),
  domain: AnyObjectSchema.optional(),
  drain_config: DrainInfoSchema.shape.config.optional(),
  estimated_drain_start_time_seconds: z.number().optional(),
  resources: resourcesField(),
  reserved_resources: z.record(z.string(), ResourcesObjectSchema).optional(),
  unreserved_resources: ResourcesObjectSchema.optional(),
  reserved_resources_allocated: z.record(z.string(), ResourcesObjectSchema).optional(),
  unreserved_resources_allocated: ResourcesObjectSchema.optional(),
  resource_providers: z.array(AnyObjectSchema).optional(),
  attributes: AttributesSchema.optional(),
  log_dir: z.string().optional(),
  external_log_file: z.string().optional(),
  flags: FlagsSchema.optional(),
  frameworks: z.array(AgentFrameworkSchema).default([]),
  completed_frameworks: z.array(AgentFrameworkSchema).default([]),
});
export type AgentState = z.output<typeof AgentStateSchema>;

/** Parses `GET /slave(1)/state`; throws `MesosParseError`. */
export const parseAgentState = makeParser(AgentStateSchema, 'agent state');

/** Finds an executor among active and completed executors of active and completed frameworks. */
export function findExecutor(
  agentState: Pick<AgentState, 'frameworks' | 'completed_frameworks'>,
  frameworkId: string,
  executorId: string,
): AgentExecutor | null {
  for (const framework of [...agentState.frameworks, ...agentState.completed_frameworks]) {
    if (framework.id !== frameworkId) continue;
    const executor = [...framework.executors, ...framework.completed_executors].find(
      (e) => e.id === executorId,
    );
    if (executor) return executor;
  }
  return null;
}

/** A task's sandbox: `<directory>/tasks/<taskId>` under a DEFAULT executor, else the executor's directory. */
export function taskSandboxDirectory(
  executor: Pick<AgentExecutor, 'directory' | 'type'>,
  taskId: string,
): string {
  return executor.type === 'DEFAULT' ? `${executor.directory}/tasks/${taskId}` : executor.directory;
}

/** Whether the agent serves `/slave/log`. */
export function agentLogAvailable(agentState: Pick<AgentState, 'log_dir' | 'external_log_file'>): boolean {
  return Boolean(agentState.external_log_file || agentState.log_dir);
}

export interface ResourceProviderSummary {
  id: string;
  name: string;
  type: string;
  /** MB of disk the provider offers (Σ of its `disk` scalars). */
  disk: number;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** The agent page's Resource Providers table: ID, Name, Type, Disk (from `total_resources`). */
export function resourceProviderSummaries(
  agentState: Pick<AgentState, 'resource_providers'>,
): ResourceProviderSummary[] {
  return (agentState.resource_providers ?? []).map((provider) => {
    const info = asRecord(provider['resource_provider_info']);
    const resources = Array.isArray(provider['total_resources']) ? provider['total_resources'] : [];
    let disk = 0;
    for (const resource of resources) {
      const record = asRecord(resource);
      const value = asRecord(record['scalar'])['value'];
      if (record['name'] === 'disk' && typeof value === 'number') disk += value;
    }
    const id = asRecord(info['id'])['value'];
    return {
      id: typeof id === 'string' ? id : '',
      name: typeof info['name'] === 'string' ? info['name'] : '',
      type: typeof info['type'] === 'string' ? info['type'] : '',
      disk,
    };
  });
}

/** Estimated end of a drain in ms: `estimated_drain_start_time_seconds + max_grace_period` (the agent page). */
export function estimatedDrainEnd(
  agentState: Pick<AgentState, 'drain_config' | 'estimated_drain_start_time_seconds'>,
): number | null {
  const start = agentState.estimated_drain_start_time_seconds;
  if (start === undefined) return null;
  const graceNs = agentState.drain_config?.max_grace_period?.nanoseconds ?? 0;
  return (start + graceNs / 1e9) * 1000;
}
