import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startHealthCheck } from '../runner/health-checks';
import { resolveTaskExtras } from './task-extras';

describe('task extras as Mesos renders them', () => {
  it('fills Docker port mappings and discovery ports with the task’s host ports, in order', () => {
    const extras = resolveTaskExtras(
      {
        labels: { team: 'web' },
        container: {
          type: 'DOCKER',
          image: 'nginx',
          network: 'BRIDGE',
          portMappings: [{ containerPort: 80 }, { containerPort: 443, protocol: 'tcp' }],
          volumes: [{ containerPath: '/data', hostPath: 'data', mode: 'RW' }],
        },
        discovery: { name: 'web', ports: [{ name: 'http', protocol: 'tcp' }] },
      },
      [31000, 31001],
      3,
    );
    expect(extras.json.labels).toEqual([{ key: 'team', value: 'web' }]);
    expect(extras.json.container).toMatchObject({
      type: 'DOCKER',
      docker: {
        image: 'nginx',
        network: 'BRIDGE',
        port_mappings: [
          { host_port: 31000, container_port: 80, protocol: 'tcp' },
          { host_port: 31001, container_port: 443, protocol: 'tcp' },
        ],
      },
      volumes: [{ container_path: '/data', host_path: 'data', mode: 'RW' }],
    });
    expect(extras.json.discovery).toEqual({
      visibility: 'FRAMEWORK',
      name: 'web',
      ports: { ports: [{ number: 31000, name: 'http', protocol: 'tcp' }] },
    });
    expect(extras.containerIp).toBe('172.17.0.5');
    expect(extras.healthCheck).toBeUndefined();
  });

  it('drops mappings that have no host port left, and gives host-network containers no own IP', () => {
    const extras = resolveTaskExtras(
      { container: { type: 'DOCKER', image: 'x', network: 'HOST', portMappings: [{ containerPort: 1 }] } },
      [],
      0,
    );
    expect((extras.json.container as { docker: { port_mappings: unknown[] } }).docker.port_mappings).toEqual(
      [],
    );
    expect(extras.containerIp).toBeUndefined();
  });
});

describe('command health checks', () => {
  const sandbox = mkdtempSync(join(tmpdir(), 'mesoscope-health-'));
  afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

  it('reports the first result and then only changes, running the command in the sandbox', async () => {
    const reports: boolean[] = [];
    const check = startHealthCheck({
      spec: {
        command: 'test -f ready',
        delaySeconds: 0,
        intervalSeconds: 0.05,
        timeoutSeconds: 2,
        consecutiveFailures: 3,
        gracePeriodSeconds: 0,
      },
      sandbox,
      live: () => true,
      report: (healthy) => reports.push(healthy),
    });
    const waitFor = async (n: number) => {
      const deadline = Date.now() + 5_000;
      while (reports.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    };
    await waitFor(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(reports).toEqual([false]);
    writeFileSync(join(sandbox, 'ready'), '');
    await waitFor(2);
    check.stop();
    expect(reports).toEqual([false, true]);
  });
});
