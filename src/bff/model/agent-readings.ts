import type { Agent, AgentState, ExecutorUsage, MetricsSnapshot, MonitorStatistics } from '../../mesos';
import { executorUsage, parseAgentState, parseMetricsSnapshot, parseMonitorStatistics } from '../../mesos';
import { AGENT_STATE_TTL_MS } from '../poll-policy';
import type { MesosClient } from '../upstream/mesos-client';
import { SharedReads } from '../upstream/shared-reads';
import type { SharedRead } from '../upstream/shared-reads';
import { agentAddress } from '../upstream/agent-address';
import { UpstreamError } from '../upstream/upstream-error';

/** What one read of an agent gives: its state, metrics and per-executor usage (each may be missing). */
export interface AgentReading {
  state: AgentState;
  metrics: MetricsSnapshot | null;
  /** null when the agent's monitor could not be read. */
  usage: ExecutorUsage[] | null;
  /** The monitor sample the CPU rates were computed to, kept for the next read. */
  monitor: MonitorStatistics | null;
  monitorAt: number;
}

/** The Mesos UI's `Top` takes its second sample 500 ms after the first, to get a CPU rate at once. */
export const CPU_SAMPLE_GAP_MS = 500;
/** An earlier monitor sample older than this is not used for a rate; two fresh samples are taken instead. */
const MAX_SAMPLE_AGE_MS = 30_000;

/**
 * Reads agents for the agent, agent-framework and executor pages, through the master's address for each agent.
 * Every agent is read at most once per `AGENT_STATE_TTL_MS` however many viewers ask (single flight); the last
 * good reading is kept, so a page can keep showing it when the agent stops answering.
 */
export class AgentReadings {
  private readonly reads: SharedReads<AgentReading>;

  constructor(
    private readonly client: MesosClient,
    options: { ttlMs?: number; sampleGapMs?: number } = {},
  ) {
    this.reads = new SharedReads(() => options.ttlMs ?? AGENT_STATE_TTL_MS);
    this.sampleGapMs = options.sampleGapMs ?? CPU_SAMPLE_GAP_MS;
  }

  private readonly sampleGapMs: number;

  read(agent: Agent): Promise<SharedRead<AgentReading>> {
    return this.reads.read(agent.id, (previous) => this.load(agent, previous));
  }

  private async load(agent: Agent, previous: AgentReading | undefined): Promise<AgentReading> {
    const { base, processId } = agentAddress(agent);
    const [stateJson, metrics, monitor] = await Promise.all([
      this.getLegacyJson(base, `/${processId}/state`),
      this.client
        .getJson(base, '/metrics/snapshot')
        .then(parseMetricsSnapshot)
        .catch(() => null),
      this.readMonitor(base, processId, previous).catch(() => null),
    ]);
    return {
      state: parseAgentState(stateJson),
      metrics,
      usage: monitor?.usage ?? null,
      monitor: monitor?.current ?? null,
      monitorAt: monitor ? Date.now() : 0,
    };
  }

  /** Usage with CPU rates: against the previous reading's sample if recent, else against a second sample. */
  private async readMonitor(
    base: string,
    processId: string,
    previous: AgentReading | undefined,
  ): Promise<{ usage: ExecutorUsage[]; current: MonitorStatistics }> {
    const path = `/${processId}/monitor/statistics`;
    const first = parseMonitorStatistics(await this.getLegacyJson(base, path));
    const recent =
      previous?.monitor && Date.now() - previous.monitorAt < MAX_SAMPLE_AGE_MS ? previous.monitor : null;
    if (recent) return { usage: executorUsage(recent, first), current: first };
    await new Promise((resolve) => setTimeout(resolve, this.sampleGapMs));
    const second = parseMonitorStatistics(await this.getLegacyJson(base, path));
    return { usage: executorUsage(first, second), current: second };
  }

  /** Mesos before 0.23 serves `state.json` and `statistics.json` only; newer versions serve both forms. */
  private async getLegacyJson(base: string, path: string): Promise<unknown> {
    try {
      return await this.client.getJson(base, path);
    } catch (error) {
      if (error instanceof UpstreamError && error.status === 404)
        return this.client.getJson(base, `${path}.json`);
      throw error;
    }
  }
}
