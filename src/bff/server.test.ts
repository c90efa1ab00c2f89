/**
 * server.ts as operators run it: its own process, default options. Safe defaults (loopback only) and a
 * graceful shutdown that leaves no task process behind; with --master, a shutdown that a slow download cannot
 * hold past --shutdown-timeout, after which a replacement keeps the history on disk.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryView } from './schemas/wall';
import { readFixture } from './testing/fixture-cluster';
import { startBffProcess } from '../testing/bff-process';
import type { BffProcess } from '../testing/bff-process';

/** Whether a TCP connection to host:port is accepted. */
function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 3_000 });
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Processes whose working directory is inside `dir`: the local cluster's tasks run in their sandboxes. */
function processesIn(dir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/cwd`).startsWith(dir)) found.push(Number(entry));
    } catch {
      // gone, or not ours to look at
    }
  }
  return found;
}

interface LogRecord {
  msg: string;
  level: number;
}

/** Starts server.ts with `args` and no MESOSCOPE_* / HOST / MESOS_MASTER from this environment. */
async function startServer(args: string[]): Promise<{ bff: BffProcess; port: number }> {
  const bff = await startBffProcess(args, { cleanEnv: true, waitFor: 'readyz', timeoutMs: 60_000 });
  return { bff, port: Number(new URL(bff.baseUrl).port) };
}

/** The JSON log records it printed so far. */
function recordsOf(bff: BffProcess): LogRecord[] {
  return bff
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{') && line.endsWith('}'))
    .map((line) => JSON.parse(line) as LogRecord);
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
  );
}

describe('server.ts with default options', () => {
  let bff: BffProcess;
  let child: ChildProcess;
  let port: number;
  let dataDir: string;
  const records = () => recordsOf(bff);
  let workDir = '';

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'mesoscope-data-'));
    ({ bff, port } = await startServer(['--agents', '1', '--data-dir', dataDir]));
    child = bff.child;
    workDir =
      /sandboxes in (\S+)/.exec(records().find((r) => r.msg.startsWith('local cluster'))?.msg ?? '')?.[1] ??
      '';
  }, 90_000);

  afterAll(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('listens on loopback only, says so, and cannot be reached on any other address of this machine', async () => {
    expect(await connects('127.0.0.1', port)).toBe(true);
    expect(records().some((r) => r.msg.includes('(listening on 127.0.0.1 only)'))).toBe(true);
    const others = Object.values(os.networkInterfaces())
      .flat()
      .filter((address) => address && !address.internal && address.family === 'IPv4')
      .map((address) => address!.address);
    // With no other address, the explicit 127.0.0.1 in the log line above is the whole proof.
    for (const address of others) expect(await connects(address, port), address).toBe(false);
  });

  it('logs JSON records with request ids', async () => {
    // At the default level a request that went well is not logged; one that failed is, with its id.
    await fetch(`http://127.0.0.1:${port}/api/status`, { headers: { 'x-request-id': 'server-test-0' } });
    await fetch(`http://127.0.0.1:${port}/api/no-such-view`, {
      headers: { 'x-request-id': 'server-test-1' },
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const byId = (id: string) => records().filter((r) => (r as { reqId?: string }).reqId === id);
    expect(byId('server-test-1')).toEqual([expect.objectContaining({ msg: 'request', status: 404 })]);
    expect(byId('server-test-0')).toEqual([]);
  });

  it('on SIGTERM finishes the request in flight, stops every task process and exits 0', async () => {
    expect(workDir).not.toBe('');
    // The demo scenario's tasks are real processes in the cluster's sandboxes.
    const deadline = Date.now() + 20_000;
    while (processesIn(workDir).length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(processesIn(workDir).length).toBeGreaterThan(0);

    const inFlight = fetch(`http://127.0.0.1:${port}/api/overview`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    await answer.json();
    expect(await exited).toBe(0);
    expect(processesIn(workDir)).toEqual([]);
    expect(await connects('127.0.0.1', port)).toBe(false);
  }, 30_000);
});

describe('server.ts with --master, shut down during a slow download', () => {
  const SHUTDOWN_TIMEOUT_MS = 1_500;
  let master: http.Server;
  let agent: http.Server;
  let masterUrl: string;
  let agentId: string;
  let dataDir: string;
  const started: ChildProcess[] = [];
  /** Download responses the fake agent is still trickling. */
  const trickling = new Set<http.ServerResponse>();

  beforeAll(async () => {
    // The agent sends a file one byte every 100 ms, for ever: a client on a very slow link.
    agent = http.createServer((req, res) => {
      if (!req.url?.startsWith('/files/download')) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      trickling.add(res);
      const tick = setInterval(() => res.write('x'), 100);
      res.on('close', () => {
        clearInterval(tick);
        trickling.delete(res);
      });
    });
    const agentPort = await listen(agent);
    const state = readFixture('v0.27.1-capgemini/master-state.json');
    state.slaves = [{ ...state.slaves[0], pid: `slave(1)@127.0.0.1:${agentPort}` }];
    agentId = state.slaves[0].id as string;
    master = http.createServer((req, res) => {
      const pathname = new URL(req.url ?? '/', 'http://x').pathname;
      if (pathname === '/master/state' || pathname === '/state') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(state));
      } else {
        res.writeHead(404).end();
      }
    });
    masterUrl = `http://127.0.0.1:${await listen(master)}`;
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'mesoscope-data-'));
  });

  afterAll(async () => {
    for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
    for (const server of [master, agent]) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function startBff() {
    const { bff, port } = await startServer([
      '--master',
      masterUrl,
      '--data-dir',
      dataDir,
      '--shutdown-timeout',
      String(SHUTDOWN_TIMEOUT_MS),
      '--poll-interval',
      '1000',
    ]);
    started.push(bff.child);
    const history = async () =>
      (await (await fetch(`http://127.0.0.1:${port}/api/history?window=1h`)).json()) as HistoryView;
    return { child: bff.child, records: () => recordsOf(bff), port, history };
  }

  it('exits within the shutdown timeout, cuts the download, and the replacement keeps the history on disk', async () => {
    const first = await startBff();
    const before = await first.history();
    expect(before.persistence).toBe('disk');
    expect(before.samples).toBeGreaterThan(0);

    // A download through the BFF, from the agent that trickles: it would take for ever.
    const download = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http
        .get(`http://127.0.0.1:${first.port}/agent/${agentId}/files/download?path=/var/log/big`, resolve)
        .on('error', reject),
    );
    expect(download.statusCode).toBe(200);
    let received = 0;
    download.on('data', (chunk: Buffer) => (received += chunk.length));
    const downloadEnded = new Promise<boolean>((resolve) => {
      download.on('error', () => resolve(false));
      download.on('close', () => resolve(download.complete));
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received).toBeGreaterThan(0);
    expect(trickling.size).toBe(1);

    const exited = new Promise<number | string | null>((resolve) => {
      first.child.once('exit', (code) => resolve(code));
      setTimeout(() => resolve('still running'), SHUTDOWN_TIMEOUT_MS + 10_000);
    });
    const signalledAt = Date.now();
    first.child.kill('SIGTERM');
    const code = await exited;
    const took = Date.now() - signalledAt;
    // The download kept it from closing gracefully: it waited the timeout, then stopped anyway.
    expect(code).toBe(1);
    expect(took).toBeGreaterThanOrEqual(SHUTDOWN_TIMEOUT_MS);
    // Well before the last-resort exit (3 s after the timeout): the orderly close finished once cut loose.
    expect(took).toBeLessThan(SHUTDOWN_TIMEOUT_MS + 2_000);
    // The client's connection was closed under it (not left to finish), and so was the upstream one.
    expect(await downloadEnded).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(trickling.size).toBe(0);
    expect(first.records().map((r) => r.msg)).toContain(
      `requests still in flight after ${SHUTDOWN_TIMEOUT_MS} ms: closing their connections`,
    );
    // The history lock went with it.
    expect(readdirSync(dataDir).filter((name) => name.endsWith('.lock'))).toEqual([]);

    // Started right away on the same data directory: history on disk, with what the first one recorded.
    const second = await startBff();
    const after = await second.history();
    expect(after.persistence).toBe('disk');
    expect(after.samples).toBeGreaterThanOrEqual(before.samples);
    expect(second.records().filter((r) => /history kept in memory only/.test(r.msg))).toEqual([]);

    const secondExited = new Promise<number | null>((resolve) =>
      second.child.once('exit', (exitCode) => resolve(exitCode)),
    );
    second.child.kill('SIGTERM');
    // Nothing in flight this time: a graceful exit.
    expect(await secondExited).toBe(0);
    expect(readdirSync(dataDir).filter((name) => name.endsWith('.lock'))).toEqual([]);
  }, 90_000);
});
