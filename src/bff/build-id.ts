import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The id of the SPA build in `uiDir`: a hash of its index.html, which names every hashed asset, so any new
 * build changes it. Re-read only when the file's mtime or size changes, so a build deployed under a running
 * server is noticed too. Null when there is no built SPA.
 */
export function createBuildIdReader(uiDir: string | null): () => string | null {
  let cached: { stamp: string; id: string } | null = null;
  return () => {
    if (!uiDir) return null;
    const indexPath = path.join(uiDir, 'index.html');
    try {
      const stats = statSync(indexPath);
      const stamp = `${stats.mtimeMs}:${stats.size}`;
      if (cached?.stamp !== stamp) {
        const id = createHash('sha256').update(readFileSync(indexPath)).digest('hex').slice(0, 16);
        cached = { stamp, id };
      }
      return cached.id;
    } catch {
      return null;
    }
  };
}
