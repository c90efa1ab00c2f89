import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster } from '../index';
import { startScaleCluster } from '../scenarios/scale/start-scale-cluster';
import type { LaunchedTask, LocalCluster } from '../index';
import { eventually, getJson } from '../test-helpers';

interface ExecutorJson {
  id: string;
  directory: string;
  container: string;
  tasks: { id: string; state: string }[];
  completed_tasks: { id: string; state: string }[];
}
interface AgentStateJson {
  id: string;
  pid: string;
  frameworks: { id: string; name: string; executors: ExecutorJson[]; completed_executors: ExecutorJson[] }[];
  completed_frameworks: { name: string }[];
  [key: string]: unknown;
}
interface ReadJson {
  offset: number;
  data: string;
}

let cluster: LocalCluster;
let agentUrl: string;
let task: LaunchedTask;

beforeAll(async () => {
  cluster = await startCluster({ scenario: 'empty', agents: 2 });
  agentUrl = cluster.agents[0]!.url;
  task = await cluster.control.launchTask({
    name: 'echoer',
    cmd: 'echo "hello from the sandbox"; echo "to stderr" >&2; printf "caf\\303\\251\\n"; sleep 600',
    agentId: cluster.agents[0]!.id,
  });
});
afterAll(async () => {
  await cluster?.close();
});

const read = (path: string, query = '') =>
  fetch(`${agentUrl}/files/read?path=${encodeURIComponent(path)}${query}`);

