import type { FastifyInstance } from 'fastify';
import { sendError } from '../http-errors';

/**
 * Whether a raw request URL decodes cleanly: every `%` starts a hex pair and the bytes are valid UTF-8.
 * Anything else is refused up front, so no route sees a path or parameter that lost bytes in decoding
 * (a lenient decoder turns `%ff` into U+FFFD, and `%zz` into itself).
 */
export function urlDecodesCleanly(url: string): boolean {
  if (/%(?![0-9A-Fa-f]{2})/.test(url)) return false;
  try {
    decodeURIComponent(url.replace(/\+/g, ' '));
    return true;
  } catch {
    return false;
  }
}

export function registerUrlGuard(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!urlDecodesCleanly(request.raw.url ?? '/')) {
      return sendError(reply, 400, 'The URL has malformed percent-encoding or is not valid UTF-8');
    }
    return undefined;
  });
}
