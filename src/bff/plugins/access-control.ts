import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from '../http-errors';
import { BcryptBusyError } from './bcrypt-worker';
import { basicCredentials } from './htpasswd';
import type { HtpasswdUsers } from './htpasswd';
import { SignInThrottle } from './sign-in-throttle';

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
export function registerAccessControl(
  app: FastifyInstance,
  access: AccessControl,
  throttle: SignInThrottle = new SignInThrottle(),
): void {
  app.decorateRequest('user', null);
  if (access.kind === 'open') return;
  if (access.kind === 'htpasswd') app.addHook('onClose', () => access.users.close());

  app.addHook('onRequest', async (request, reply) => {
    const path = (request.raw.url ?? '/').split('?')[0]!;
    if (UNAUTHENTICATED_PATHS.has(path)) return;
    if (access.kind === 'htpasswd') return checkPassword(request, reply, access.users, throttle);
    return checkProxyHeader(request, reply, access);
  });
}

/** Longest user name a throttle key keeps (longer ones are guesses too, and share a key). */
const MAX_KEYED_USER = 256;

async function checkPassword(
  request: FastifyRequest,
  reply: FastifyReply,
  users: HtpasswdUsers,
  throttle: SignInThrottle,
): Promise<FastifyReply | undefined> {
  const header = request.headers.authorization;
  const credentials = basicCredentials(header);
  if (!credentials || header === undefined) return refuse(request, reply, 'no credentials');
  // A browser that signed in sends the same header with every request: it never waits for bcrypt or a throttle.
  const remembered = users.remembered(header);
  if (remembered !== null) {
    request.user = remembered;
    return undefined;
  }
  const keys = [`ip:${request.ip}`, `user:${credentials.user.slice(0, MAX_KEYED_USER)}`];
  const waitMs = throttle.waitMs(keys);
  if (waitMs > 0) return tooManySignIns(request, reply, waitMs, 'throttled');
  const giveBack = throttle.attempt(keys);
  let user: string | null;
  try {
    user = await users.verify(credentials.user, credentials.password, header);
  } catch (error) {
    giveBack();
    if (error instanceof BcryptBusyError) return tooManySignIns(request, reply, 1_000, 'busy');
    throw error;
  }
  if (user === null) {
    const waitMs = throttle.waitMs(keys);
    if (waitMs > 0) {
      request.log.warn(
        { user: credentials.user.slice(0, 64), retryAfter: Math.ceil(waitMs / 1000) },
        'failed sign-ins: this address or user now waits',
      );
    }
    return refuse(request, reply, 'bad credentials');
  }
  giveBack();
  request.user = user;
  return undefined;
}

function refuse(request: FastifyRequest, reply: FastifyReply, reason: string): FastifyReply {
  request.log.info({ reason }, 'access refused');
  return sendError(reply.header('www-authenticate', REALM), 401, 'Sign in to use mesoscope');
}

/**
 * How long a refused sign-in is held before its 429 goes out: a guesser that does not wait for Retry-After
 * then sends one request a second per connection instead of thousands, each of which costs the server too.
 */
const HOLD_REFUSAL_MS = 1_000;

async function tooManySignIns(
  request: FastifyRequest,
  reply: FastifyReply,
  waitMs: number,
  reason: 'throttled' | 'busy',
): Promise<FastifyReply> {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  // Debug only: a guesser would otherwise write a log line per guess.
  request.log.debug({ reason, retryAfter: seconds }, 'sign-in throttled');
  await new Promise((resolve) => setTimeout(resolve, Math.min(waitMs, HOLD_REFUSAL_MS)));
  const why =
    reason === 'busy'
      ? 'Too many sign-ins are being checked at once'
      : 'Too many failed sign-ins from this address or for this user';
  return sendError(reply.header('retry-after', String(seconds)), 429, `${why}: try again in ${seconds} s`);
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
