import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import bcrypt from 'bcryptjs';

export class HtpasswdError extends Error {}

/** A bcrypt hash of a random password: unknown users are checked against it, so they cost the same time. */
const DECOY_HASH = '$2b$10$Uhf6OiJcqZpjNmWLCdFXiOJSoJKQ1h0.C5UEhaC3kh6HLwBeM/T9K';
const BCRYPT = /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/;
/** Verified credentials are remembered this long, so a polling browser does not pay bcrypt on every request. */
const VERIFIED_TTL_MS = 5 * 60_000;
const MAX_REMEMBERED = 1_000;

/**
 * Users from an htpasswd file with bcrypt entries (`htpasswd -B`): `user:$2y$...`, one a line; blank lines
 * and `#` comments are skipped. Any other hash format is refused at start, naming the line.
 */
export class HtpasswdUsers {
  private readonly hashes: Map<string, string>;
  private readonly verified = new Map<string, { user: string; until: number }>();

  constructor(text: string, source = 'htpasswd file') {
    this.hashes = parseHtpasswd(text, source);
  }

  static fromFile(file: string): HtpasswdUsers {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new HtpasswdError(
        `--htpasswd: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
    return new HtpasswdUsers(text, file);
  }

  get size(): number {
    return this.hashes.size;
  }

  /** The user, when the password matches; null otherwise. Takes bcrypt's time for unknown users too. */
  async verify(user: string, password: string, now = Date.now()): Promise<string | null> {
    const digest = createHash('sha256').update(`${user}\u0000${password}`).digest('base64');
    const remembered = this.verified.get(digest);
    if (remembered && remembered.until > now && this.hashes.has(remembered.user)) return remembered.user;

    const hash = this.hashes.get(user);
    const matches = await bcrypt.compare(password, toBcryptJs(hash ?? DECOY_HASH));
    if (!matches || hash === undefined) return null;
    if (this.verified.size >= MAX_REMEMBERED) this.verified.clear();
    this.verified.set(digest, { user, until: now + VERIFIED_TTL_MS });
    return user;
  }
}

function parseHtpasswd(text: string, source: string): Map<string, string> {
  const hashes = new Map<string, string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const colon = line.indexOf(':');
    const where = `${source} line ${index + 1}`;
    if (colon <= 0) throw new HtpasswdError(`--htpasswd: ${where} is not 'user:hash'`);
    const user = line.slice(0, colon);
    const hash = line.slice(colon + 1);
    if (!BCRYPT.test(hash)) {
      throw new HtpasswdError(
        `--htpasswd: ${where}: user '${user}' has no bcrypt hash (make one with 'htpasswd -B' or bcrypt)`,
      );
    }
    hashes.set(user, hash);
  });
  if (hashes.size === 0) throw new HtpasswdError(`--htpasswd: ${source} lists no users`);
  return hashes;
}

/** `$2y$` (Apache's name) is the same algorithm as `$2b$`, which bcryptjs reads. */
function toBcryptJs(hash: string): string {
  return hash.startsWith('$2y$') ? `$2b$${hash.slice(4)}` : hash;
}

/** Parses `Authorization: Basic ...`; null when absent or malformed. */
export function basicCredentials(header: string | undefined): { user: string; password: string } | null {
  if (!header) return null;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
