/**
 * How often the BFF reads the cluster. One poll serves every viewer, so it can be more frequent than the Mesos
 * UI's per-browser ladder (10 s under 500 agents up to 960 s), while still growing with the cluster.
 */
export function defaultPollIntervalMs(agentCount: number): number {
  if (agentCount < 100) return 2_000;
  if (agentCount < 500) return 5_000;
  if (agentCount < 2_000) return 10_000;
  return 30_000;
}

/** Timeout for one upstream call; a master that takes longer is treated as down for this round. */
export const UPSTREAM_TIMEOUT_MS = 5_000;

/** How long a fetched agent state stays fresh for sandbox lookups. */
export const AGENT_STATE_TTL_MS = 2_000;

/**
 * With a master's operator event stream (Mesos 1.x), changes arrive as they happen: a new snapshot is
 * published at most this often, batching whatever arrived in between. Every snapshot re-indexes every task
 * for the Tasks page, so a cluster of thousands of agents (and 100,000s of tasks) publishes a little less
 * often; browsers poll every 3 s either way.
 */
export function streamPublishMs(agentCount: number): number {
  return agentCount < 1_000 ? 1_000 : 2_000;
}

/**
 * How often, alongside the event stream, to read what events never carry: metrics, offers and allocation
 * (`GET_FRAMEWORKS`) and agent deactivation and drains (`GET_AGENTS`, which is also read whenever the metrics'
 * agent counts move in a way the stream did not say: see {@link agentsMovedUnseen}). Each read grows with the
 * cluster, so the bigger the cluster the rarer it is.
 */
export function streamPollPolicy(agentCount: number): {
  metricsMs: number;
  frameworksMs: number;
  agentsMs: number;
} {
  if (agentCount < 100) return { metricsMs: 2_000, frameworksMs: 5_000, agentsMs: 15_000 };
  if (agentCount < 1_000) return { metricsMs: 5_000, frameworksMs: 15_000, agentsMs: 60_000 };
  return { metricsMs: 10_000, frameworksMs: 60_000, agentsMs: 600_000 };
}

/** The metrics' agent counts (`master/slaves_active`, `master/slaves_inactive`). */
export type AgentCounts = Readonly<Record<string, number | undefined>>;

/**
 * Whether agents changed between two metrics reads in a way the event stream did not say, so that `GET_AGENTS`
 * (14 MB of JSON at 10,000 agents) must be read now. Deactivation, reactivation and disconnection have no
 * event: they move `slaves_inactive`. Agents that register or are removed (or become unreachable) arrive as
 * `AGENT_ADDED` and `AGENT_REMOVED`: when the registered agents (active plus inactive) moved by exactly what
 * the stream added and removed meanwhile (`streamedDelta`), there is nothing more to read. With
 * `streamedDelta` unknown (null), any move counts.
 */
export function agentsMovedUnseen(
  previous: AgentCounts,
  next: AgentCounts,
  streamedDelta: number | null,
): boolean {
  const inactive = (m: AgentCounts) => m['master/slaves_inactive'] ?? 0;
  const registered = (m: AgentCounts) => (m['master/slaves_active'] ?? 0) + inactive(m);
  if (inactive(previous) !== inactive(next)) return true;
  const moved = registered(next) - registered(previous);
  return streamedDelta === null ? moved !== 0 : moved !== streamedDelta;
}
