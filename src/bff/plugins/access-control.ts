import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from '../http-errors';
import { basicCredentials } from './htpasswd';
import type { HtpasswdUsers } from './htpasswd';

/** Who may use the dashboard: anyone who reaches it (the default, on loopback), htpasswd users, or a proxy's word. */
export type AccessControl =
  | { kind: 'open' }
  | { kind: 'htpasswd'; users: HtpasswdUsers }
  | { kind: 'proxy-header'; header: string; trusted: TrustedProxies };

/** Probes a load balancer makes without credentials. They say nothing about the cluster beyond "ready". */
const UNAUTHENTICATED_PATHS = new Set(['/healthz', '/readyz']);
const REALM = 'Basic realm="mesoscope", charset="UTF-8"';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, when access control is on. */
    user: string | null;
  }
}

export class TrustedProxyError extends Error {}

/** The addresses a reverse proxy connects from (`--trusted-proxy 10.0.0.5,10.1.0.0/16`). */
export class TrustedProxies {
  private readonly list = new BlockList();

  constructor(readonly cidrs: readonly string[]) {
    if (cidrs.length === 0)
      throw new TrustedProxyError('--trusted-proxy must list at least one address or CIDR');
    for (const entry of cidrs) {
      const [address = '', bits, extra] = entry.trim().split('/');
      const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : null;
      const prefix = bits === undefined ? (family === 'ipv4' ? 32 : 128) : Number(bits);
      const maxPrefix = family === 'ipv4' ? 32 : 128;
      if (!family || extra !== undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > maxPrefix) {
        throw new TrustedProxyError(
          `--trusted-proxy: '${entry}' is not an IP address or CIDR (e.g. 10.0.0.0/8)`,
        );
      }
      this.list.addSubnet(address, prefix, family);
    }
  }

  allows(address: string | undefined): boolean {
    if (!address) return false;
    const plain = address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
    return this.list.check(plain, isIPv4(plain) ? 'ipv4' : 'ipv6');
  }
}

/**
 * Access control for every route (the SPA's files included) but the load balancer's probes. Registered before
 * any route, as an onRequest hook, so nothing is parsed or fetched for a refused request.
 */
export function registerAccessControl(app: FastifyInstance, access: AccessControl): void {
  app.decorateRequest('user', null);
  if (access.kind === 'open') return;

  app.addHook('onRequest', async (request, reply) => {
    const path = (request.raw.url ?? '/').split('?')[0]!;
    if (UNAUTHENTICATED_PATHS.has(path)) return;
    if (access.kind === 'htpasswd') return checkPassword(request, reply, access.users);
    return checkProxyHeader(request, reply, access);
  });
}

async function checkPassword(
  request: FastifyRequest,
  reply: FastifyReply,
  users: HtpasswdUsers,
): Promise<FastifyReply | undefined> {
  const credentials = basicCredentials(request.headers.authorization);
  const user = credentials ? await users.verify(credentials.user, credentials.password) : null;
  if (user === null) {
    request.log.info({ reason: credentials ? 'bad credentials' : 'no credentials' }, 'access refused');
    return sendError(reply.header('www-authenticate', REALM), 401, 'Sign in to use mesoscope');
  }
  request.user = user;
  return undefined;
}

function checkProxyHeader(
  request: FastifyRequest,
  reply: FastifyReply,
  access: Extract<AccessControl, { kind: 'proxy-header' }>,
): FastifyReply | undefined {
  const from = request.raw.socket.remoteAddress;
  if (!access.trusted.allows(from)) {
    request.log.warn({ from }, 'request not from a trusted proxy refused');
    return sendError(reply, 403, 'mesoscope is reached only through its authenticating proxy');
  }
  const value = request.headers[access.header.toLowerCase()];
  const user = typeof value === 'string' ? value.trim() : '';
  if (user === '' || user.length > 256) {
    return sendError(reply, 401, `The proxy did not name a user (${access.header})`);
  }
  request.user = user;
  return undefined;
}
