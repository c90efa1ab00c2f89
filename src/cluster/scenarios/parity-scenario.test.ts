import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster } from '../index';
import type { LocalCluster } from '../index';
import { PARITY_UNREACHABLE_AFTER_MS } from './parity-scenario';
import { eventually, getJson } from '../test-helpers';
import type { MasterStateJson } from '../test-helpers';

interface AgentJson {
  id: string;
  deactivated: boolean;
  drain_info?: { state: string; config: { max_grace_period?: { nanoseconds: number } } };
  [key: string]: unknown;
}

let cluster: LocalCluster;
const state = () => getJson<MasterStateJson>(`${cluster.masterUrl}/master/state`);

beforeAll(async () => {
  cluster = await startCluster({ agents: 2, scenario: 'parity' });
}, 30_000);
afterAll(async () => {
  await cluster?.close();
});

describe('the parity scenario', () => {
  it('has an agent in every state: active, draining, drained, deactivated; one becomes unreachable', async () => {
    const s = await eventually(async () => {
      const current = await state();
      return current.unreachable_slaves === 1 ? current : undefined;
    }, PARITY_UNREACHABLE_AFTER_MS + 5_000);
    const agents = s.slaves as unknown as AgentJson[];
    expect(agents).toHaveLength(5);
    const drainStates = agents.map((a) =>
      a.deactivated ? (a.drain_info?.state ?? 'DEACTIVATED') : 'ACTIVE',
    );
    expect(drainStates).toEqual(['ACTIVE', 'ACTIVE', 'DRAINING', 'DRAINED', 'DEACTIVATED']);
    expect(s.activated_slaves).toBe(2);
    expect(s.deactivated_slaves).toBe(3);
    expect(agents[2]?.drain_info?.config.max_grace_period?.nanoseconds).toBe(3600e9);
    expect(agents[2]?.estimated_drain_start_time_seconds).toEqual(expect.any(Number));

    const lostAgentId = cluster.agents.at(-1)?.id;
    expect(agents.some((a) => a.id === lostAgentId)).toBe(false);
    const marathon = s.frameworks.find((f) => f.name === 'marathon');
    const unreachable = marathon?.unreachable_tasks.find((t) => t.name === 'partitioned-web');
    expect(unreachable?.state).toBe('TASK_UNREACHABLE');
    expect(unreachable?.slave_id).toBe(lostAgentId);
    const chronos = s.frameworks.find((f) => f.name === 'chronos');
    expect(chronos?.completed_tasks.find((t) => t.name === 'ChronosTask:partitioned-job')?.state).toBe(
      'TASK_LOST',
    );
    const stubborn = marathon?.tasks.find((t) => t.name === 'stubborn');
    expect(stubborn?.state).toBe('TASK_KILLING');

    const metrics = await getJson<Record<string, number>>(`${cluster.masterUrl}/metrics/snapshot`);
    expect(metrics['master/slaves_unreachable']).toBe(1);
    expect(metrics['master/slaves_inactive']).toBe(3);
    expect(metrics['master/tasks_unreachable']).toBe(1);
  });

  it('stops serving the unreachable agent, and its processes', async () => {
    const lost = cluster.agents.at(-1);
    await expect(fetch(`${lost?.url}/state`)).rejects.toThrow();
  });

  it('serves drain config, reservations and resource providers from the agents', async () => {
    const [first, , draining] = cluster.agents;
    const firstState = await getJson<Record<string, unknown>>(`${first?.url}/slave(1)/state`);
    expect(firstState.reserved_resources).toMatchObject({ marathon: { cpus: 1, mem: 1024 } });
    expect(firstState.resource_providers).toHaveLength(1);
    const drainingState = await getJson<Record<string, unknown>>(`${draining?.url}/slave(1)/state`);
    expect(drainingState.drain_config).toMatchObject({ max_grace_period: { nanoseconds: 3600e9 } });
  });

  it('serves roles with weights and quota, /master/quota, /master/weights and maintenance', async () => {
    const roles = await getJson<{
      roles: { name: string; weight: number; reserved: Record<string, number> }[];
    }>(`${cluster.masterUrl}/master/roles`);
    const marathon = roles.roles.find((r) => r.name === 'marathon');
    expect(marathon?.weight).toBe(2);
    expect(marathon?.reserved).toEqual({ cpus: 1, mem: 1024, disk: 2000 });
    const weights = await getJson<unknown[]>(`${cluster.masterUrl}/master/weights`);
    expect(weights).toContainEqual({ role: 'marathon', weight: 2 });
    const quota = await getJson<{ configs: { role: string; limits: Record<string, number> }[] }>(
      `${cluster.masterUrl}/master/quota`,
    );
    expect(quota.configs.find((c) => c.role === 'chronos')?.limits).toEqual({ cpus: 2, mem: 2048 });
    const status = await getJson<{ down_machines: unknown[]; draining_machines: { statuses: unknown[] }[] }>(
      `${cluster.masterUrl}/master/maintenance/status`,
    );
    expect(status.down_machines).toEqual([{ hostname: 'retired-1.mesoscope.local', ip: '10.0.0.99' }]);
    expect(status.draining_machines[0]?.statuses).toContainEqual(
      expect.objectContaining({ status: 'ACCEPT' }),
    );
  });
});
