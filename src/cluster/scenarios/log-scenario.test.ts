import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster } from '../index';
import type { LocalCluster } from '../index';
import { BIG_LOG_LINES, LOG_DEMO_APPS } from './log-scenario';
import { eventually } from '../test-helpers';

const app = (id: string) => {
  const found = LOG_DEMO_APPS.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no app ${id}`);
  return found;
};

describe('log demo apps', () => {
  let cluster: LocalCluster;

  beforeAll(async () => {
    cluster = await startCluster({ agents: 1, scenario: 'empty' });
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it('logs-files writes the edge-case files at once', async () => {
    const task = await cluster.control.launchTask({ name: 'logs-files', cmd: app('logs-files').cmd });
    // (The agent also copies the command into stdout, so look for the output at the start of a line.)
    const file = (name: string) => join(task.directory, name);
    await eventually(
      async () => /^files written/m.test(readFileSync(file('stdout'), 'utf8')) || undefined,
      10_000,
    );
    expect(statSync(file('empty.log')).size).toBe(0);
    expect(statSync(file('binary.dat')).size).toBe(4096);
    const invalid = readFileSync(file('invalid-utf8.log'));
    expect(invalid.includes(Buffer.from([0xff, 0xfe]))).toBe(true);
    expect(invalid.includes(Buffer.from([0x00]))).toBe(true);
    const long = readFileSync(file('long-line.log'));
    expect(long.length - long.indexOf(0x0a) - 1).toBe(1024 * 1024);
    expect(long.at(-1)).not.toBe(0x0a);
    const big = readFileSync(file('big.log'), 'latin1');
    expect(big.split('\n').length - 1).toBe(BIG_LOG_LINES);
    expect(big.length).toBeGreaterThan(45_000_000);
    expect(statSync(file('late.log'), { throwIfNoEntry: false })).toBeUndefined();
  });

  it('logs-ansi writes colour escapes, and markup that must stay text', async () => {
    const task = await cluster.control.launchTask({ name: 'logs-ansi', cmd: app('logs-ansi').cmd });
    const stdout = await eventually(async () => {
      const text = readFileSync(join(task.directory, 'stdout'), 'utf8');
      return text.includes('\u001b[32mINFO') ? text : undefined;
    }, 10_000);
    expect(stdout).toContain('<script>alert(1)</script>');
    expect(stdout).toContain('\u001b[38;5;208m');
  });
});
