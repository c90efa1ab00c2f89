/**
 * The real `mesoscope` CLI, run as its package bin in a temporary directory: a cluster from a cluster file (two
 * racks, three agents), Marathon apps and groups installed through it, seen in `ps`, `logs`, Mesos-DNS (with
 * `dig`) and the dashboard's own API, then `down` with no process left. And every bad input it must refuse.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive, eventually, getJson } from '../cluster/test-helpers';
import { freePort } from '../testing/free-port';
import type { ClusterInfo } from './runtime';
import { hasDig } from '../testing/has-dig';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/mesoscope.js');
/** In every task's command line, so that any process the cluster left behind can be found. */
const MARKER = `mesoscope-cli-test-${process.pid}`;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function mesoscope(cwd: string, ...args: string[]): Promise<Run> {
  return mesoscopeWithInput(cwd, null, ...args);
}

function mesoscopeWithInput(cwd: string, input: string | null, ...args: string[]): Promise<Run> {
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      { cwd, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
    child.stdin?.end(input ?? '');
  });
}

/** Pids of live processes whose command line has the marker (the tasks and their watchdogs). */
function markedProcesses(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(MARKER);
      } catch {
        return false;
      }
    })
    .map(Number);
}

function dig(port: number, name: string, type: 'A' | 'SRV'): string[] {
  const out = execFileSync(
    'dig',
    ['@127.0.0.1', '-p', String(port), name, type, '+short', '+tries=1', '+time=3'],
    { encoding: 'utf8' },
  );
  return out.split('\n').filter((line) => line.trim() !== '');
}

const CLUSTER_FILE = `name: cli-test
agents:
  - hostname: a1.rack1.test
    attributes: rack:1;region:ger;disk:ssd
  - hostname: a2.rack2.test
    attributes: rack:2;region:ger;disk:hdd
  - hostname: a3.rack2.test
    attributes: rack:2;region:ger;disk:hdd
services: { marathon: true, chronos: false, mesos_dns: true }
`;

const WEB_APP = {
  id: '/web',
  cmd: `echo "master is \${MESOSCOPE_MASTER}"; sleep 600 # ${MARKER}`,
  cpus: 0.1,
  mem: 32,
  instances: 3,
  constraints: [['hostname', 'UNIQUE']],
  portDefinitions: [{ port: 0, name: 'http' }],
};

const SHOP_GROUP = {
  id: '/shop',
  apps: [
    { id: '/shop/db', cmd: `sleep 600 # ${MARKER}`, cpus: 0.1, mem: 32, instances: 1 },
    {
      id: '/shop/api',
      cmd: `sleep 600 # ${MARKER}`,
      cpus: 0.1,
      mem: 32,
      instances: 1,
      dependencies: ['/shop/db'],
    },
  ],
};

// Each command starts Node and compiles the CLI: seconds apiece when the cores are busy.
describe('mesoscope CLI: bad input, with nothing running', { timeout: 60_000 }, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mesoscope-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('an unknown command or flag is exit code 2 with the usage', async () => {
    const command = await mesoscope(dir, 'destroy');
    expect(command.code).toBe(2);
    expect(command.stderr).toContain("mesoscope: unknown command 'destroy'");
    expect(command.stderr).toContain('Usage: mesoscope <command>');
    const flag = await mesoscope(dir, 'up', '--agents', '3');
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("mesoscope: up: unknown flag '--agents'");
    expect(flag.stderr).toContain('Usage: mesoscope <command>');
  });

  it('a cluster file with a typo in a field, or an agent with negative resources, names file, line and field', async () => {
    writeFileSync(join(dir, 'typo.yaml'), 'agents:\n  - hostname: a\n    atributes: rack:1\n');
    const typo = await mesoscope(dir, 'up', '--cluster-file', 'typo.yaml');
    expect([typo.code, typo.stderr.trim()]).toEqual([
      2,
      "mesoscope: typo.yaml:3: agents.0.atributes: unknown field 'atributes'",
    ]);
    writeFileSync(join(dir, 'negative.yaml'), 'agents:\n  - hostname: a\n    resources:\n      mem: -512\n');
    const negative = await mesoscope(dir, 'up', '--cluster-file', 'negative.yaml');
    expect([negative.code, negative.stderr.trim()]).toEqual([
      2,
      'mesoscope: negative.yaml:4: agents.0.resources.mem: must not be negative',
    ]);
    expect(existsSync(join(dir, '.mesoscope/cluster.json'))).toBe(false);
    // Without --cluster-file, the directory's mesoscope.cluster.yaml is the cluster file.
    const here = mkdtempSync(join(dir, 'here-'));
    writeFileSync(join(here, 'mesoscope.cluster.yaml'), 'masters: 2\n');
    const implicit = await mesoscope(here, 'up');
    expect([implicit.code, implicit.stderr.trim().split('\n')]).toEqual([
      2,
      [
        'using the cluster file mesoscope.cluster.yaml',
        expect.stringMatching(/^mesoscope: mesoscope\.cluster\.yaml:1: masters: /),
      ],
    ]);
  });

  it('ps with nothing running is exit code 3 saying how to start', async () => {
    const ps = await mesoscope(dir, 'ps');
    expect(ps.code).toBe(3);
    expect(ps.stderr).toMatch(/^mesoscope: nothing is running here .*start it with 'mesoscope up'/);
  });

  it('runs as the package bin through npx', async () => {
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const npx = await new Promise<string>((done, fail) =>
      execFile(
        'npx',
        ['--prefix', ROOT, 'mesoscope', 'version'],
        { cwd: dir, timeout: 60_000, env: { ...process.env, npm_config_offline: 'true' } },
        (error, stdout) => (error ? fail(error) : done(stdout)),
      ),
    );
    expect(npx.trim()).toBe(`mesoscope ${version.version}`);
  });
});

