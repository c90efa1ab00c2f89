/**
 * ACCEPT as Mesos's master runs it (`Master::accept` / `_accept`): the offers are checked first (an invalid
 * set answers every task TASK_DROPPED or TASK_LOST), then each LAUNCH and LAUNCH_GROUP in order against what
 * is left of the offered resources; what nothing used goes back to the allocator with the call's filter.
 */
import type { ClusterCore } from '../cluster-core';
import { urisOf } from '../../agent/executor-info';
import type { ExecutorLaunchRequest, V1Json } from '../../agent/launch-contract';
import type { FrameworkRecord, OfferRecord } from '../model';
import { addResources, emptyResources, subtractResources, sumResources } from '../resources';
import type { ClusterResources } from '../resources';
import type { TaskExtrasSpec } from '../task-extras';
import type { MasterStatus } from './events';
import { idValue, isObject, list, parseResources, resourceUsageError, validateTask } from './task-validation';
import type { ValidTask } from './task-validation';

export const EXECUTORS_UNSUPPORTED = 'executors are not supported by this agent';

/** What ACCEPT needs besides the core. */
export interface AcceptContext {
  core: ClusterCore;
  framework: FrameworkRecord;
  /** Sends a master-made status (no uuid) to the framework. */
  answer(status: MasterStatus): void;
  /** Is a task id in use by the framework (live or terminal and unacknowledged)? */
  taskIdInUse(taskId: string): boolean;
}

/** Checks the offer ids of an ACCEPT (`validation::offer::validate`); returns Mesos's error, if any. */
function validateOffers(
  core: ClusterCore,
  framework: FrameworkRecord,
  offerIds: string[],
): string | undefined {
  if (offerIds.length === 0) return 'No offers specified';
  const seen = new Set<string>();
  let agentId: string | undefined;
  for (const offerId of offerIds) {
    if (seen.has(offerId)) return `Duplicate offer ${offerId} in the same call`;
    seen.add(offerId);
    const offer = core.offers.get(offerId);
    if (!offer) return `Offer ${offerId} is no longer valid`;
    if (offer.frameworkId !== framework.id) return `Offer ${offerId} has invalid framework`;
    if (agentId !== undefined && offer.agentId !== agentId)
      return 'Aggregated offers must belong to one single agent';
    agentId = offer.agentId;
  }
  if (agentId !== undefined && !core.agent(agentId)) return `Agent ${agentId} is not available`;
  return undefined;
}

/** Every TaskInfo the operations would launch, for answering them all when the offers are invalid. */
function tasksOf(operations: V1Json[]): V1Json[] {
  const out: V1Json[] = [];
  for (const op of operations) {
    if (op.type === 'LAUNCH' && isObject(op.launch)) out.push(...list(op.launch.task_infos).filter(isObject));
    if (op.type === 'LAUNCH_GROUP' && isObject(op.launch_group) && isObject(op.launch_group.task_group)) {
      out.push(...list(op.launch_group.task_group.tasks).filter(isObject));
    }
  }
  return out;
}

