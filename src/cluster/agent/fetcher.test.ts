import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandUri } from './launch-contract';
import type { FrameworkRecord } from '../master/model';
import { startExecutorTestCluster } from './executor-test-cluster';
import type { ExecutorTestCluster } from './executor-test-cluster';

let cluster: ExecutorTestCluster;
let framework: FrameworkRecord;
let files: string;
let server: Server;
let base: string;
let tasks = 0;

/** `I1202 18:46:09.123456 12345 fetcher.cpp:459] ` */
const GLOG = String.raw`[IWE]\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ fetcher\.cpp:\d+\] `;

beforeAll(async () => {
  cluster = await startExecutorTestCluster();
  framework = cluster.registerFramework();
  files = join(cluster.workDir, 'files');
  mkdirSync(join(files, 'app', 'bin'), { recursive: true });
  writeFileSync(join(files, 'app', 'bin', 'hello'), 'echo hello from the archive\n');
  writeFileSync(join(files, 'app', 'README'), 'read me\n');
  execFileSync('tar', ['-C', files, '-czf', join(files, 'app.tar.gz'), 'app']);
  execFileSync('tar', ['-C', files, '-cjf', join(files, 'app.tar.bz2'), 'app']);
  mkdirSync(join(files, 'zipped'));
  writeFileSync(join(files, 'zipped', 'data.txt'), 'zipped data\n');
  execFileSync('zip', ['-q', '-r', join(files, 'data.zip'), 'zipped'], { cwd: files });
  writeFileSync(join(files, 'tool.sh'), '#!/bin/sh\necho tool ran with "$1"\n');
  writeFileSync(join(files, 'config.json'), '{"answer":42}');
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/artifacts/config.json') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(readFileSync(join(files, 'config.json')));
    } else if (path === '/moved') {
      res.writeHead(302, { Location: '/artifacts/config.json' });
      res.end();
    } else {
      res.writeHead(404);
      res.end('not here');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await cluster?.close();
});

function launch(cmd: string, uris: CommandUri[]) {
  return cluster.core.launchTask({ frameworkId: framework.id, name: `fetch-${tasks++}`, cmd, uris });
}

const stderrOf = (directory: string) => readFileSync(join(directory, 'stderr'), 'utf8');

