import { inspect } from 'node:util';

/**
 * HTTP basic credentials for Mesos (a principal and its secret). The secret stays inside this object: it is
 * never part of its string, JSON or inspected form, so a stray log line or error cannot carry it.
 */
export class MesosCredentials {
  readonly #secret: string;

  constructor(
    readonly principal: string,
    secret: string,
  ) {
    this.#secret = secret;
  }

  /** The `Authorization` header value. */
  authorization(): string {
    return `Basic ${Buffer.from(`${this.principal}:${this.#secret}`, 'utf8').toString('base64')}`;
  }

  toString(): string {
    return `MesosCredentials(${this.principal})`;
  }

  toJSON(): { principal: string; secret: string } {
    return { principal: this.principal, secret: '[redacted]' };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

export class CredentialsError extends Error {}

/**
 * Reads credentials in any of the forms operators keep them in, and names only `source` in its errors:
 * - `principal:secret` (one line; the secret may contain colons),
 * - `principal secret` (a line of a Mesos `--credentials` text file),
 * - `{"principal": "...", "secret": "..."}`,
 * - `{"credentials": [{"principal": "...", "secret": "..."}]}` (a Mesos `--credentials` JSON file; the first).
 */
export function parseCredentials(text: string, source: string): MesosCredentials {
  const trimmed = text.trim();
  if (trimmed === '') throw new CredentialsError(`${source} is empty`);
  if (trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      throw new CredentialsError(`${source} is not valid JSON`);
    }
    const list = (json as { credentials?: unknown }).credentials;
    const entry = (Array.isArray(list) ? list[0] : json) as
      { principal?: unknown; secret?: unknown } | undefined;
    if (typeof entry?.principal === 'string' && entry.principal && typeof entry.secret === 'string') {
      return new MesosCredentials(entry.principal, entry.secret);
    }
    throw new CredentialsError(`${source} has no "principal" and "secret" strings`);
  }
  const line = trimmed.split(/\r?\n/)[0] ?? '';
  const colon = line.indexOf(':');
  const space = line.search(/\s/);
  if (colon > 0 && (space < 0 || colon < space)) {
    return new MesosCredentials(line.slice(0, colon), line.slice(colon + 1));
  }
  if (space > 0) return new MesosCredentials(line.slice(0, space), line.slice(space).trim());
  throw new CredentialsError(`${source} must hold principal:secret, "principal secret" or JSON`);
}