export function accept(context: AcceptContext, call: V1Json): void {
  const { core, framework } = context;
  const offerIds = list(call.offer_ids)
    .map(idValue)
    .filter((id): id is string => id !== undefined);
  const operations = list(call.operations).filter(isObject);
  const refuseSeconds = refuseSecondsOf(call.filters);
  const offerError = validateOffers(core, framework, offerIds);
  if (offerError) {
    const partitionAware = framework.capabilities.includes('PARTITION_AWARE');
    for (const info of tasksOf(operations)) {
      context.answer({
        taskId: idValue(info.task_id) ?? '',
        agentId: idValue(info.agent_id) ?? idValue(info.slave_id),
        state: partitionAware ? 'TASK_DROPPED' : 'TASK_LOST',
        reason: 'REASON_INVALID_OFFERS',
        message: `Task launched with invalid offers: ${offerError}`,
      });
    }
    // The framework's own valid offers go back without a filter.
    for (const offerId of offerIds) {
      const offer = core.offers.get(offerId);
      if (offer?.frameworkId === framework.id) {
        core.allocator.takeOffer(offerId);
        core.allocator.recover(framework.id, offer.agentId, 0);
      }
    }
    return;
  }
  const offers = offerIds
    .map((offerId) => core.allocator.takeOffer(offerId))
    .filter((o): o is OfferRecord => !!o);
  const agentId = offers[0]?.agentId ?? '';
  const role = offers[0]?.role ?? framework.roles[0] ?? '*';
  let remaining = sumResources(offers.map((o) => o.resources));
  core.counters.offersAccepted += offers.length;

  for (const op of operations) {
    if (op.type === 'LAUNCH' && isObject(op.launch)) {
      for (const info of list(op.launch.task_infos).filter(isObject)) {
        const valid = validateTask(info, { agentId, taskIdInUse: context.taskIdInUse });
        const error = 'error' in valid ? valid.error : resourceUsageError(valid.resources, remaining);
        if ('error' in valid || error) {
          context.answer(taskError(info, agentId, error ?? ''));
          continue;
        }
        remaining = subtractResources(remaining, valid.resources);
        if (isObject(info.executor)) {
          const executorResources = parseResources(info.executor.resources);
          if (typeof executorResources !== 'string') {
            remaining = subtractResources(remaining, executorResources.resources);
          }
          launchOnExecutor(context, agentId, info.executor, [info], false);
        } else launchCommand(context, agentId, role, valid);
      }
    } else if (op.type === 'LAUNCH_GROUP' && isObject(op.launch_group)) {
      const group = op.launch_group;
      const infos = isObject(group.task_group) ? list(group.task_group.tasks).filter(isObject) : [];
      const executor = isObject(group.executor) ? group.executor : undefined;
      let error: string | undefined;
      const valid: ValidTask[] = [];
      const ids = new Set<string>();
      const inUse = (taskId: string) => context.taskIdInUse(taskId) || ids.has(taskId);
      if (!executor) error = "'Operation.LaunchGroup.executor' must be set";
      else if (executor.type !== 'DEFAULT') error = "'ExecutorInfo.type' must be 'DEFAULT'";
      else if (infos.length === 0) error = 'Task group cannot be empty';
      for (const info of infos) {
        if (error) break;
        const result = validateTask(info, { agentId, taskIdInUse: inUse, group: true });
        if ('error' in result) error = result.error;
        else {
          valid.push(result);
          ids.add(result.id);
        }
      }
      const executorResources = executor ? parseResources(executor.resources) : undefined;
      if (!error && typeof executorResources === 'string')
        error = `Executor uses invalid resources: ${executorResources}`;
      const wanted = addResources(
        sumResources(valid.map((t) => t.resources)),
        executorResources && typeof executorResources !== 'string'
          ? executorResources.resources
          : emptyResources(),
      );
      error ??= resourceUsageError(wanted, remaining);
      if (error || !executor) {
        for (const info of infos) context.answer(taskError(info, agentId, error ?? ''));
        continue;
      }
      remaining = subtractResources(remaining, wanted);
      launchOnExecutor(context, agentId, executor, infos, true);
    } else {
      core.log.log(
        'W',
        'master.cpp:4553',
        `Ignoring unsupported ${String(op.type)} operation of framework ${framework.id}`,
      );
    }
  }
  if (hasAny(remaining)) core.allocator.recover(framework.id, agentId, refuseSeconds);
  else core.allocator.recover(framework.id, agentId, 0);
}

/** `Filters.refuse_seconds` (default 5), as a number of seconds. */
export function refuseSecondsOf(filters: unknown): number {
  if (isObject(filters) && typeof filters.refuse_seconds === 'number') return filters.refuse_seconds;
  return 5;
}

function hasAny(r: ClusterResources): boolean {
  return r.cpus > 0 || r.mem > 0 || r.disk > 0 || r.gpus > 0 || r.ports.length > 0;
}

function taskError(info: V1Json, agentId: string, message: string): MasterStatus {
  return {
    taskId: idValue(info.task_id) ?? '',
    agentId: idValue(info.agent_id) ?? idValue(info.slave_id) ?? agentId,
    state: 'TASK_ERROR',
    reason: 'REASON_TASK_INVALID',
    message,
  };
}

function launchOnExecutor(
  context: AcceptContext,
  agentId: string,
  executor: V1Json,
  tasks: V1Json[],
  group: boolean,
): void {
  const launcher = context.core.executorLauncher;
  if (!launcher) {
    for (const info of tasks) context.answer(taskError(info, agentId, EXECUTORS_UNSUPPORTED));
    return;
  }
  const request: ExecutorLaunchRequest = {
    frameworkId: context.framework.id,
    agentId,
    executor,
    tasks,
    group,
  };
  launcher(request);
}

