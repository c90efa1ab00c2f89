import { timingSafeEqual } from 'node:crypto';

/** HTTP basic credentials, as a Mesos `--credentials` file holds them. */
export interface BasicCredentials {
  principal: string;
  secret: string;
}

/** How a local master or agent protects its HTTP endpoints. */
export interface ServerSecurity {
  /** PEM key and certificate (plus optional CA and client-certificate check): serve HTTPS instead of HTTP. */
  tls?: { key: string; cert: string; ca?: string; requestCert?: boolean; rejectUnauthorized?: boolean };
  /** Like Mesos with `--authenticate_http_readonly`: every endpoint but the open ones needs these credentials. */
  authenticate?: BasicCredentials;
}

/** Endpoints Mesos answers without authentication: health checks, the leader redirect and the version. */
const OPEN_PATHS = new Set(['/health', '/master/health', '/redirect', '/master/redirect', '/version']);

/**
 * Checks a request's `Authorization` header the way libprocess's basic authenticator does. Returns the headers
 * of a 401 challenge when the request must be refused, or null when it may go on.
 */
export function checkBasicAuth(
  security: ServerSecurity,
  path: string,
  header: string | undefined,
): Record<string, string> | null {
  const expected = security.authenticate;
  // Executors authenticate only under `--authenticate_http_executors` (with tokens), never with these.
  if (!expected || OPEN_PATHS.has(path) || path === '/api/v1/executor') return null;
  if (/^\/slave\(\d+\)\/health$/.test(path)) return null;
  const challenge = { 'WWW-Authenticate': 'Basic realm="mesos"' };
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return challenge;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return challenge;
  const ok =
    sameText(decoded.slice(0, colon), expected.principal) &&
    sameText(decoded.slice(colon + 1), expected.secret);
  return ok ? null : challenge;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
