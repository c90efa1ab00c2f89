import type { FastifyInstance } from 'fastify';
import { sendBadRequest } from '../http-errors';
import { repeatedParam, repeatedParamMessage } from '../routes/proxy-paths';

/**
 * Whether a raw request URL decodes cleanly: every `%` starts a hex pair and the bytes are valid UTF-8.
 * Anything else is refused up front, so no route sees a path or parameter that lost bytes in decoding
 * (a lenient decoder turns `%ff` into U+FFFD, and `%zz` into itself).
 */
function urlDecodesCleanly(url: string): boolean {
  if (/%(?![0-9A-Fa-f]{2})/.test(url)) return false;
  try {
    decodeURIComponent(url.replace(/\+/g, ' '));
    return true;
  } catch {
    return false;
  }
}

/**
 * Refuses URLs that do not decode cleanly, and on mesoscope's own APIs (every parameter of which takes one
 * value) a parameter given twice: which of two values a check looked at must never be a question. The
 * passthrough refuses repeated parameters itself (see proxy-paths).
 */
export function registerUrlGuard(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    const url = request.raw.url ?? '/';
    if (!urlDecodesCleanly(url)) {
      return sendBadRequest(reply, 'The URL has malformed percent-encoding or is not valid UTF-8');
    }
    const queryStart = url.indexOf('?');
    if (queryStart !== -1 && request.routeOptions.url?.startsWith('/api/')) {
      const repeated = repeatedParam(new URLSearchParams(url.slice(queryStart + 1)));
      if (repeated !== null) {
        return sendBadRequest(reply, repeatedParamMessage(repeated));
      }
    }
    return undefined;
  });
}
