import { describe, expect, it } from 'vitest';
import { modeString } from './http/file-info';
import { createIdSource } from './master/ids';
import {
  defaultLocalAgentPorts,
  formatRanges,
  pickPorts,
  resourcesJson,
  subtractRanges,
} from './master/resources';
import { completeUtf8Length } from './http/utf8';

describe('completeUtf8Length', () => {
  it('drops only an incomplete trailing sequence', () => {
    const euro = Buffer.from('a€', 'utf8'); // 61 e2 82 ac
    expect(completeUtf8Length(euro)).toBe(4);
    expect(completeUtf8Length(euro.subarray(0, 3))).toBe(1);
    expect(completeUtf8Length(euro.subarray(0, 2))).toBe(1);
    const emoji = Buffer.from('😀', 'utf8');
    expect(completeUtf8Length(emoji.subarray(0, 3))).toBe(0);
    expect(completeUtf8Length(Buffer.from('plain'))).toBe(5);
    expect(completeUtf8Length(Buffer.from([0xff, 0x41]))).toBe(2);
  });
});

describe('resources', () => {
  it('gives each of the first ten local agents ports no other one offers', () => {
    const blocks = Array.from({ length: 10 }, (_, i) => defaultLocalAgentPorts(i));
    for (const [i, a] of blocks.entries()) {
      expect(a[0]![1] - a[0]![0]).toBe(99);
      for (const b of blocks.slice(i + 1)) expect(subtractRanges(a, b)).toEqual(a);
    }
    expect(blocks[0]).toEqual([[31000, 31099]]);
    expect(defaultLocalAgentPorts(10)).toEqual(blocks[0]);
  });

  it('formats and subtracts port ranges like Mesos', () => {
    expect(formatRanges([[31000, 32000]])).toBe('[31000-32000]');
    const left = subtractRanges(
      [[31000, 32000]],
      [
        [31000, 31001],
        [31500, 31500],
      ],
    );
    expect(formatRanges(left)).toBe('[31002-31499, 31501-32000]');
    expect(pickPorts(left, 2)).toEqual([[31002, 31003]]);
    expect(pickPorts([[1, 1]], 2)).toBeUndefined();
    expect(resourcesJson({ cpus: 1, gpus: 0, mem: 2, disk: 3, ports: [] })).toEqual({
      cpus: 1,
      gpus: 0,
      mem: 2,
      disk: 3,
    });
  });
});

describe('modeString', () => {
  it('renders ls -l style modes', () => {
    expect(modeString(0o040755)).toBe('drwxr-xr-x');
    expect(modeString(0o100644)).toBe('-rw-r--r--');
    expect(modeString(0o120777)).toBe('lrwxrwxrwx');
  });
});

describe('createIdSource', () => {
  it('is deterministic per seed and yields v4 UUIDs', () => {
    const a = createIdSource(1);
    const b = createIdSource(1);
    const c = createIdSource(2);
    const first = a.uuid();
    expect(first).toBe(b.uuid());
    expect(first).not.toBe(c.uuid());
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
