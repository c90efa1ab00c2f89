import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The id of the SPA build in `uiDir`: a hash of its index.html, which names every hashed asset, so any new
 * build has a new id. Null when there is no built SPA. It is read once, when the server starts, because the
 * server serves the assets that existed then: a new build takes effect with a restart, and pages that see
 * the new id reload into it. (Reloading into a build swapped under a running server would load an
 * index.html whose assets that server does not serve.)
 */
export function readBuildId(uiDir: string | null): string | null {
  if (!uiDir) return null;
  try {
    return createHash('sha256')
      .update(readFileSync(path.join(uiDir, 'index.html')))
      .digest('hex')
      .slice(0, 16);
  } catch {
    return null;
  }
}
