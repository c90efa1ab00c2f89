/**
 * TaskInfo validation as the master does it on LAUNCH and LAUNCH_GROUP (src/master/validation.cpp): the
 * messages are Mesos's, and a task that fails any check is answered TASK_ERROR with REASON_TASK_INVALID.
 */
import { describe } from '../cluster-core';
import type { V1Json } from '../../agent/launch-contract';
import { addResources, emptyResources, fits, normalizeRanges } from '../resources';
import type { ClusterResources, PortRange } from '../resources';

const SCALARS = new Set(['cpus', 'gpus', 'mem', 'disk']);

/** Resources parsed from a `Resource[]`; names this cluster does not have make `unknown` non-empty. */
export interface ParsedResources {
  resources: ClusterResources;
  unknown: string[];
}

export function isObject(value: unknown): value is V1Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{value: "..."}` -> the string, or undefined. */
export function idValue(value: unknown): string | undefined {
  return isObject(value) && typeof value.value === 'string' ? value.value : undefined;
}

/** A protobuf repeated field: null or absent is empty (clients send nulls for unset fields). */
export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Parses `Resource[]`; returns an error message for invalid resources (as `Resources::validate`). */
export function parseResources(value: unknown): ParsedResources | string {
  const out: ParsedResources = { resources: emptyResources(), unknown: [] };
  for (const raw of list(value)) {
    if (!isObject(raw) || typeof raw.name !== 'string' || raw.name === '') {
      return 'Invalid resources: Empty resource name';
    }
    const name = raw.name;
    if (isObject(raw.scalar)) {
      const amount = raw.scalar.value;
      if (typeof amount !== 'number' || !Number.isFinite(amount)) {
        return `Invalid resources: Invalid scalar resource ${name}`;
      }
      if (amount < 0)
        return `Invalid resources: Resource '${name}:${amount}' is invalid: negative scalar value`;
      if (SCALARS.has(name)) {
        const add = { ...emptyResources(), [name]: amount } as ClusterResources;
        out.resources = addResources(out.resources, add);
      } else if (amount > 0) out.unknown.push(`${name}:${amount}`);
      continue;
    }
    if (isObject(raw.ranges)) {
      const ranges: PortRange[] = [];
      for (const range of list(raw.ranges.range)) {
        const begin = isObject(range) ? range.begin : undefined;
        const end = isObject(range) ? range.end : undefined;
        if (typeof begin !== 'number' || typeof end !== 'number' || begin < 0 || end < begin) {
          return `Invalid resources: Resource '${name}' has an invalid range`;
        }
        ranges.push([begin, end]);
      }
      if (name === 'ports') out.resources.ports = normalizeRanges([...out.resources.ports, ...ranges]);
      else if (ranges.length > 0) out.unknown.push(name);
      continue;
    }
    if (isObject(raw.set)) {
      out.unknown.push(name);
      continue;
    }
    return `Invalid resources: Resource '${name}' has no value`;
  }
  return out;
}

/** `common::validation::validateID`. */
export function validateId(id: string | undefined): string | undefined {
  if (id === undefined || id === '') return 'ID must not be empty';
  if (id.length > 255) return 'ID must not be greater than 255 characters';
  if (id === '.' || id === '..') return "'.' and '..' are reserved";
  if ([...id].some((c) => c.charCodeAt(0) < 0x20 || c === '/' || c === '\\' || /\s/.test(c)))
    return `'${id}' contains invalid characters`;
  return undefined;
}

/** What the master needs from one TaskInfo once it is valid. */
export interface ValidTask {
  id: string;
  name: string;
  resources: ClusterResources;
  info: V1Json;
}

export interface TaskValidationContext {
  agentId: string;
  /** Is a task with this id already known for the framework (live, or terminal and unacknowledged)? */
  taskIdInUse(taskId: string): boolean;
  /** Set for LAUNCH_GROUP: the group's tasks must not name their own executor. */
  group?: boolean;
}

/** Validates one TaskInfo; the message is what TASK_ERROR carries. */
export function validateTask(info: V1Json, context: TaskValidationContext): ValidTask | { error: string } {
  const taskId = idValue(info.task_id);
  const idError = validateId(taskId);
  if (idError || taskId === undefined) return { error: `Invalid task ID: ${idError ?? 'missing'}` };
  if (context.taskIdInUse(taskId)) return { error: `Task has duplicate ID: ${taskId}` };
  const agentId = idValue(info.agent_id) ?? idValue(info.slave_id);
  if (agentId !== context.agentId) return { error: `Task uses invalid agent: ${agentId ?? ''}` };
  const parsed = parseResources(info.resources);
  if (typeof parsed === 'string') return { error: `Task uses invalid resources: ${parsed}` };
  if (list(info.resources).length === 0) return { error: 'Task uses no resources' };
  const hasCommand = isObject(info.command);
  const hasExecutor = isObject(info.executor);
  if (context.group) {
    if (hasExecutor) return { error: "'TaskInfo.executor' must not be set" };
  } else if (hasCommand === hasExecutor) {
    return { error: 'Task should have at least one (but not both) of CommandInfo or ExecutorInfo present' };
  }
  if (hasCommand) {
    const command = info.command as V1Json;
    const shell = command.shell !== false;
    if (shell && typeof command.value !== 'string') {
      return {
        error: "Invalid CommandInfo: 'CommandInfo.value' must be set when 'CommandInfo.shell' is true",
      };
    }
    if (!shell && typeof command.value !== 'string' && !isObject(command.container)) {
      return { error: "Invalid CommandInfo: 'CommandInfo.value' must be set" };
    }
  }
  if (parsed.unknown.length > 0) {
    return { error: `Task uses more resources ${parsed.unknown.join('; ')} than available` };
  }
  return {
    id: taskId,
    name: typeof info.name === 'string' ? info.name : '',
    resources: parsed.resources,
    info,
  };
}

/** `Task uses more resources X than available Y`, or undefined when it fits. */
export function resourceUsageError(
  wanted: ClusterResources,
  available: ClusterResources,
): string | undefined {
  if (fits(wanted, available)) return undefined;
  return `Task uses more resources ${describe(wanted)} than available ${describe(available)}`;
}
