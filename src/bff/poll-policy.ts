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