/** Runs a command task under the command executor, on the offer's agent with exactly the task's resources. */
function launchCommand(context: AcceptContext, agentId: string, role: string, task: ValidTask): void {
  const command = task.info.command as V1Json;
  const env: Record<string, string> = {};
  const environment = isObject(command.environment) ? command.environment : {};
  for (const variable of list(environment.variables).filter(isObject)) {
    if (typeof variable.name === 'string' && typeof variable.value === 'string')
      env[variable.name] = variable.value;
  }
  const extras = extrasOf(task.info);
  const uris = urisOf(command);
  void context.core
    .launchTask({
      frameworkId: context.framework.id,
      taskId: task.id,
      name: task.name,
      cmd: commandLine(command),
      agentId,
      role,
      resources: task.resources,
      env,
      taskInfo: task.info,
      ...(extras ? { extras } : {}),
      ...(uris.length > 0 ? { uris } : {}),
    })
    .catch((error: Error) =>
      context.core.log.log('W', 'master.cpp:4384', `Failed to launch task ${task.id}: ${error.message}`),
    );
}

/** The shell line for a CommandInfo: `value` under `sh -c`, or `value` run with `arguments` when not a shell. */
export function commandLine(command: V1Json): string {
  const value = typeof command.value === 'string' ? command.value : '';
  if (command.shell !== false) return value;
  const args = list(command.arguments).map(String);
  return ['exec', ...[value, ...args.slice(1)].map(shellQuote)].join(' ');
}

function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Labels, container, discovery and a COMMAND health check, as far as the local cluster renders and runs them. */
function extrasOf(info: V1Json): TaskExtrasSpec | undefined {
  const out: TaskExtrasSpec = {};
  const labels = isObject(info.labels) ? list(info.labels.labels).filter(isObject) : [];
  if (labels.length > 0) {
    out.labels = Object.fromEntries(
      labels
        .filter((l) => typeof l.key === 'string')
        .map((l) => [String(l.key), typeof l.value === 'string' ? l.value : '']),
    );
  }
  const container = isObject(info.container) ? info.container : undefined;
  if (
    container?.type === 'DOCKER' &&
    isObject(container.docker) &&
    typeof container.docker.image === 'string'
  ) {
    const portMappings = list(container.docker.port_mappings)
      .filter(isObject)
      .filter((p) => typeof p.container_port === 'number')
      .map((p) => ({
        containerPort: p.container_port as number,
        protocol: p.protocol === 'udp' ? ('udp' as const) : ('tcp' as const),
      }));
    const volumes = list(container.volumes)
      .filter(isObject)
      .filter((v) => typeof v.container_path === 'string')
      .map((v) => ({
        containerPath: v.container_path as string,
        hostPath: typeof v.host_path === 'string' ? v.host_path : '',
        mode: v.mode === 'RO' ? ('RO' as const) : ('RW' as const),
      }));
    out.container = {
      type: 'DOCKER',
      image: container.docker.image,
      network: container.docker.network === 'BRIDGE' ? 'BRIDGE' : 'HOST',
      ...(portMappings.length > 0 ? { portMappings } : {}),
      ...(volumes.length > 0 ? { volumes } : {}),
    };
  } else if (container?.type === 'MESOS' && isObject(container.mesos) && isObject(container.mesos.image)) {
    const image = container.mesos.image;
    const name = isObject(image.docker) && typeof image.docker.name === 'string' ? image.docker.name : '';
    if (name) out.container = { type: 'MESOS', image: name };
  }
  const discovery = isObject(info.discovery) ? info.discovery : undefined;
  if (discovery && typeof discovery.name === 'string') {
    const visibility = discovery.visibility;
    const ports = isObject(discovery.ports)
      ? list(discovery.ports.ports)
          .filter(isObject)
          .map((p) => ({
            name: typeof p.name === 'string' ? p.name : '',
            protocol: p.protocol === 'udp' ? ('udp' as const) : ('tcp' as const),
          }))
      : [];
    out.discovery = {
      name: discovery.name,
      ...(visibility === 'FRAMEWORK' || visibility === 'CLUSTER' || visibility === 'EXTERNAL'
        ? { visibility }
        : {}),
      ...(ports.length > 0 ? { ports } : {}),
    };
  }
  const check = isObject(info.health_check) ? info.health_check : undefined;
  const checkCommand =
    check && isObject(check.command) && typeof check.command.value === 'string'
      ? check.command.value
      : undefined;
  if (check && checkCommand !== undefined) {
    const num = (v: unknown, d: number) => (typeof v === 'number' ? v : d);
    out.healthCheck = {
      command: checkCommand,
      delaySeconds: num(check.delay_seconds, 15),
      intervalSeconds: num(check.interval_seconds, 10),
      timeoutSeconds: num(check.timeout_seconds, 20),
      consecutiveFailures: num(check.consecutive_failures, 3),
      gracePeriodSeconds: num(check.grace_period_seconds, 10),
    };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
