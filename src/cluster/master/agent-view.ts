import type { LocalAgent } from '../agent/agent-node';
import type { AgentView } from '../operator-api/master-writers';
import type { ClusterCore } from './cluster-core';
import { reservedFullJson, reservedJson, unreservedResources } from './reservations';

/** `drain_info` of a draining agent (master) and the matching `drain_config` (agent). */
export function drainJson(agent: LocalAgent): Record<string, unknown> {
  if (!agent.drain) return {};
  const config: Record<string, unknown> = { mark_gone: agent.drain.markGone };
  if (agent.drain.maxGracePeriodSecs !== undefined) {
    config.max_grace_period = { nanoseconds: agent.drain.maxGracePeriodSecs * 1e9 };
  }
  return {
    drain_info: { state: agent.drain.state, config },
    drain_config: config,
    estimated_drain_start_time_seconds: Math.floor(agent.drain.startTime),
  };
}

/** What the local master knows of one of its agents, for the writers of `/master/state` and friends. */
export function localAgentView(core: ClusterCore, agent: LocalAgent): AgentView {
  const { drain_info, estimated_drain_start_time_seconds } = drainJson(agent);
  return {
    agent,
    used: core.usedOn(agent.id),
    offered: core.offeredOn(agent.id),
    unreserved: unreservedResources(agent),
    reserved: reservedJson(agent),
    reservedFull: reservedFullJson(agent),
    // A deactivated (or draining) agent is inactive: the master sends it no offers.
    active: !agent.deactivated,
    trailer: drain_info ? { drain_info, estimated_drain_start_time_seconds } : {},
  };
}
