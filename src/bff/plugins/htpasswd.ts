import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { BcryptWorker } from './bcrypt-worker';

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
  /** Verified Authorization headers, by a keyed hash of the header: the password is never kept. */
  private readonly verified = new Map<string, { user: string; until: number }>();
  private readonly cacheKey = randomBytes(32);
  private readonly bcrypt = new BcryptWorker();

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

  /** The user an Authorization header was verified for in the last minutes, without bcrypt; null otherwise. */
  remembered(authorization: string, now = Date.now()): string | null {
    const entry = this.verified.get(this.digest(authorization));
    return entry && entry.until > now && this.hashes.has(entry.user) ? entry.user : null;
  }

  /**
   * The user, when the password matches; null otherwise. Takes bcrypt's time for unknown users too, on a
   * worker thread. A match is remembered under `authorization` (the header it came in).
   */
  async verify(
    user: string,
    password: string,
    authorization = `${user}:${password}`,
    now = Date.now(),
  ): Promise<string | null> {
    const known = this.remembered(authorization, now);
    if (known !== null) return known;
    const hash = this.hashes.get(user);
    const matches = await this.bcrypt.compare(password, toBcryptJs(hash ?? DECOY_HASH));
    if (!matches || hash === undefined) return null;
    if (this.verified.size >= MAX_REMEMBERED) this.verified.clear();
    this.verified.set(this.digest(authorization), { user, until: now + VERIFIED_TTL_MS });
    return user;
  }

  /** Stops the password check thread. */
  close(): Promise<void> {
    return this.bcrypt.close();
  }

  private digest(authorization: string): string {
    return createHmac('sha256', this.cacheKey).update(authorization).digest('base64');
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
