import helmet from '@fastify/helmet';
import type { FastifyHelmetOptions } from '@fastify/helmet';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';

/**
 * The SPA loads only its own files: no inline script or style (React's style props go through the CSSOM, which
 * CSP does not govern), no framing, no sniffing, no referrer beyond the origin. Passthrough answers set their
 * own stricter policy (`sandbox`), which wins because it is set later on the reply.
 */
const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  upgradeInsecureRequests: null,
};

const HELMET_OPTIONS: FastifyHelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
  frameguard: { action: 'deny' },
  noSniff: true,
  referrerPolicy: { policy: 'same-origin' },
  // mesoscope may be served over plain http on a private network; HSTS belongs to the TLS terminator.
  strictTransportSecurity: false,
  crossOriginEmbedderPolicy: false,
};

/**
 * The headers helmet sets for HELMET_OPTIONS, read once from one request to a bare server that has only
 * helmet. None depends on the request (there are no CSP nonces), so every answer can share them.
 */
export async function securityHeaders(): Promise<ReadonlyArray<readonly [string, string]>> {
  const probe = Fastify({ logger: false });
  let headers: [string, string][] = [];
  try {
    await probe.register(helmet, { global: true, ...HELMET_OPTIONS });
    probe.addHook('onRequest', (_request, reply, done) => {
      headers = Object.entries(reply.raw.getHeaders()).map(([name, value]) => [
        name.toLowerCase(),
        Array.isArray(value) ? value.join(', ') : String(value),
      ]);
      done();
    });
    probe.get('/', () => '');
    await probe.inject({ url: '/' });
  } finally {
    await probe.close();
  }
  if (headers.length === 0) throw new Error('helmet set no security headers');
  return headers;
}

/**
 * Sets the security headers on every answer. @fastify/helmet builds helmet's middleware again for every
 * request (about a tenth of the BFF's busy time under many viewers); the headers never change, so they are
 * computed once here and set in one hook. Set on the raw response before any route runs, as helmet does, so a
 * route that sets its own (the passthrough's sandbox CSP) still wins.
 */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  const headers = await securityHeaders();
  app.addHook('onRequest', (_request, reply, done) => {
    const raw = reply.raw;
    for (const [name, value] of headers) raw.setHeader(name, value);
    done();
  });
}
