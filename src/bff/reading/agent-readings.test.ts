import { afterEach, describe, expect, it } from 'vitest';
import type { Agent } from '../../mesos';
import { rawFixture } from '../../mesos/test-fixtures';
import { json, startFakeUpstream } from '../upstream/fake-upstream';
import type { FakeHandler, FakeUpstream } from '../upstream/fake-upstream';
import { MesosClient } from '../upstream/mesos-client';
import { AgentReadings, MAX_AGENT_READS } from './agent-readings';

const started: { close(): Promise<void> | void }[] = [];
afterEach(async () => {
  for (const thing of started.splice(0).reverse()) await thing.close();
});

async function fakeAgent(handler: FakeHandler): Promise<FakeUpstream> {
  const fake = await startFakeUpstream(handler);
  started.push(fake);
  return fake;
}

function reader(ttlMs = 60_000): AgentReadings {
  const client = new MesosClient({ timeoutMs: 2_000 });
  started.push({ close: () => client.close() });
  return new AgentReadings(client, { ttlMs, sampleGapMs: 10 });
}

/** The agent as the master's state lists it: reached only at its pid's address. */
function agentAt(url: string, id: string, processId = 'slave(1)'): Agent {
  const { host } = new URL(url);
  return { id, pid: `${processId}@${host}`, hostname: 'agent.example', port: 1 } as Agent;
}

const AGENT_STATE = rawFixture('v0.27-dcos-agent/agent-state.json') as Record<string, unknown>;
const paths = (fake: FakeUpstream) => fake.requests.map((request) => request.path);

describe('AgentReadings, the one reader of agents', () => {
  it('reads an agent once for a sandbox lookup and an agent page, however many ask at once', async () => {
    const fake = await fakeAgent((req, res) => {
      if (req.url === '/slave(1)/state') return json(AGENT_STATE)(req, res);
      if (req.url === '/metrics/snapshot') return json({ 'slave/uptime_secs': 1 })(req, res);
      return json([])(req, res);
    });
    const agents = reader();
    const agent = agentAt(fake.url, 'a1');
    const states = await Promise.all(Array.from({ length: 20 }, () => agents.state(agent)));
    const page = await agents.read(agent);
    expect(new Set(states).size).toBe(1);
    expect(page.value?.state).toBe(states[0]);
    expect(page.value?.metrics).toMatchObject({ 'slave/uptime_secs': 1 });
    expect(paths(fake).filter((path) => path === '/slave(1)/state')).toHaveLength(1);
  });

  it('reads an agent that serves only the .json forms (Mesos before 0.23)', async () => {
    const fake = await fakeAgent((req, res) => {
      if (req.url === '/slave(1)/state.json') return json(AGENT_STATE)(req, res);
      if (req.url === '/slave(1)/monitor/statistics.json') return json([])(req, res);
      return res.writeHead(404).end();
    });
    const read = await reader().read(agentAt(fake.url, 'old'));
    expect(read.error).toBeUndefined();
    expect(read.value?.state.id).toBe(AGENT_STATE['id']);
    expect(read.value?.usage).toEqual([]);
    expect(read.value?.metrics).toBeNull();
  });

  it('has at most MAX_AGENT_READS requests to agents in flight, whoever asks', async () => {
    let inFlight = 0;
    let most = 0;
    const fake = await fakeAgent((req, res) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      setTimeout(() => {
        inFlight -= 1;
        json(AGENT_STATE)(req, res);
      }, 20);
    });
    const agents = reader();
    const many = Array.from({ length: MAX_AGENT_READS * 3 }, (_, i) =>
      agentAt(fake.url, `a${i}`, `slave(${i})`),
    );
    await Promise.all([
      ...many.map((agent) => agents.state(agent)),
      ...many.slice(0, 10).map((agent) => agents.read(agent)),
    ]);
    expect(fake.requests.length).toBeGreaterThan(MAX_AGENT_READS);
    expect(most).toBeLessThanOrEqual(MAX_AGENT_READS);
    expect(most).toBeGreaterThan(MAX_AGENT_READS / 2);
  });

  it('contacts no agent whose address in the master state is not a host and port, and says which', async () => {
    const fake = await fakeAgent(json(AGENT_STATE));
    const hostile = { ...agentAt(fake.url, 'evil'), pid: `slave(1)@${new URL(fake.url).host}/x?y=` } as Agent;
    const agents = reader();
    await expect(agents.state(hostile)).rejects.toThrow(
      /agent evil has a pid .* mesoscope does not contact it/,
    );
    const read = await agents.read(hostile);
    expect(read.value).toBeUndefined();
    expect(String(read.error)).toContain('agent evil');
    expect(fake.requests).toHaveLength(0);
  });

  it('keeps the last good reading when the agent stops answering, next to why', async () => {
    const fake = await fakeAgent(json(AGENT_STATE));
    const agents = reader(0);
    const agent = agentAt(fake.url, 'a1');
    const good = await agents.read(agent);
    fake.answer((_req, res) => res.writeHead(500).end());
    const stale = await agents.read(agent);
    expect(stale.value?.state).toBe(good.value?.state);
    expect(stale.at).toBe(good.at);
    expect(String(stale.error)).toMatch(/HTTP 500/);
    await expect(agents.state(agent)).rejects.toThrow(/HTTP 500/);
  });
});
