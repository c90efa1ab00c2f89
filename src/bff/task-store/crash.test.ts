import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { newTestStorePlace, openTestStore } from './test-stores';

describe('a SQLite task store killed with SIGKILL while writing', () => {
  it('opens intact with every write it had committed', async () => {
    const place = await newTestStorePlace('SQLite');
    const file = place.where;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/bff/testing/task-store-writer.ts', file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let committed = 0;
    let buffered = '';
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the writer exited by itself (${code})`)));
      child.stdout.on('data', (data: Buffer) => {
        buffered += data.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) committed = Number(line.split(' ')[1]);
        // Killed between two reports: a transaction is under way or about to be.
        if (committed >= 4_000) {
          child.removeAllListeners('exit');
          child.kill('SIGKILL');
          child.once('exit', () => resolve());
        }
      });
    });
    const raw = new Database(file);
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();
    const store = await openTestStore(place);
    const { tasks, statuses } = await store.stats();
    expect(tasks).toBeGreaterThanOrEqual(committed);
    expect(statuses).toBe(tasks * 2);
    // And it goes on accepting writes.
    const page = await store.listTasks('crash', { from: 0, to: Date.now(), limit: 1 });
    expect(page.tasks[0]?.taskId).toBe(`burst.${tasks - 1}`);
    await store.close();
  }, 60_000);
});