describe('mesoscope CLI: a cluster from a cluster file', { timeout: 90_000 }, () => {
  let dir: string;
  let cluster: ClusterInfo;
  let exports: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mesoscope-cli-'));
    writeFileSync(join(dir, 'mesoscope.cluster.yaml'), CLUSTER_FILE);
    writeFileSync(join(dir, 'web.json'), JSON.stringify(WEB_APP, null, 2));
    writeFileSync(join(dir, 'shop.json'), JSON.stringify(SHOP_GROUP, null, 2));
    const port = await freePort();
    const up = await mesoscope(dir, 'up', '--cluster-file', 'mesoscope.cluster.yaml', '--port', String(port));
    if (up.code !== 0) throw new Error(`up failed (${up.code}): ${up.stderr}`);
    exports = Object.fromEntries(
      up.stdout
        .trim()
        .split('\n')
        .map((line) => /^export (\w+)=(.*)$/.exec(line)!.slice(1, 3) as [string, string]),
    );
    cluster = JSON.parse(readFileSync(join(dir, '.mesoscope/cluster.json'), 'utf8')) as ClusterInfo;
  }, 120_000);

  afterAll(() => {
    // Only if a test failed before `down`: nothing of it may outlive the run.
    if (cluster && alive(cluster.pid)) process.kill(-cluster.pid, 'SIGKILL');
    for (const pid of markedProcesses()) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the export lines, writes .mesoscope/cluster.json, and a second up says it runs', async () => {
    expect(Object.keys(exports)).toEqual([
      'MESOSCOPE_MASTER',
      'MESOSCOPE_MARATHON',
      'MESOSCOPE_DNS',
      'MESOSCOPE_DASHBOARD',
    ]);
    expect(exports['MESOSCOPE_MASTER']).toBe(cluster.master);
    expect(exports['MESOSCOPE_DNS']).toBe(cluster.dns);
    expect(alive(cluster.pid)).toBe(true);
    const state = await getJson<{ slaves: { hostname: string; attributes: Record<string, unknown> }[] }>(
      `${cluster.master}/master/state`,
    );
    expect(state.slaves.map((agent) => [agent.hostname, agent.attributes['rack']]).sort()).toEqual([
      ['a1.rack1.test', 1],
      ['a2.rack2.test', 2],
      ['a3.rack2.test', 2],
    ]);
    const info = await mesoscope(dir, 'info');
    expect(info.code).toBe(0);
    expect(info.stdout).toContain(`export MESOSCOPE_MASTER=${cluster.master}\n`);
    expect(info.stdout).toMatch(/# mesos-dns +answering/);
    expect(info.stdout).toMatch(/# chronos +not started/);
    const agent = cluster.agents.find((candidate) => candidate.hostname === 'a1.rack1.test')!;
    const agentState = await mesoscope(dir, 'state', '--agent', agent.id);
    expect(agentState.code).toBe(0);
    expect(JSON.parse(agentState.stdout)).toMatchObject({ id: agent.id, hostname: 'a1.rack1.test' });
    const again = await mesoscope(dir, 'up', '--cluster-file', 'mesoscope.cluster.yaml');
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(`mesoscope is already running here (pid ${cluster.pid}`);
  });

  it('up elsewhere on the port in use is exit code 4, and starts nothing', async () => {
    const other = mkdtempSync(join(tmpdir(), 'mesoscope-cli-'));
    try {
      const port = new URL(cluster.dashboard).port;
      const up = await mesoscope(other, 'up', '--port', port);
      expect([up.code, up.stderr.trim()]).toEqual([
        4,
        `mesoscope: port ${port} is in use: choose another with --port N`,
      ]);
      expect(existsSync(join(other, '.mesoscope/cluster.json'))).toBe(false);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('an app file that is not JSON is exit code 2 naming the file and line', async () => {
    writeFileSync(join(dir, 'broken.json'), '{\n  "id": "/broken",\n  "cmd": "sleep 1",\n}\n');
    const install = await mesoscope(dir, 'install', '--app', 'broken.json');
    expect(install.code).toBe(2);
    expect(install.stderr).toMatch(/^mesoscope: broken\.json:4: not JSON: /);
    expect((await getJson<{ apps: unknown[] }>(`${cluster.marathon}/v2/apps`)).apps).toEqual([]);
  });

  it('installs a UNIQUE-hostname app and a group with dependencies; ps shows them on three agents', async () => {
    const app = await mesoscope(dir, 'install', '--app', 'web.json');
    expect([app.code, app.stdout]).toEqual([0, expect.stringMatching(/^installed app \/web \(deployment /)]);
    const group = await mesoscope(dir, 'install', '--group', 'shop.json');
    expect([group.code, group.stdout]).toEqual([0, expect.stringMatching(/^installed group \/shop/)]);
    const again = await mesoscope(dir, 'install', '--app', 'web.json');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('(use --update to change it)');

    await eventually(async () => {
      const state = await getJson<{ frameworks: { tasks: { state: string }[] }[] }>(
        `${cluster.master}/master/state`,
      );
      const running = state.frameworks.flatMap((f) => f.tasks).filter((t) => t.state === 'TASK_RUNNING');
      return running.length === 5 ? true : undefined;
    }, 30_000);
    const ps = await mesoscope(dir, 'ps');
    expect(ps.code).toBe(0);
    const [header, ...lines] = ps.stdout.trim().split('\n');
    expect(header!.split(/\s{2,}/)).toEqual(['FRAMEWORK', 'TASK', 'STATE', 'AGENT', 'PORTS', 'DNS NAME']);
    const rows = lines.map((line) => line.split(/\s{2,}/));
    const web = rows.filter((row) => row[5] === 'web.marathon.mesos');
    expect(web.map((row) => row[0])).toEqual(['marathon', 'marathon', 'marathon']);
    expect(web.map((row) => row[3]).sort()).toEqual(['a1.rack1.test', 'a2.rack2.test', 'a3.rack2.test']);
    expect(web.every((row) => row[2] === 'TASK_RUNNING' && /^\d+$/.test(row[4]!))).toBe(true);
    expect(rows.map((row) => row[5]).sort()).toEqual([
      'api-shop.marathon.mesos',
      'db-shop.marathon.mesos',
      'web.marathon.mesos',
      'web.marathon.mesos',
      'web.marathon.mesos',
    ]);
  });

  it("logs prints a task's stdout, with the tokens of its app file replaced", async () => {
    const ps = await mesoscope(dir, 'ps');
    const task = ps.stdout
      .split('\n')
      .find((line) => line.includes('web.marathon.mesos'))!
      .split(/\s+/)[1]!;
    const logs = await eventually(async () => {
      const run = await mesoscope(dir, 'logs', '--task', task);
      return run.code === 0 && run.stdout.includes('master is') ? run : undefined;
    }, 15_000);
    expect(logs.stdout).toContain(`master is ${cluster.master}`);
    const missing = await mesoscope(dir, 'logs', '--task', 'no-such-task');
    expect([missing.code, missing.stderr.trim()]).toEqual([
      2,
      "mesoscope: no task 'no-such-task' in the cluster ('mesoscope ps' lists them)",
    ]);
  });

  it.skipIf(!hasDig())('Mesos-DNS answers the app by name, A and SRV, as dig asks', async () => {
    const dnsPort = Number(cluster.dns!.split(':')[1]);
    const ps = await mesoscope(dir, 'ps');
    const webPorts = ps.stdout
      .split('\n')
      .filter((line) => line.includes('web.marathon.mesos'))
      .map((line) => Number(line.split(/\s{2,}/)[4]))
      .sort();
    const srv = await eventually(async () => {
      const answers = dig(dnsPort, '_web._tcp.marathon.mesos', 'SRV');
      return answers.length === 3 ? answers : undefined;
    }, 20_000);
    expect(srv.map((answer) => Number(answer.split(' ')[2])).sort()).toEqual(webPorts);
    expect(dig(dnsPort, 'web.marathon.mesos', 'A')).toEqual(['127.0.0.1']);
    expect(dig(dnsPort, 'nothing-here.marathon.mesos', 'A')).toEqual([]);
  });
  if (!hasDig()) {
    console.warn(
      "dig is missing: install it (Debian/Ubuntu: 'sudo apt-get install dnsutils') for the DNS part",
    );
  }

  it("the dashboard's own API shows the same tasks, and their names resolving", async () => {
    const ps = await mesoscope(dir, 'ps');
    const psTasks = ps.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(/\s{2,}/))
      .map((row) => `${row[1]} ${row[3]} ${row[2]}`)
      .sort();
    const page = await eventually(async () => {
      const tasks = await getJson<{
        rows: { id: string; frameworkId: string; agentHostname: string; state: string }[];
      }>(`${cluster.dashboard}/api/tasks?group=active&limit=100`);
      const shown = tasks.rows.map((row) => `${row.id} ${row.agentHostname} ${row.state}`).sort();
      return JSON.stringify(shown) === JSON.stringify(psTasks) ? tasks : undefined;
    }, 15_000);
    const web = page.rows.find((row) => row.id.startsWith('web.'))!;
    const dns = await eventually(async () => {
      const view = await getJson<{ configured: boolean; names: { name: string; answers: string[] }[] }>(
        `${cluster.dashboard}/api/tasks/${encodeURIComponent(web.frameworkId)}/${encodeURIComponent(web.id)}/dns`,
      );
      const a = view.names.find((name) => name.name === 'web.marathon.mesos');
      return a && a.answers.length > 0 ? view : undefined;
    }, 15_000);
    expect(dns.configured).toBe(true);
  });

  it('uninstall removes a group through Marathon, and install --stdin puts it back', async () => {
    const uninstall = await mesoscope(dir, 'uninstall', '--group', '/shop');
    expect([uninstall.code, uninstall.stdout]).toEqual([0, expect.stringMatching(/^removed group \/shop/)]);
    // Gone, and its removal finished: until then Marathon answers 409 to a new deployment of the group.
    await eventually(async () => {
      const groups = await getJson<{ groups: unknown[] }>(`${cluster.marathon}/v2/groups`);
      const deployments = await getJson<unknown[]>(`${cluster.marathon}/v2/deployments`);
      return groups.groups.length === 0 && deployments.length === 0 ? true : undefined;
    }, 15_000);
    const install = await mesoscopeWithInput(dir, JSON.stringify(SHOP_GROUP), 'install', '--stdin');
    expect([install.code, install.stdout, install.stderr]).toEqual([
      0,
      expect.stringMatching(/^installed group \/shop/),
      '',
    ]);
    const missing = await mesoscope(dir, 'uninstall', '--app', '/nothing');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^mesoscope: Marathon refused to remove app \/nothing \(404\)/);
  });

  it('down stops everything: no process of it is left, and its work dir is gone', async () => {
    expect(markedProcesses().length).toBeGreaterThanOrEqual(3);
    const down = await mesoscope(dir, 'down');
    expect(down.code).toBe(0);
    expect(down.stderr).toContain(`stopped mesoscope (pid ${cluster.pid})`);
    expect(alive(cluster.pid)).toBe(false);
    expect(alive(cluster.pid, true)).toBe(false);
    expect(markedProcesses()).toEqual([]);
    expect(existsSync(cluster.workDir)).toBe(false);
    expect(existsSync(join(dir, '.mesoscope/cluster.json'))).toBe(false);
    const ps = await mesoscope(dir, 'ps');
    expect(ps.code).toBe(3);
  }, 60_000);
});
