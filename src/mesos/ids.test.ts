import { describe, expect, it } from 'vitest';
import { parsePid, truncateMesosId } from './ids';

describe('truncateMesosId', () => {
  it.each([
    ['9d4b2f2b-a759-4458-bebf-7d3507a6f0ca-S9', '…7d3507a6f0ca-S9'],
    ['82cde340-9d3b-40a6-87e2-953952745763-0001', '…953952745763-0001'],
    ['20140612-230025-16842879-5050-1151-0000', '…1151-0000'],
    ['a-b-c-d', 'a-b-c-d'],
    ['a-b-c-d-e', '…e'],
    ['plain', 'plain'],
    ['', ''],
  ])('%s → %s', (id, expected) => {
    expect(truncateMesosId(id)).toBe(expected);
  });
});

describe('parsePid', () => {
  it('splits agent and master pids', () => {
    expect(parsePid('slave(1)@10.0.0.5:5051')).toEqual({ id: 'slave(1)', ip: '10.0.0.5', port: 5051 });
    expect(parsePid('master@127.0.0.1:5050')).toEqual({ id: 'master', ip: '127.0.0.1', port: 5050 });
    expect(parsePid('scheduler-88e0ffb7@172.17.8.101:47277')).toEqual({
      id: 'scheduler-88e0ffb7',
      ip: '172.17.8.101',
      port: 47277,
    });
  });

  it.each([
    '',
    'master',
    '10.0.0.5:5051',
    'master@10.0.0.5',
    'master@10.0.0.5:',
    'master@:5050',
    'm@h:x',
    'm@h:70000',
  ])('rejects %j', (pid) => {
    expect(parsePid(pid)).toBeNull();
  });
});
