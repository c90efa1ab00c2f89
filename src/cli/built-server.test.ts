import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtServerProblem } from './built-server';

const root = mkdtempSync(join(tmpdir(), 'mesoscope-built-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes `file` under the root, last changed `secondsAgo` seconds ago. */
function write(file: string, secondsAgo: number): void {
  const at = join(root, file);
  mkdirSync(dirname(at), { recursive: true });
  writeFileSync(at, '');
  const when = Date.now() / 1000 - secondsAgo;
  utimesSync(at, when, when);
}

describe('whether the build can be run', () => {
  it('says what is not built, then which source is newer than the build, and nothing once it is built again', () => {
    write('src/bff/server.ts', 300);
    expect(builtServerProblem(root)).toBe("dist/bff/server.js is not built: run 'npm run build'");
    write('dist/bff/server.js', 200);
    expect(builtServerProblem(root)).toBe("dist/ui/index.html is not built: run 'npm run build'");
    write('dist/ui/index.html', 200);
    expect(builtServerProblem(root)).toBe("dist/cli/main.js is not built: run 'npm run build'");
    write('dist/cli/main.js', 200);
    expect(builtServerProblem(root)).toBeNull();
    write('src/ui/app/page.tsx', 100);
    expect(builtServerProblem(root)).toBe(
      "the build in dist/ is older than src/ui/app/page.tsx: run 'npm run build'",
    );
    // A test is not built: changing one leaves the build as it was.
    write('dist/bff/server.js', 50);
    write('dist/ui/index.html', 50);
    expect(builtServerProblem(root)).toBe(
      "the build in dist/ is older than src/ui/app/page.tsx: run 'npm run build'",
    );
    write('dist/cli/main.js', 50);
    write('src/bff/app.test.ts', 10);
    expect(builtServerProblem(root)).toBeNull();
  });
});
