/**
 * Test and benchmark support: mesoscope as operators run it (server.ts in its own process) over a fake master
 * that is also its one agent and serves a file of one long line, and the memory figures of that process.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeUpstream } from '../upstream/fake-upstream';
import type { FakeUpstream } from '../upstream/fake-upstream';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const STATE_FIXTURE = path.join(root, 'fixtures/mesos/v0.27.1-capgemini/master-state.json');
export const LINE_AGENT_ID = 'agent-flood-S0';
/** The line: 8 MiB without a newline, the most one line-text answer carries. */
export const LINE_BYTES = 8 * 1024 * 1024;

/** VmRSS and VmHWM (peak) of a process, in MiB. */
export function memoryMiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

/** A master that is also the agent, serving one file of one 8 MiB line through /files/read. */
export async function startLineServer(): Promise<FakeUpstream> {
  const block = 'x'.repeat(64 * 1024);
  const fake: FakeUpstream = await startFakeUpstream((req, res) => {
    const target = new URL(req.url ?? '/', 'http://fake');
    const { host, hostname, port } = new URL(fake.url);
    if (target.pathname === '/master/redirect') return res.writeHead(307, { location: `//${host}` }).end();
    if (target.pathname === '/master/state') {
      const state = JSON.parse(readFileSync(STATE_FIXTURE, 'utf8')) as Record<string, unknown>;
      const agent = structuredClone((state['slaves'] as Record<string, unknown>[])[0]!);
      Object.assign(agent, { id: LINE_AGENT_ID, pid: `slave(1)@${host}`, hostname, port: Number(port) });
      const body = { ...state, pid: `master@${host}`, leader: `master@${host}`, hostname, slaves: [agent] };
      return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    }
    if (target.pathname === '/files/read') {
      const offset = Number(target.searchParams.get('offset'));
      if (offset < 0) return res.end(`{"offset":${LINE_BYTES},"data":""}`);
      const length = Math.max(0, Math.min(Number(target.searchParams.get('length')), LINE_BYTES - offset));
      return res.end(`{"offset":${offset},"data":"${block.slice(0, Math.min(length, block.length))}"}`);
    }
    if (target.pathname === '/metrics/snapshot') return res.end('{}');
    return res.writeHead(404).end();
  });
  return fake;
}
