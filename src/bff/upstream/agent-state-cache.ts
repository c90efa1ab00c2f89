import type { Agent, AgentState } from '../../mesos';
import { parseAgentState } from '../../mesos';
import { AGENT_STATE_TTL_MS } from '../poll-policy';
import { agentAddress } from './agent-address';
import type { MesosClient } from './mesos-client';

/** Agent `/state` reads, shared between concurrent callers and kept briefly, so many viewers cost one read. */
export class AgentStateCache {
  private readonly entries = new Map<string, { at: number; value: Promise<AgentState> }>();

  constructor(
    private readonly client: MesosClient,
    private readonly ttlMs = AGENT_STATE_TTL_MS,
  ) {}

  get(agent: Agent): Promise<AgentState> {
    const now = Date.now();
    const cached = this.entries.get(agent.id);
    if (cached && now - cached.at < this.ttlMs) return cached.value;
    let address: ReturnType<typeof agentAddress>;
    try {
      address = agentAddress(agent);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    const value = this.client
      .getJson(address.base, `/${address.processId}/state`)
      .then((json) => parseAgentState(json));
    value.catch(() => this.entries.delete(agent.id));
    if (this.entries.size > 10_000) this.entries.clear();
    this.entries.set(agent.id, { at: now, value });
    return value;
  }
}
