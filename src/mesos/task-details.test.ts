import { describe, expect, it } from 'vitest';
import { parseMasterState } from './master-state';
import {
  containerSummary,
  discoverySummary,
  healthCheckSummary,
  parseRanges,
  taskHostPorts,
  taskIpAddresses,
} from './task-details';
import { fixture, rawFixture, type Raw } from './test-fixtures';

const CAPGEMINI = 'v0.27.1-capgemini/master-state.json';

function rawTasks(raw: Raw): Raw[] {
  return (raw.frameworks ?? []).flatMap((f: Raw) => [...(f.tasks ?? []), ...(f.completed_tasks ?? [])]);
}

describe('task container', () => {
  it('reads every Docker container of the 0.27 fixture: image, network, port mappings, volumes', () => {
    const raw = rawFixture(CAPGEMINI);
    const state = parseMasterState(fixture(CAPGEMINI));
    const parsed = state.frameworks.flatMap((f) => [...f.tasks, ...f.completed_tasks]);
    const withContainer = rawTasks(raw).filter((task) => task.container);
    expect(withContainer.length).toBeGreaterThan(0);
    for (const rawTask of withContainer) {
      const task = parsed.find((t) => t.id === rawTask.id);
      const summary = containerSummary(task?.container);
      expect(summary?.type).toBe(rawTask.container.type);
      expect(summary?.image).toBe(rawTask.container.docker?.image ?? null);
      expect(summary?.network).toBe(rawTask.container.docker?.network ?? null);
      expect(summary?.portMappings.map((m) => [m.hostPort, m.containerPort, m.protocol])).toEqual(
        (rawTask.container.docker?.port_mappings ?? []).map((m: Raw) => [
          m.host_port,
          m.container_port,
          m.protocol,
        ]),
      );
      expect(summary?.volumes.map((v) => v.containerPath)).toEqual(
        (rawTask.container.volumes ?? []).map((v: Raw) => v.container_path),
      );
    }
  });

  it('reads a unified (MESOS) container image and CNI network names', () => {
    const summary = containerSummary({
      type: 'MESOS',
      mesos: { image: { type: 'DOCKER', docker: { name: 'alpine:3.20' } } },
      network_infos: [{ name: 'dcos', port_mappings: [{ host_port: 1, container_port: 2 }] }],
    });
    expect(summary).toMatchObject({ type: 'MESOS', image: 'alpine:3.20', network: 'dcos' });
    expect(summary?.portMappings).toEqual([{ hostPort: 1, containerPort: 2, protocol: null }]);
  });

  it('tolerates odd shapes instead of failing', () => {
    expect(containerSummary(undefined)).toBeNull();
    expect(
      containerSummary({ type: 7, docker: 'nope', volumes: [null, { container_path: '/x' }] }),
    ).toMatchObject({
      type: null,
      image: null,
      volumes: [{ containerPath: '/x', hostPath: null, mode: null, source: null }],
    });
  });
});

describe('health check and discovery info', () => {
  it('describes command, HTTP and TCP checks, with or without the 1.1+ type field', () => {
    expect(
      healthCheckSummary({
        type: 'COMMAND',
        command: { value: 'curl -f localhost' },
        interval_seconds: 10,
        consecutive_failures: 3,
      }),
    ).toMatchObject({
      type: 'COMMAND',
      target: 'curl -f localhost',
      intervalSeconds: 10,
      consecutiveFailures: 3,
    });
    expect(healthCheckSummary({ http: { port: 8080, path: '/health' } })).toMatchObject({
      type: 'HTTP',
      target: 'http://:8080/health',
    });
    expect(healthCheckSummary({ type: 'TCP', tcp: { port: 9000 } })?.target).toBe('tcp :9000');
    expect(healthCheckSummary(null)).toBeNull();
  });

  it('reads discovery info with its ports and labels', () => {
    const summary = discoverySummary({
      visibility: 'EXTERNAL',
      name: 'web',
      ports: { ports: [{ number: 80, name: 'http', protocol: 'tcp' }, { bad: true }] },
      labels: { labels: [{ key: 'tier', value: 'front' }] },
    });
    expect(summary).toMatchObject({
      name: 'web',
      visibility: 'EXTERNAL',
      ports: [{ number: 80, name: 'http', protocol: 'tcp', visibility: null, labels: [] }],
      labels: [{ key: 'tier', value: 'front' }],
    });
  });
});

describe('ports and IP addresses', () => {
  it('parses v0 ranges and expands a task’s host ports', () => {
    expect(parseRanges('[31000-31001, 31005-31005]')).toEqual([
      [31000, 31001],
      [31005, 31005],
    ]);
    expect(parseRanges(12)).toEqual([]);
    expect(taskHostPorts({ ports: '[31000-31002]' })).toEqual([31000, 31001, 31002]);
    expect(taskHostPorts({ ports: '[1-100000]' })).toHaveLength(1_000);
  });

  it('takes every task’s ports from its resources in the 0.27 fixture', () => {
    const state = parseMasterState(fixture(CAPGEMINI));
    for (const task of state.frameworks.flatMap((f) => f.tasks)) {
      const ranges = parseRanges(task.resources['ports']);
      const expected = ranges.reduce((n, [b, e]) => n + e - b + 1, 0);
      expect(taskHostPorts(task.resources)).toHaveLength(expected);
    }
  });

  it('reads IP addresses from the latest status that has any (0.27 Docker tasks, 1.x CNI)', () => {
    const raw = rawFixture(CAPGEMINI);
    for (const task of rawTasks(raw)) {
      const withNet = [...task.statuses].reverse().find((s: Raw) => s.container_status?.network_infos);
      const expected = withNet
        ? withNet.container_status.network_infos[0].ip_addresses[0].ip_address
        : undefined;
      const ips = taskIpAddresses(task.statuses).map((a) => a.ip);
      if (expected) expect(ips).toContain(expected);
      else expect(ips).toEqual([]);
    }
    expect(
      taskIpAddresses([
        { state: 'TASK_STARTING' },
        {
          state: 'TASK_RUNNING',
          container_status: {
            network_infos: [{ name: 'dcos-1', ip_addresses: [{ protocol: 'IPv4', ip_address: '9.0.2.34' }] }],
          },
        },
      ]),
    ).toEqual([{ ip: '9.0.2.34', protocol: 'IPv4', network: 'dcos-1' }]);
    expect(
      taskIpAddresses([{ labels: [{ key: 'Docker.NetworkSettings.IPAddress', value: '172.17.0.3' }] }]),
    ).toEqual([{ ip: '172.17.0.3', protocol: null, network: null }]);
  });
});
