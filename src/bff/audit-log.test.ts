import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from './audit-log';
import type { AuditEntry } from './audit-log';

const entry = (n: number, patch: Partial<AuditEntry> = {}): AuditEntry => ({
  at: new Date(1_700_000_000_000 + n * 1000).toISOString(),
  user: 'alice',
  action: 'deactivate-agent',
  target: `agent S${n}`,
  outcome: 'done',
  status: 200,
  message: 'DEACTIVATE_AGENT accepted (HTTP 200)',
  requestId: `req-${n}`,
  ...patch,
});

describe('AuditLog', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mesoscope-audit-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('appends one JSON line per entry, creating the data directory, and lists them newest first', async () => {
    const log = new AuditLog(path.join(dir, 'data'));
    await Promise.all([log.record(entry(1)), log.record(entry(2)), log.record(entry(3))]);
    const lines = readFileSync(path.join(dir, 'data', 'audit.log'), 'utf8')
      .trim()
      .split('\n');
    expect(lines.map((line) => (JSON.parse(line) as AuditEntry).requestId)).toEqual([
      'req-1',
      'req-2',
      'req-3',
    ]);
    expect((await log.recent()).map((e) => e.requestId)).toEqual(['req-3', 'req-2', 'req-1']);
  });

  it('skips lines that are not entries and keeps the rest', async () => {
    const log = new AuditLog(dir);
    await log.record(entry(1));
    appendFileSync(path.join(dir, 'audit.log'), 'not json\n{"half": \n42\n');
    await log.record(entry(2));
    expect((await log.recent()).map((e) => e.requestId)).toEqual(['req-2', 'req-1']);
  });

  it('reads only the end of a long log, without a torn first line', async () => {
    const log = new AuditLog(dir);
    const long = 'x'.repeat(2_000);
    for (let n = 0; n < 700; n++) await log.record(entry(n, { message: long }));
    const recent = await log.recent(1_000);
    expect(recent.length).toBeGreaterThan(100);
    expect(recent.length).toBeLessThan(700);
    expect(recent[0]?.requestId).toBe('req-699');
    expect(recent.every((e) => e.message === long)).toBe(true);
  });

  it('keeps entries in memory without a data directory', async () => {
    const log = new AuditLog(null);
    await log.record(entry(1));
    await log.record(entry(2, { outcome: 'refused', status: 403 }));
    expect(await log.recent()).toEqual([entry(2, { outcome: 'refused', status: 403 }), entry(1)]);
  });
});
