/**
 * The build (`npm run build`): the server, which `npm start`, `mesoscope up`, the Marathon app and the browser
 * tests all run, the UI it serves and the `mesoscope` CLI itself; and whether it is there and at least as new
 * as the sources it is built from.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const BUILT_SERVER = 'dist/bff/server.js';
const BUILT_UI = 'dist/ui/index.html';
/** What `bin/mesoscope.js` runs. */
const BUILT_CLI = 'dist/cli/main.js';
const BUILT = [BUILT_SERVER, BUILT_UI, BUILT_CLI];

/** The newest source file under `dir` that a build reads (tests are not built), with its time. */
function newestSource(dir: string): { file: string; mtimeMs: number } | null {
  let newest: { file: string; mtimeMs: number } | null = null;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = join(dir, entry.name);
    const found = entry.isDirectory()
      ? newestSource(file)
      : /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)
        ? { file, mtimeMs: statSync(file).mtimeMs }
        : null;
    if (found && (!newest || found.mtimeMs > newest.mtimeMs)) newest = found;
  }
  return newest;
}

/**
 * Why the build in `root` cannot be run as it is (not built, or older than a source file changed since), or
 * null when it can.
 */
export function builtServerProblem(root: string): string | null {
  for (const built of BUILT) {
    if (!existsSync(join(root, built))) return `${built} is not built: run 'npm run build'`;
  }
  const builtAt = Math.min(...BUILT.map((built) => statSync(join(root, built)).mtimeMs));
  const source = newestSource(join(root, 'src'));
  if (source && source.mtimeMs > builtAt)
    return `the build in dist/ is older than ${relative(root, source.file)}: run 'npm run build'`;
  return null;
}
