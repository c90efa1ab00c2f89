import { describe, expect, it } from 'vitest';
import { parseMasterState } from '../master-state';
import { rawFixture } from '../test-fixtures';
import { compactV0Tasks } from './compact-task';

/** A real 0.27.1 state whose statuses carry what a 1.x master adds: a container status, `data` and `uuid`. */
function polledState() {
  const raw = structuredClone(rawFixture('v0.27.1-capgemini/master-state.json')) as {
    frameworks: { tasks: { statuses: Record<string, unknown>[] }[] }[];
  };
  for (const framework of raw.frameworks) {
    for (const task of framework.tasks) {
      for (const status of task.statuses) {
        status['data'] = 'ZGF0YQ==';
        status['uuid'] = 'dXVpZA==';
        status['container_status'] = {
          container_id: { value: 'c-1' },
          executor_pid: 42,
          network_infos: [{ ip_addresses: [{ ip_address: '10.0.0.7' }] }],
        };
      }
    }
  }
  return parseMasterState(raw);
}

describe('the compact form of a polled task', () => {
  it('keeps what the views read of a status and drops the rest', () => {
    const state = polledState();
    const before = state.frameworks.flatMap((f) => f.tasks);
    compactV0Tasks(state);
    const tasks = state.frameworks.flatMap((f) => f.tasks);
    expect(tasks.map((t) => t.id)).toEqual(before.map((t) => t.id));
    expect(tasks.map((t) => t.statuses.map((s) => [s.state, s.timestamp]))).toEqual(
      before.map((t) => t.statuses.map((s) => [s.state, s.timestamp])),
    );
    for (const status of tasks.flatMap((t) => [...t.statuses])) {
      expect(status).not.toHaveProperty('data');
      expect(status).not.toHaveProperty('uuid');
      expect(status.container_status).toEqual({
        network_infos: [{ ip_addresses: [{ ip_address: '10.0.0.7' }] }],
      });
    }
  });

  it('shares the values tasks repeat, frozen', () => {
    const state = polledState();
    compactV0Tasks(state);
    const tasks = state.frameworks.flatMap((f) => f.tasks);
    let repeated = 0;
    for (const key of ['resources', 'container', 'labels'] as const) {
      const byJson = new Map<string, Set<unknown>>();
      for (const task of tasks) {
        if (task[key] === undefined) continue;
        const json = JSON.stringify(task[key]);
        byJson.set(json, (byJson.get(json) ?? new Set()).add(task[key]));
        expect(Object.isFrozen(task[key])).toBe(true);
      }
      for (const copies of byJson.values()) expect(copies.size).toBe(1);
      repeated += tasks.filter((task) => task[key] !== undefined).length - byJson.size;
    }
    expect(repeated).toBeGreaterThan(0);
    const networks = new Set(tasks.flatMap((t) => t.statuses.map((s) => s.container_status)));
    expect(networks.size).toBe(1);
  });
});