describe('agent state and sandboxes', () => {
  it('renders the agent state with a real sandbox directory', async () => {
    const state = await getJson<AgentStateJson>(`${agentUrl}/slave(1)/state`);
    expect(state.id).toBe(cluster.agents[0]!.id);
    expect(state.pid).toBe(`slave(1)@127.0.0.1:${cluster.agents[0]!.port}`);
    expect(state.version).toBe('1.11.0');
    expect(state.master_hostname).toBe('127.0.0.1');
    expect(state.resources).toEqual({ cpus: 4, gpus: 0, mem: 8192, disk: 20000, ports: '[31000-31099]' });
    const executor = state.frameworks[0]?.executors.find((e) => e.id === task.executorId);
    expect(executor?.directory).toBe(task.directory);
    expect(executor?.directory).toContain(
      `/slaves/${task.agentId}/frameworks/${task.frameworkId}/executors/${task.taskId}/runs/${executor?.container}`,
    );
    expect(executor?.tasks.map((t) => t.state)).toEqual(['TASK_RUNNING']);
    expect(existsSync(join(task.directory, 'stdout'))).toBe(true);
    expect(existsSync(join(task.directory, 'stderr'))).toBe(true);
    await eventually(async () =>
      readFileSync(join(task.directory, 'stdout'), 'utf8').includes('hello from the sandbox')
        ? true
        : undefined,
    );
    // Other path forms of the same endpoint.
    expect((await fetch(`${agentUrl}/state`)).status).toBe(200);
    expect((await fetch(`${agentUrl}/state.json`)).status).toBe(200);
  });

  it('reports slave metrics and real process statistics', async () => {
    const metrics = await getJson<Record<string, number>>(`${agentUrl}/metrics/snapshot`);
    expect(metrics['slave/tasks_running']).toBe(1);
    expect(metrics['slave/cpus_total']).toBe(4);
    expect(metrics['slave/registered']).toBe(1);
    const stats = await getJson<{ executor_id: string; statistics: Record<string, number> }[]>(
      `${agentUrl}/slave(1)/monitor/statistics`,
    );
    const entry = stats.find((s) => s.executor_id === task.executorId);
    expect(entry?.statistics.cpus_limit).toBe(0.1);
    expect(entry?.statistics.mem_limit_bytes).toBe(32 * 1024 * 1024);
    if (existsSync('/proc/self/stat')) expect(entry?.statistics.mem_rss_bytes).toBeGreaterThan(0);
  });

  it('browses a sandbox like ls', async () => {
    const entries = await getJson<{ path: string; mode: string; mtime: number; size: number }[]>(
      `${agentUrl}/files/browse?path=${encodeURIComponent(task.directory)}`,
    );
    expect(entries.map((e) => e.path)).toEqual([
      join(task.directory, 'stderr'),
      join(task.directory, 'stdout'),
    ]);
    expect(entries[0]?.mode).toMatch(/^-[rwx-]{9}$/);
    expect(Number.isInteger(entries[0]?.mtime)).toBe(true);
    const single = await getJson<unknown[]>(
      `${agentUrl}/files/browse?path=${encodeURIComponent(join(task.directory, 'stdout'))}`,
    );
    // Mesos lists a directory's entries; a file has none.
    expect(single).toEqual([]);
    const latest = await getJson<{ path: string }[]>(
      `${agentUrl}/files/browse?path=/frameworks/${task.frameworkId}/executors/${task.executorId}/runs/latest`,
    );
    expect(latest.map((e) => e.path.split('/').pop())).toEqual(['stderr', 'stdout']);
  });

  it('reads files with Mesos offset/length semantics', async () => {
    const stdout = join(task.directory, 'stdout');
    const size = (await (await read(stdout)).json()) as ReadJson;
    expect(size).toEqual({ offset: readFileSync(stdout).length, data: '' });
    expect(await (await read(stdout, '&offset=-1&length=-1')).json()).toEqual(size);
    const all = (await (await read(stdout, '&offset=0')).json()) as ReadJson;
    expect(all.offset).toBe(0);
    expect(all.data).toContain('hello from the sandbox');
    expect(all.data).toContain('café');
    expect(await (await read(stdout, '&offset=0&length=5')).json()).toEqual({ offset: 0, data: 'Recei' });
    expect(await (await read(stdout, '&offset=999999')).json()).toEqual({ offset: 999999, data: '' });
    const stderr = (await (await read(join(task.directory, 'stderr'), '&offset=0')).json()) as ReadJson;
    expect(stderr.data).toContain('to stderr');
  });

  it('caps reads at 64 KiB and passes bytes through as Mesos does, even a split character', async () => {
    const big = join(task.directory, 'big.txt');
    writeFileSync(big, 'x'.repeat(65535) + 'é' + 'y'.repeat(100_000));
    const raw = Buffer.from(await (await read(big, '&offset=0')).arrayBuffer());
    // The 64 KiB read ends after the first byte of 'é' (0xc3), which goes into the JSON string as it is.
    expect(raw.subarray(raw.length - 4)).toEqual(Buffer.from([0x78, 0xc3, 0x22, 0x7d]));
    const next = (await (await read(big, '&offset=65535&length=10')).json()) as ReadJson;
    expect(next.data).toBe('éyyyyyyyy');
    const capped = (await (await read(big, '&offset=70000&length=-1')).json()) as ReadJson;
    expect(capped.data).toHaveLength(65536);
    writeFileSync(join(task.directory, 'binary.bin'), Buffer.from([0xff, 0xfe, 0x00, 0x41]));
    const binary = (await (await read(join(task.directory, 'binary.bin'), '&offset=0')).json()) as ReadJson;
    expect(binary.data).toBe('\ufffd\ufffd\u0000A');
  });

  it('rejects bad read requests like Mesos', async () => {
    const stdout = join(task.directory, 'stdout');
    const missing = await fetch(`${agentUrl}/files/read`);
    expect(missing.status).toBe(400);
    expect(await missing.text()).toBe("Expecting 'path=value' in query.\n");
    expect((await fetch(`${agentUrl}/files/read?path=`)).status).toBe(400);
    const negative = await read(stdout, '&offset=-2');
    expect(negative.status).toBe(400);
    expect(await negative.text()).toMatch(/Negative offset provided/);
    expect(await (await read(stdout, '&offset=0&length=-5')).text()).toMatch(/Negative length provided/);
    const garbage = await read(stdout, '&offset=abc');
    expect(garbage.status).toBe(400);
    expect(await garbage.text()).toMatch(/Failed to parse offset/);
    expect((await read(stdout, '&offset=1.5')).status).toBe(400);
    const dir = await read(task.directory, '&offset=0');
    expect(dir.status).toBe(400);
    expect(await dir.text()).toBe('Cannot read a directory.\n');
    expect((await read(join(task.directory, 'nope'))).status).toBe(404);
    expect((await fetch(`${agentUrl}/files/browse`)).status).toBe(400);
  });

  it('refuses paths outside attached sandboxes', async () => {
    const escapes = [
      `${task.directory}/../../..`,
      `${task.directory}/../../../../../../../../etc/passwd`,
      '/etc/passwd',
      '/',
      cluster.workDir,
      `${task.directory}/escape/passwd`,
    ];
    symlinkSync('/etc', join(task.directory, 'escape'));
    mkdirSync(join(task.directory, 'sub'));
    for (const path of escapes) {
      expect((await read(path, '&offset=0')).status, path).toBe(404);
      expect((await fetch(`${agentUrl}/files/browse?path=${encodeURIComponent(path)}`)).status, path).toBe(
        404,
      );
      expect((await fetch(`${agentUrl}/files/download?path=${encodeURIComponent(path)}`)).status, path).toBe(
        404,
      );
    }
    expect(
      (await fetch(`${agentUrl}/files/browse?path=${encodeURIComponent(join(task.directory, 'escape'))}`))
        .status,
    ).toBe(404);
    expect((await read(`${task.directory}/stdout\0`, '&offset=0')).status).toBe(400);
    // `..` that stays inside the sandbox is fine.
    expect((await read(`${task.directory}/sub/../stdout`, '&offset=0')).status).toBe(200);
    // The other agent has not attached this sandbox.
    const other = await fetch(
      `${cluster.agents[1]!.url}/files/read?path=${encodeURIComponent(task.directory + '/stdout')}`,
    );
    expect(other.status).toBe(404);
  });

  it('downloads files with attachment headers', async () => {
    const stdout = join(task.directory, 'stdout');
    const res = await fetch(`${agentUrl}/files/download?path=${encodeURIComponent(stdout)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename=stdout');
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(await res.text()).toContain('hello from the sandbox');
    writeFileSync(join(task.directory, 'result.json'), '{"ok":true}');
    const json = await fetch(
      `${agentUrl}/files/download?path=${encodeURIComponent(join(task.directory, 'result.json'))}`,
    );
    expect(json.headers.get('content-type')).toBe('application/json');
    expect(await json.text()).toBe('{"ok":true}');
    const dir = await fetch(`${agentUrl}/files/download?path=${encodeURIComponent(task.directory)}`);
    expect(dir.status).toBe(400);
  });

  it('serves the agent log and the attachment map', async () => {
    const log = (await (await read('/slave/log', '&offset=0')).json()) as ReadJson;
    expect(log.data).toContain(`Got assigned task '${task.taskId}'`);
    const debug = await getJson<Record<string, string>>(`${agentUrl}/files/debug`);
    expect(debug[task.directory]).toBe(task.directory);
    expect(debug['/slave/log']).toMatch(/mesos-agent\.INFO$/);
  });
});

describe('a simulated agent', () => {
  it("renders its documents with the local agent's renderer: the same fields, less the log and the machine", async () => {
    const sim = await startScaleCluster({
      scenario: 'small',
      churn: 'off',
      seed: 2,
      spec: { agents: 2, frameworks: 1, activeTasks: 6, historyHours: 0.01, completedFrameworks: 0 },
    });
    try {
      const agent = sim.sim.agents[0]!;
      const simUrl = `${sim.agents[0]!.url}/${agent.processId}`;
      const keys = (o: object) => Object.keys(o).sort();
      const local = await getJson<AgentStateJson>(`${agentUrl}/state`);
      const simulated = await getJson<AgentStateJson>(`${simUrl}/state`);
      expect(keys(simulated)).toEqual(keys(local).filter((k) => k !== 'log_dir'));
      const localFramework = local.frameworks[0]!;
      const simFramework = simulated.frameworks.find((f) => f.executors.length > 0)!;
      expect(keys(simFramework)).toEqual(keys(localFramework));
      expect(keys(simFramework.executors[0]!)).toEqual(keys(localFramework.executors[0]!));

      const localFlags = (await getJson<{ flags: Record<string, string> }>(`${agentUrl}/flags`)).flags;
      const simFlags = (await getJson<{ flags: Record<string, string> }>(`${simUrl}/flags`)).flags;
      expect(keys(simFlags)).toEqual(keys(localFlags).filter((k) => k !== 'log_dir'));
      expect(simFlags.work_dir).toBe(agent.workDir);

      const localMetrics = await getJson<Record<string, number>>(`${agentUrl}/metrics/snapshot`);
      const simMetrics = await getJson<Record<string, number>>(`${sim.agents[0]!.url}/metrics/snapshot`);
      expect(keys(simMetrics)).toEqual(keys(localMetrics).filter((k) => !k.startsWith('system/')));
      expect(simMetrics['slave/tasks_running']).toBe(agent.tasks.size);

      const statistics = await getJson<{ executor_id: string; statistics: Record<string, number> }[]>(
        `${simUrl}/monitor/statistics`,
      );
      expect(statistics.map((s) => s.executor_id).sort()).toEqual([...agent.tasks].map((t) => t.id).sort());
      expect(statistics[0]?.statistics.mem_rss_bytes).toBeGreaterThan(0);
    } finally {
      await sim.close();
    }
  });
});
