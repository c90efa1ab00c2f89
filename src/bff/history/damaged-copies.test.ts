import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { damagedCopies, keepDamagedCopy } from './damaged-copies';

describe('copies of damaged history files', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mesoscope-copies-'));
    file = path.join(dir, 'history-local.bin');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names each copy by the time it was made, and never writes over one made in the same millisecond', () => {
    const now = Date.UTC(2026, 11, 2, 18, 33, 12, 345);
    const made: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      writeFileSync(file, `damage ${i}`);
      made.push(keepDamagedCopy(file, now).copy);
    }
    expect(made.map((copy) => path.basename(copy))).toEqual([
      'history-local.bin.corrupt-2026-12-02T18-33-12-345Z',
      'history-local.bin.corrupt-2026-12-02T18-33-12-345Z-2',
      'history-local.bin.corrupt-2026-12-02T18-33-12-345Z-3',
    ]);
    expect(made.map((copy) => readFileSync(copy, 'utf8'))).toEqual(['damage 0', 'damage 1', 'damage 2']);
  });

  it('keeps the newest ones up to the bound, an older mesoscope’s `.corrupt` counting as the oldest', () => {
    writeFileSync(`${file}.corrupt`, 'old style');
    writeFileSync(path.join(dir, 'history-other.bin.corrupt-2020-01-01T00-00-00-000Z'), 'another file');
    const start = Date.UTC(2026, 0, 1);
    const removed: string[][] = [];
    for (let i = 0; i < 4; i += 1) {
      writeFileSync(file, `damage ${i}`);
      // Made out of order on purpose: they sort by the time in their names.
      removed.push(keepDamagedCopy(file, start + (i % 2 === 0 ? i : 10 - i) * 1_000, 3).removed);
    }
    expect(removed.map((list) => list.map((name) => path.basename(name)))).toEqual([
      [],
      [],
      ['history-local.bin.corrupt'],
      ['history-local.bin.corrupt-2026-01-01T00-00-00-000Z'],
    ]);
    expect(damagedCopies(file).map((copy) => readFileSync(copy, 'utf8'))).toEqual([
      'damage 2',
      'damage 3',
      'damage 1',
    ]);
    expect(readFileSync(path.join(dir, 'history-other.bin.corrupt-2020-01-01T00-00-00-000Z'), 'utf8')).toBe(
      'another file',
    );
  });
});
