/**
 * The master's writers of agents and frameworks (Mesos's `SlaveWriter`, `FullFrameworkWriter`): given what the
 * master knows of an agent or framework, Mesos's fields in Mesos's order.
 */
import type { FrameworkRecord } from '../master/model';
import { addResources, resourcesFullJson, resourcesJson } from '../master/resources';
import type { ClusterResources } from '../master/resources';
import { MESOS_VERSION } from '../version';

/** Capabilities a 1.11 agent advertises. */
export const AGENT_CAPABILITIES = [
  'MULTI_ROLE',
  'HIERARCHICAL_ROLE',
  'RESERVATION_REFINEMENT',
  'RESOURCE_PROVIDER',
  'RESIZE_VOLUME',
  'AGENT_OPERATION_FEEDBACK',
  'AGENT_DRAINING',
  'TASK_RESOURCE_LIMITS',
];

/** An agent as the master sees it. */
export interface AgentView {
  agent: {
    readonly id: string;
    readonly hostname: string;
    readonly port: number;
    readonly attributes: Readonly<Record<string, string | number>>;
    readonly pid: string;
    readonly registeredTime: number;
    readonly resources: ClusterResources;
    readonly deactivated: boolean;
  };
  used: ClusterResources;
  offered: ClusterResources;
  unreserved: ClusterResources;
  /** `reserved_resources`, by role. */
  reserved: Record<string, unknown>;
  /** `reserved_resources_full`, by role. */
  reservedFull: Record<string, unknown>;
  active: boolean;
  /** Fields Mesos appends last, e.g. a draining agent's `drain_info`. */
  trailer?: Record<string, unknown>;
}

/** `SlaveWriter`: one agent in `/master/state` and friends. */
export function slaveJson(view: AgentView): Record<string, unknown> {
  const { agent } = view;
  return {
    id: agent.id,
    hostname: agent.hostname,
    port: agent.port,
    attributes: agent.attributes,
    pid: agent.pid,
    registered_time: agent.registeredTime,
    resources: resourcesJson(agent.resources),
    used_resources: resourcesJson(view.used),
    offered_resources: resourcesJson(view.offered),
    reserved_resources: view.reserved,
    unreserved_resources: resourcesJson(view.unreserved),
    active: view.active,
    deactivated: agent.deactivated,
    version: MESOS_VERSION,
    capabilities: AGENT_CAPABILITIES,
    ...view.trailer,
  };
}

/** `GET /master/slaves?slave_id=`: the slave fields plus the protobuf `*_full` forms. */
export function slavesJson(views: Iterable<AgentView>, agentId: string | null): Record<string, unknown> {
  return {
    slaves: [...views]
      .filter((view) => agentId === null || view.agent.id === agentId)
      .map((view) => ({
        ...slaveJson(view),
        reserved_resources_full: view.reservedFull,
        unreserved_resources_full: resourcesFullJson(view.unreserved),
        used_resources_full: resourcesFullJson(view.used),
        offered_resources_full: resourcesFullJson(view.offered),
      })),
    recovered_slaves: [],
  };
}

/** What a framework holds: resources of its live tasks, and of its outstanding offers. */
export interface FrameworkUsage {
  used: ClusterResources;
  offered: ClusterResources;
}

/** The `Summary` part of a framework (what `/master/state-summary` shows). */
export function frameworkSummaryJson(
  framework: FrameworkRecord,
  usage: FrameworkUsage,
): Record<string, unknown> {
  return {
    id: framework.id,
    name: framework.name,
    used_resources: resourcesJson(usage.used),
    offered_resources: resourcesJson(usage.offered),
    capabilities: framework.capabilities,
    hostname: framework.hostname,
    webui_url: framework.webuiUrl,
    active: framework.active,
    connected: framework.active,
    recovered: false,
  };
}

/**
 * `FullFrameworkWriter`'s fields before the lists (`tasks`, `unreachable_tasks`, `completed_tasks`, `offers`,
 * `executors`, which the master's renderer appends as pieces).
 */
export function frameworkHeadJson(
  framework: FrameworkRecord,
  usage: FrameworkUsage,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ...frameworkSummaryJson(framework, usage),
    user: framework.user,
    failover_timeout: framework.failoverTimeout,
    checkpoint: framework.checkpoint,
    registered_time: framework.registeredTime,
    unregistered_time: framework.unregisteredTime,
  };
  if (framework.principal !== undefined) out.principal = framework.principal;
  out.resources = resourcesJson(addResources(usage.used, usage.offered));
  if (framework.singleRole) out.role = framework.roles[0] ?? '*';
  else out.roles = framework.roles;
  return out;
}
