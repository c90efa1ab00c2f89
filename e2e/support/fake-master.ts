import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in Mesos master that serves a synthetic `/master/state` of a large cluster (1,000 agents by
 * default), for layout tests that need more agents than it is sensible to run as real agent servers. It
 * answers only what the BFF's poll reads: `/master/redirect` (307 to itself), `/master/state` and
 * `/metrics/snapshot`. Deterministic: agent i is unreachable, draining or drained by a fixed pattern.
 */
export interface FakeMaster {
  url: string;
  close(): Promise<void>;
}

export function syntheticMasterState(agentCount: number, now = Date.now() / 1000): Record<string, unknown> {
  const frameworkNames = [
    'marathon',
    'spark',
    'chronos',
    'kafka',
    'cassandra',
    'jenkins',
    'flink',
    'airflow',
  ];
  const slaves = Array.from({ length: agentCount }, (_, i) => {
    const id = `F4KE-S${i}`;
    const used = ((i * 37) % 100) / 100;
    const agent: Record<string, unknown> = {
      id,
      pid: `slave(1)@10.${(i >> 8) & 255}.${i & 255}.1:5051`,
      hostname: `agent-${String(i + 1).padStart(4, '0')}.dc1.example.com`,
      port: 5051,
      active: i % 97 !== 13,
      registered_time: now - 86_400,
      version: '1.11.0',
      resources: { cpus: 32, gpus: i % 50 === 0 ? 4 : 0, mem: 131_072, disk: 1_000_000 },
      used_resources: {
        cpus: Math.round(32 * used * 10) / 10,
        gpus: 0,
        mem: Math.round(131_072 * used * 0.6),
        disk: 0,
      },
    };
    if (i % 61 === 7)
      Object.assign(agent, { deactivated: true, drain_info: { state: 'DRAINING', config: {} } });
    if (i % 113 === 11)
      Object.assign(agent, { deactivated: true, drain_info: { state: 'DRAINED', config: {} } });
    return agent;
  });
  const frameworks = frameworkNames.map((name, f) => {
    const cpus = 32 * agentCount * (0.3 / (f + 1));
    const failed = Array.from({ length: 3 }, (_, k) => ({
      id: `${name}-job-${f}-${k}`,
      name: `${name}-worker-${k}`,
      framework_id: `F4KE-000${f}`,
      executor_id: '',
      slave_id: `F4KE-S${(f * 7 + k) % agentCount}`,
      state: k === 2 ? 'TASK_LOST' : 'TASK_FAILED',
      resources: { cpus: 1, mem: 1024 },
      statuses: [
        { state: 'TASK_RUNNING', timestamp: now - 600 - f * 60 - k },
        {
          state: k === 2 ? 'TASK_LOST' : 'TASK_FAILED',
          timestamp: now - 60 * (f * 3 + k + 1),
          message:
            k === 2 ? 'Agent removed: health check timed out' : `Command exited with status ${f + k + 1}`,
        },
      ],
    }));
    return {
      id: `F4KE-000${f}`,
      name,
      active: true,
      hostname: 'scheduler.dc1.example.com',
      user: 'root',
      roles: [name],
      used_resources: { cpus, gpus: 0, mem: cpus * 2_048, disk: 0 },
      offered_resources: { cpus: 0, gpus: 0, mem: 0, disk: 0 },
      resources: { cpus, gpus: 0, mem: cpus * 2_048, disk: 0 },
      tasks: [],
      completed_tasks: failed,
      unreachable_tasks: [],
      offers: [],
      executors: [],
    };
  });
  return {
    version: '1.11.0',
    id: 'f4ke-master',
    pid: 'master@10.0.0.1:5050',
    hostname: 'master-1.dc1.example.com',
    cluster: 'dc1-production',
    start_time: now - 86_400 * 3,
    elected_time: now - 86_400 * 3,
    leader_info: {
      id: 'f4ke-master',
      pid: 'master@10.0.0.1:5050',
      hostname: 'master-1.dc1.example.com',
      port: 5050,
    },
    activated_slaves: slaves.filter((s) => !s['deactivated']).length,
    deactivated_slaves: slaves.filter((s) => s['deactivated']).length,
    unreachable_slaves: 3,
    slaves,
    frameworks,
    completed_frameworks: [],
  };
}

export async function startFakeMaster(agentCount = 1_000): Promise<FakeMaster> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/master/redirect') {
      res.writeHead(307, { location: `//${req.headers.host}` }).end();
    } else if (path === '/master/state') {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(syntheticMasterState(agentCount)));
    } else if (path === '/metrics/snapshot') {
      const running = agentCount * 12;
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          'master/tasks_running': running,
          'master/tasks_failed': 42,
          'master/tasks_lost': 3,
        }),
      );
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
