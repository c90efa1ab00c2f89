import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { alive, eventually, getJson, runningPids } from '../test-helpers';
import type { MasterStateJson } from '../test-helpers';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const workDir = mkdtempSync(join(tmpdir(), 'mesoscope-watchdog-'));

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('watchdog', () => {
  it('kills task processes when the cluster process is SIGKILLed', async () => {
    // Run main.ts in this node child directly (not via the tsx CLI wrapper), so SIGKILL hits the cluster itself.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cluster/main.ts', '--agents', '1', '--port', '0', '--work-dir', workDir],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const masterUrl = await eventually(async () => /Mesos master: (\S+)/.exec(output)?.[1], 20_000);
      const pids = await eventually(async () => {
        const state = await getJson<MasterStateJson>(`${masterUrl}/master/state`);
        const running = runningPids(state);
        return running.length >= 4 ? running : undefined;
      }, 30_000);
      expect(pids.every((pid) => alive(pid))).toBe(true);
      child.kill('SIGKILL');
      await eventually(async () => (pids.every((pid) => !alive(pid, true)) ? true : undefined), 15_000);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
