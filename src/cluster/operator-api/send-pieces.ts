import type { IncomingMessage, ServerResponse } from 'node:http';
import { createGzip } from 'node:zlib';
import { byteLength } from './json-pieces';
import type { Pieces } from './json-pieces';

/** libprocess gzips bodies from this size when the client accepts gzip (`GZIP_MINIMUM_BODY_LENGTH`). */
export const GZIP_MINIMUM_BODY_LENGTH = 1024;

/**
 * Sends a JSON document given as pieces: with `Content-Length`, or gzipped when the client accepts it (as
 * libprocess does), wrapped as `cb(...);` for `jsonp`. HEAD gets the headers only.
 */
export function sendPieces(
  req: IncomingMessage,
  res: ServerResponse,
  json: Pieces,
  options: { jsonp?: string | null; status?: number } = {},
): void {
  const pieces = options.jsonp ? [`${options.jsonp}(`, ...json, ');'] : json;
  const contentType = options.jsonp ? 'text/javascript' : 'application/json';
  const length = byteLength(pieces);
  const gzip =
    /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) && length >= GZIP_MINIMUM_BODY_LENGTH;
  const status = options.status ?? 200;
  if (req.method === 'HEAD') {
    res.writeHead(status, { 'Content-Type': contentType, ...(gzip ? {} : { 'Content-Length': length }) });
    res.end();
    return;
  }
  if (!gzip) {
    res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': length });
    for (const piece of pieces) res.write(piece);
    res.end();
    return;
  }
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' });
  const zip = createGzip();
  zip.pipe(res);
  for (const piece of pieces) zip.write(piece);
  zip.end();
}
