import { describe, expect, it } from 'vitest';
import { parseMasterState } from '../../mesos';
import { buildSnapshot } from '../model/cluster-snapshot';
import { agentsPageView } from './agents-view';

const resources = (cpus: number, gpus = 0) => ({ cpus, gpus, mem: 1024, disk: 1024 });

function snapshot() {
  const state = parseMasterState({
    version: '1.11.0',
    id: 'm1',
    pid: 'master@10.0.0.1:5050',
    hostname: 'm1',
    slaves: [
      { id: 'S10', hostname: 'ip-10-0-0-10', resources: resources(4), used_resources: resources(1) },
      { id: 'S2', hostname: 'ip-10-0-0-2', resources: resources(4), used_resources: resources(3) },
      {
        id: 'S3',
        hostname: 'IP-10-0-0-3',
        deactivated: true,
        resources: resources(8, 2),
        used_resources: resources(1),
      },
      {
        id: 'S4',
        hostname: 'ip-10-0-0-4',
        deactivated: true,
        drain_info: { state: 'DRAINING' },
        resources: resources(0),
        used_resources: resources(0),
      },
    ],
  });
  return buildSnapshot({ version: 1, fetchedAt: 1, leaderUrl: 'http://m1:5050', state, metrics: null });
}

const page = (query: Record<string, string>) =>
  agentsPageView(snapshot(), { offset: 0, limit: 50, ...query });

describe('agentsPageView', () => {
  it('sorts hostnames as people read them, whatever their case', () => {
    expect(page({ sort: 'host', order: 'asc' }).rows.map((row) => row.hostname)).toEqual([
      'ip-10-0-0-2',
      'IP-10-0-0-3',
      'ip-10-0-0-4',
      'ip-10-0-0-10',
    ]);
  });

  it('sorts resources by the share allocated, agents without the resource last', () => {
    expect(page({ sort: 'cpus', order: 'desc' }).rows.map((row) => row.id)).toEqual([
      'S2',
      'S10',
      'S3',
      'S4',
    ]);
    expect(page({ sort: 'cpus', order: 'asc' }).rows.map((row) => row.id)).toEqual(['S3', 'S10', 'S2', 'S4']);
  });

  it('filters by any of several states, and counts every state whatever the filter', () => {
    const deactivated = page({ state: 'deactivated, DRAINING' });
    expect(deactivated.rows.map((row) => row.id).sort()).toEqual(['S3', 'S4']);
    expect(deactivated.total).toBe(2);
    expect(deactivated.unfiltered).toBe(4);
    expect(deactivated.states).toEqual([
      { value: 'Active', label: 'Active', count: 2 },
      { value: 'Deactivated', label: 'Deactivated', count: 1 },
      { value: 'Draining', label: 'Draining', count: 1 },
    ]);
    expect(page({ state: 'active', q: '10-0-0-10' }).rows.map((row) => row.id)).toEqual(['S10']);
    expect(page({ state: 'gone' }).total).toBe(0);
  });

  it('says whether any agent has GPUs', () => {
    expect(page({}).gpus).toBe(true);
  });
});
