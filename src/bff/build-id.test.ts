import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBuildIdReader } from './build-id';

describe('createBuildIdReader', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const uiDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mesoscope-ui-'));
    dirs.push(dir);
    return dir;
  };

  it('is null without a built SPA', () => {
    expect(createBuildIdReader(null)()).toBeNull();
    expect(createBuildIdReader(uiDir())()).toBeNull();
  });

  it('changes when a new build replaces index.html under a running server, and only then', () => {
    const dir = uiDir();
    const index = path.join(dir, 'index.html');
    writeFileSync(index, '<script type="module" src="/assets/index-AAAA.js"></script>');
    const read = createBuildIdReader(dir);
    const first = read();
    expect(first).toMatch(/^[0-9a-f]{16}$/);
    expect(read()).toBe(first);
    writeFileSync(index, '<script type="module" src="/assets/index-BBBB.js"></script>');
    utimesSync(index, new Date(), new Date(Date.now() + 5_000));
    const second = read();
    expect(second).toMatch(/^[0-9a-f]{16}$/);
    expect(second).not.toBe(first);
  });
});
