import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readBuildId } from './build-id';

describe('readBuildId', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const uiDir = (indexHtml?: string) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mesoscope-ui-'));
    dirs.push(dir);
    if (indexHtml !== undefined) writeFileSync(path.join(dir, 'index.html'), indexHtml);
    return dir;
  };

  it('is null without a built SPA', () => {
    expect(readBuildId(null)).toBeNull();
    expect(readBuildId(uiDir())).toBeNull();
  });

  it('is the same for the same build and differs for another one', () => {
    const a = readBuildId(uiDir('<script type="module" src="/assets/index-AAAA.js"></script>'));
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(readBuildId(uiDir('<script type="module" src="/assets/index-AAAA.js"></script>'))).toBe(a);
    expect(readBuildId(uiDir('<script type="module" src="/assets/index-BBBB.js"></script>'))).not.toBe(a);
  });
});
