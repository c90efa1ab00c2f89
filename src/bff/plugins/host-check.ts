import { isIP } from 'node:net';
import os from 'node:os';
import type { FastifyInstance } from 'fastify';

/** Names every mesoscope answers to: the loopback ones a browser on this machine uses. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::', '[::]']);
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*$/;

/**
 * A host name or address as it is compared with a Host header: lower case, no trailing dot, IPv6 in brackets;
 * null when it is not one (a port, a scheme, a path, spaces...).
 */
export function normalizeHostName(name: string): string | null {
  let host = name.trim().toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (isIP(host) === 6) return `[${host}]`;
  if (host.endsWith('.')) host = host.slice(0, -1);
  return HOST_NAME.test(host) ? host : null;
}

/** The host name of a Host header value (`name:port`, `[v6]:port`), normalised; null when malformed. */
export function hostOfHeader(header: string): string | null {
  const match = /^(\[[^\]]*\]|[^:]*)(?::\d{1,5})?$/.exec(header.trim());
  return match ? normalizeHostName(match[1]!) : null;
}

/**
 * The Host names mesoscope accepts: loopback, the address it listens on and the names given by
 * `--public-url` and `--allowed-hosts`. Listening on every address (0.0.0.0, ::) accepts this machine's own
 * addresses and name too: a page that rebinds its own name to them still sends its own name.
 */
export function acceptedHosts(bindHost: string, extra: readonly string[]): Set<string> {
  const names = new Set<string>(LOOPBACK_NAMES);
  if (WILDCARD_ADDRESSES.has(bindHost)) {
    for (const address of Object.values(os.networkInterfaces()).flat()) {
      const name = address ? normalizeHostName(address.address) : null;
      if (name) names.add(name);
    }
    const own = normalizeHostName(os.hostname());
    if (own) names.add(own);
  } else {
    const bind = normalizeHostName(bindHost);
    if (bind) names.add(bind);
  }
  for (const name of extra) {
    const normal = normalizeHostName(name);
    if (normal) names.add(normal);
  }
  return names;
}

/**
 * Refuses, before anything else runs, a request whose Host header names anything mesoscope is not served as:
 * a web page whose name was rebound to 127.0.0.1 still sends its own name, and gets 421 Misdirected Request.
 */
export function registerHostCheck(app: FastifyInstance, accepted: ReadonlySet<string>): void {
  app.addHook('onRequest', async (request, reply) => {
    const header = request.headers.host;
    // Without a Host header (HTTP/1.0) the request is not from a browser, which always sends one.
    if (header === undefined) return undefined;
    const host = hostOfHeader(header);
    if (host !== null && accepted.has(host)) return undefined;
    request.log.warn({ host: header.slice(0, 256) }, 'request for a host name mesoscope is not served as');
    return reply
      .code(421)
      .header('cache-control', 'no-store')
      .type('text/plain; charset=utf-8')
      .send(
        'Misdirected Request: mesoscope is not served under this host name (an operator can add it with --allowed-hosts or --public-url)\n',
      );
  });
}
