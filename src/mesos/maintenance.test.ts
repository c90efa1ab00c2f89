import { describe, expect, it } from 'vitest';
import { machineIsAgent, parseMaintenanceStatus } from './maintenance';
import { rawFixture } from './test-fixtures';

describe('maintenance status', () => {
  it('reads the status object of the documented GET_MAINTENANCE_STATUS answer', () => {
    const raw = rawFixture('mesos-docs/operator-api/master/GET_MAINTENANCE_STATUS.response.json');
    const status = parseMaintenanceStatus(raw.get_maintenance_status.status);
    expect(status.draining_machines.map((m) => m.id)).toEqual(
      raw.get_maintenance_status.status.draining_machines.map((m: { id: unknown }) => m.id),
    );
    expect(status.down_machines).toEqual([]);
    expect(status.draining_machines.every((m) => m.statuses.length === 0)).toBe(true);
  });

  it('reads an empty status and inverse offer answers', () => {
    expect(parseMaintenanceStatus({})).toEqual({ draining_machines: [], down_machines: [] });
    const status = parseMaintenanceStatus({
      draining_machines: [
        {
          id: { hostname: 'h', ip: '10.0.0.1' },
          statuses: [{ status: 'ACCEPT', framework_id: { value: 'f' }, timestamp: { nanoseconds: 1 } }, {}],
        },
      ],
      down_machines: [{ ip: '10.0.0.2' }],
    });
    expect(status.draining_machines[0]?.statuses.map((s) => s.status)).toEqual(['ACCEPT', 'UNKNOWN']);
    expect(status.down_machines).toEqual([{ ip: '10.0.0.2' }]);
  });
});

describe('machineIsAgent', () => {
  const agent = { hostname: 'node-1', pid: 'slave(1)@10.0.0.5:5051' };
  it('matches by hostname or by the IP of the pid', () => {
    expect(machineIsAgent({ hostname: 'node-1' }, agent)).toBe(true);
    expect(machineIsAgent({ ip: '10.0.0.5' }, agent)).toBe(true);
    expect(machineIsAgent({ hostname: 'node-2', ip: '10.0.0.6' }, agent)).toBe(false);
    expect(machineIsAgent({}, agent)).toBe(false);
    expect(machineIsAgent({ ip: '10.0.0.5' }, { hostname: '10.0.0.5' })).toBe(true);
  });
});