describe('the fetcher', () => {
  it('copies a file:// archive, extracts it and logs what it did to stderr as Mesos does', async () => {
    const uri = pathToFileURL(join(files, 'app.tar.gz')).toString();
    const task = await launch('sh app/bin/hello > out', [{ value: uri, extract: true }]);
    const done = await cluster.waitForTask(task.id);
    expect(done.state).toBe('TASK_FINISHED');
    expect(readFileSync(join(task.directory, 'out'), 'utf8')).toBe('hello from the archive\n');
    expect(readFileSync(join(task.directory, 'app', 'README'), 'utf8')).toBe('read me\n');
    const stderr = stderrOf(task.directory);
    expect(stderr).toMatch(new RegExp(`^${GLOG}Fetcher Info: `, 'm'));
    expect(stderr).toMatch(new RegExp(`^${GLOG}Fetching URI '${uri}'$`, 'm'));
    expect(stderr).toMatch(
      new RegExp(`^${GLOG}Extracted '${task.directory}/app.tar.gz' into '${task.directory}'$`, 'm'),
    );
    expect(stderr).toMatch(new RegExp(`^${GLOG}Fetched '${uri}' to '${task.directory}/app.tar.gz'$`, 'm'));
    expect(stderr).toMatch(
      new RegExp(`^${GLOG}Successfully fetched all URIs into '${task.directory}'$`, 'm'),
    );
  });

  it('extracts .tar.bz2 and .zip archives too', async () => {
    const task = await launch('cat app/README zipped/data.txt > both', [
      { value: join(files, 'app.tar.bz2'), extract: true },
      { value: join(files, 'data.zip'), extract: true, output_file: 'archives/data.zip' },
    ]);
    expect((await cluster.waitForTask(task.id)).state).toBe('TASK_FINISHED');
    expect(readFileSync(join(task.directory, 'both'), 'utf8')).toBe('read me\nzipped data\n');
    // An archive is extracted into the sandbox, whichever name it was saved under.
    expect(statSync(join(task.directory, 'archives', 'data.zip')).isFile()).toBe(true);
    expect(stderrOf(task.directory)).toContain(
      `Extracting with command: unzip -o -q ${task.directory}/archives/data.zip -d ${task.directory}`,
    );
  });

  it('says so when the machine has no unzip', async () => {
    // A PATH with a shell and tar only.
    const bin = join(cluster.workDir, 'bin-without-unzip');
    mkdirSync(bin, { recursive: true });
    for (const program of ['sh', 'tar']) {
      symlinkSync(
        execFileSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' }).trim(),
        join(bin, program),
      );
    }
    const path = process.env.PATH;
    process.env.PATH = bin;
    try {
      await expect(launch('true', [{ value: join(files, 'data.zip'), extract: true }])).rejects.toThrow(
        /Failed to extract '.*\/data\.zip': 'unzip' is not available on this agent$/,
      );
    } finally {
      process.env.PATH = path;
    }
  });

  it('makes a fetched file executable and saves it where output_file says', async () => {
    const task = await launch('./bin/tool arg > out; cat conf/settings.json >> out', [
      { value: join(files, 'tool.sh'), executable: true, output_file: 'bin/tool' },
      { value: pathToFileURL(join(files, 'config.json')).toString(), output_file: 'conf/settings.json' },
    ]);
    expect((await cluster.waitForTask(task.id)).state).toBe('TASK_FINISHED');
    expect(statSync(join(task.directory, 'bin', 'tool')).mode & 0o777).toBe(0o755);
    expect(readFileSync(join(task.directory, 'out'), 'utf8')).toBe('tool ran with arg\n{"answer":42}');
  });

  it('downloads http:// URIs, following redirects', async () => {
    const task = await launch('cat config.json moved > out', [
      { value: `${base}/artifacts/config.json?version=1` },
      { value: `${base}/moved` },
    ]);
    expect((await cluster.waitForTask(task.id)).state).toBe('TASK_FINISHED');
    expect(readFileSync(join(task.directory, 'out'), 'utf8')).toBe('{"answer":42}{"answer":42}');
    expect(stderrOf(task.directory)).toContain(
      `Downloading resource from '${base}/artifacts/config.json?version=1' to '${task.directory}/config.json'`,
    );
  });

  it('fails the task with REASON_CONTAINER_LAUNCH_FAILED when a URI cannot be fetched, and never runs it', async () => {
    const cases: [CommandUri, RegExp][] = [
      [{ value: `${base}/missing.tar.gz` }, /Error downloading resource, received HTTP return code 404$/],
      [{ value: 'ftp://example.com/file' }, /Unsupported URI scheme 'ftp'/],
      [{ value: join(files, 'absent') }, /Failed to copy '.*absent': ENOENT/],
      [
        { value: join(files, 'config.json'), output_file: '../escape' },
        /Output file '..\/escape' is not inside the sandbox/,
      ],
      [{ value: 'relative/path' }, /'relative\/path' is neither an absolute path nor a URI/],
    ];
    for (const [uri, reason] of cases) {
      const name = `fetch-${tasks}`;
      await expect(launch('touch ran', [uri])).rejects.toThrow(reason);
      const task = cluster.core.frameworks.get(framework.id)?.completedTasks.find((t) => t.name === name);
      expect(task?.state, uri.value).toBe('TASK_FAILED');
      expect(task?.statuses.map((s) => s.state)).toEqual(['TASK_FAILED']);
      expect(task?.statuses[0]).toMatchObject({
        source: 'SOURCE_AGENT',
        reason: 'REASON_CONTAINER_LAUNCH_FAILED',
      });
      expect(task?.statuses[0]?.message).toMatch(
        new RegExp(
          `^Failed to launch container: Failed to fetch all URIs for container '${task?.containerId}': Failed to fetch '`,
        ),
      );
      expect(statSync(join(task!.directory, 'stderr')).size).toBeGreaterThan(0);
      expect(() => statSync(join(task!.directory, 'ran'))).toThrow();
      expect(stderrOf(task!.directory)).toMatch(
        new RegExp(`^E\\d{4} .* fetcher\\.cpp:\\d+\\] Failed to fetch '`, 'm'),
      );
    }
  });

  it("fetches a custom executor's URIs into its sandbox before it starts", async () => {
    cluster.core.executorLauncher?.({
      frameworkId: framework.id,
      agentId: cluster.agents[0]!.id,
      executor: {
        executor_id: { value: 'fetched' },
        type: 'CUSTOM',
        command: {
          value: 'sh app/bin/hello > hello.out; sleep 30',
          uris: [{ value: join(files, 'app.tar.gz'), extract: true }],
        },
      },
      tasks: [{ name: 'fetched-task', task_id: { value: 'fetched-task' }, resources: [] }],
      group: false,
    });
    const executor = cluster.executor('fetched')!;
    await cluster.waitForTask('fetched-task', ['TASK_STAGING']);
    const out = join(executor.directory, 'hello.out');
    await expect
      .poll(() => {
        try {
          return readFileSync(out, 'utf8');
        } catch {
          return '';
        }
      })
      .toBe('hello from the archive\n');
    await cluster.core.teardownFramework(framework.id);
  });
});

describe('an executor whose URIs cannot be fetched', () => {
  it('never starts, and its tasks fail with REASON_CONTAINER_LAUNCH_FAILED', async () => {
    const owner = cluster.registerFramework();
    cluster.core.executorLauncher?.({
      frameworkId: owner.id,
      agentId: cluster.agents[0]!.id,
      executor: {
        executor_id: { value: 'unfetchable' },
        type: 'CUSTOM',
        command: { value: 'touch started; sleep 30', uris: [{ value: `${base}/gone.tgz`, extract: true }] },
      },
      tasks: [{ name: 'orphan', task_id: { value: 'orphan' }, resources: [] }],
      group: false,
    });
    const task = await cluster.waitForTask('orphan');
    expect(task.state).toBe('TASK_FAILED');
    expect(task.statuses.at(-1)).toMatchObject({
      source: 'SOURCE_AGENT',
      reason: 'REASON_CONTAINER_LAUNCH_FAILED',
    });
    expect(task.statuses.at(-1)?.message).toMatch(/received HTTP return code 404$/);
    const executor = cluster.agents[0]!.completedExecutors.find((e) => e.id === 'unfetchable');
    expect(executor?.pid).toBeUndefined();
    expect(() => statSync(join(executor!.directory, 'started'))).toThrow();
  });
});

describe('a command task', () => {
  it('carries its container status on every update, TASK_STARTING included', async () => {
    const other = cluster.registerFramework();
    const task = await cluster.core.launchTask({ frameworkId: other.id, name: 'short', cmd: 'true' });
    const done = await cluster.waitForTask(task.id);
    expect(done.statuses.map((s) => s.state)).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
    for (const status of done.statuses) {
      expect(status.container_status).toEqual({
        container_id: { value: task.containerId },
        executor_pid: task.pid,
        network_infos: [{ ip_addresses: [{ protocol: 'IPv4', ip_address: '127.0.0.1' }] }],
      });
    }
  });
});
