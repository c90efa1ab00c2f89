import type { Agent, AgentState, ExecutorUsage, MetricsSnapshot, MonitorStatistics } from '../../mesos';
import { executorUsage, parseAgentState, parseMetricsSnapshot, parseMonitorStatistics } from '../../mesos';
import { Limiter } from '../files/limiter';
import { AGENT_STATE_TTL_MS } from '../poll-policy';
import type { AgentAddress } from '../upstream/agent-address';
import { EndpointForms } from '../upstream/endpoint-forms';
import { agentAddress } from '../upstream/agent-address';
import type { MesosClient } from '../upstream/mesos-client';
import { SharedReads } from '../upstream/shared-reads';
import type { SharedRead } from '../upstream/shared-reads';

/** What one read of an agent gives: its state, metrics and per-executor usage (each may be missing). */
export interface AgentReading {
  state: AgentState;
  metrics: MetricsSnapshot | null;
  /** null when the agent's monitor could not be read. */
  usage: ExecutorUsage[] | null;
}

/** The Mesos UI's `Top` takes its second sample 500 ms after the first, to get a CPU rate at once. */
const CPU_SAMPLE_GAP_MS = 500;
/** An earlier monitor sample older than this is not used for a rate; two fresh samples are taken instead. */
const MAX_SAMPLE_AGE_MS = 30_000;
/** Requests to agents in flight at once, whoever asks (pages, sandbox lookups, app instances). */
export const MAX_AGENT_READS = 32;

type Part = 'state' | 'metrics' | 'monitor';

interface MonitorReading {
  usage: ExecutorUsage[];
  /** The sample the CPU rates were computed to, kept for the next read. */
  sample: MonitorStatistics;
  at: number;
}

/**
 * The one way the BFF reads agents (`/state`, `/metrics/snapshot`, `/monitor/statistics`): only at the address
 * the master's state gives for an agent (see agentAddress), at most {@link MAX_AGENT_READS} requests at once,
 * and each endpoint of an agent at most once per `AGENT_STATE_TTL_MS` however many viewers ask (single
 * flight). The last good answer is kept, so a page can keep showing it when the agent stops answering.
 */
export class AgentReadings {
  private readonly reads: SharedReads<unknown>;
  private readonly limiter = new Limiter(MAX_AGENT_READS);
  private readonly forms = new EndpointForms();
  private readonly sampleGapMs: number;

  constructor(
    private readonly client: MesosClient,
    options: { ttlMs?: number; sampleGapMs?: number } = {},
  ) {
    // Three endpoints per agent.
    this.reads = new SharedReads(() => options.ttlMs ?? AGENT_STATE_TTL_MS, 30_000);
    this.sampleGapMs = options.sampleGapMs ?? CPU_SAMPLE_GAP_MS;
  }

  /** The agent's `/state`, fresh within the TTL; rejects when the latest read failed. */
  async state(agent: Agent): Promise<AgentState> {
    const read = await this.part<AgentState>(agent, 'state', (address) => this.readState(address));
    if (read.error !== undefined || !read.value) throw read.error;
    return read.value;
  }

  /** State, metrics and usage for the agent pages; the value is the last good one, next to any error. */
  async read(agent: Agent): Promise<SharedRead<AgentReading>> {
    const [state, metrics, monitor] = await Promise.all([
      this.part<AgentState>(agent, 'state', (address) => this.readState(address)),
      this.part<MetricsSnapshot>(agent, 'metrics', async (address) =>
        parseMetricsSnapshot(await this.get(address.base, '/metrics/snapshot')),
      ),
      this.part<MonitorReading>(agent, 'monitor', (address, previous) => this.readMonitor(address, previous)),
    ]);
    const value = state.value && {
      state: state.value,
      metrics: metrics.error === undefined ? (metrics.value ?? null) : null,
      usage: monitor.error === undefined ? (monitor.value?.usage ?? null) : null,
    };
    return { value, at: state.at, error: state.error };
  }

  /** One endpoint of one agent, through the shared cache; the address is checked before anything is sent. */
  private part<T>(
    agent: Agent,
    part: Part,
    load: (address: AgentAddress, previous: T | undefined) => Promise<T>,
  ): Promise<SharedRead<T>> {
    return this.reads.read(`${part} ${agent.id}`, async (previous) =>
      load(agentAddress(agent), previous as T | undefined),
    ) as Promise<SharedRead<T>>;
  }

  private async readState({ base, processId }: AgentAddress): Promise<AgentState> {
    return parseAgentState(await this.getLegacyJson(base, `/${processId}/state`));
  }

  /** Usage with CPU rates: against the previous sample if recent, else against a second sample. */
  private async readMonitor(
    { base, processId }: AgentAddress,
    previous: MonitorReading | undefined,
  ): Promise<MonitorReading> {
    const path = `/${processId}/monitor/statistics`;
    const first = parseMonitorStatistics(await this.getLegacyJson(base, path));
    const recent = previous && Date.now() - previous.at < MAX_SAMPLE_AGE_MS ? previous.sample : null;
    if (recent) return { usage: executorUsage(recent, first), sample: first, at: Date.now() };
    await new Promise((resolve) => setTimeout(resolve, this.sampleGapMs));
    const second = parseMonitorStatistics(await this.getLegacyJson(base, path));
    return { usage: executorUsage(first, second), sample: second, at: Date.now() };
  }

  /** Agents before Mesos 0.25 serve `state.json` and `statistics.json` only: the form that answers is kept. */
  private async getLegacyJson(base: string, path: string): Promise<unknown> {
    const read = await this.forms.read(base, path, (form) =>
      this.limiter.run(() => this.client.getText(base, form)),
    );
    return this.client.jsonOf(base, path, read);
  }

  private get(base: string, path: string): Promise<unknown> {
    return this.limiter.run(() => this.client.getJson(base, path));
  }
}
