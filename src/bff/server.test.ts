/**
 * server.ts as operators run it: its own process, default options. Safe defaults (loopback only) and a
 * graceful shutdown that leaves no task process behind.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

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

describe('server.ts with default options', () => {
  let child: ChildProcess;
  let port: number;
  let dataDir: string;
  const records: LogRecord[] = [];
  let workDir = '';

  beforeAll(async () => {
    port = await freePort();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'mesoscope-data-'));
    const env = { ...process.env };
    for (const name of Object.keys(env))
      if (name === 'HOST' || name.startsWith('MESOSCOPE_')) delete env[name];
    delete env['MESOS_MASTER'];
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/bff/server.ts',
        '--port',
        String(port),
        '--agents',
        '1',
        '--data-dir',
        dataDir,
      ],
      {
        cwd: root,
        env,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('{')) records.push(JSON.parse(line) as LogRecord);
    });
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) break;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    workDir =
      /sandboxes in (\S+)/.exec(records.find((r) => r.msg.startsWith('local cluster'))?.msg ?? '')?.[1] ?? '';
  }, 90_000);

  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('listens on loopback only, says so, and cannot be reached on any other address of this machine', async () => {
    expect(await connects('127.0.0.1', port)).toBe(true);
    expect(records.some((r) => r.msg.includes('(listening on 127.0.0.1 only)'))).toBe(true);
    const others = Object.values(os.networkInterfaces())
      .flat()
      .filter((address) => address && !address.internal && address.family === 'IPv4')
      .map((address) => address!.address);
    // With no other address, the explicit 127.0.0.1 in the log line above is the whole proof.
    for (const address of others) expect(await connects(address, port), address).toBe(false);
  });

  it('logs JSON records with request ids', async () => {
    await fetch(`http://127.0.0.1:${port}/api/status`, { headers: { 'x-request-id': 'server-test-1' } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(records.filter((r) => (r as { reqId?: string }).reqId === 'server-test-1').length).toBeGreaterThan(
      0,
    );
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
