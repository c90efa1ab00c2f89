import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { Pieces } from './json-pieces';

/** libprocess gzips bodies from this size when the client accepts gzip (`GZIP_MINIMUM_BODY_LENGTH`). */
export const GZIP_MINIMUM_BODY_LENGTH = 1024;

/** The size of the chunks a document is rendered into. */
const CHUNK_BYTES = 1 << 20;

/** A rendered document: UTF-8 chunks of about a MB and their total length. */
export interface EncodedBody {
  chunks: Buffer[];
  length: number;
}

/**
 * Renders pieces into UTF-8 chunks, all at once: the document is one consistent moment of the model (the
 * pieces read it as they are made), and its length is known before the first byte goes out. The text lives
 * only a MB at a time; the document itself is held as bytes, outside the JavaScript heap, until it is sent.
 */
export function encodePieces(pieces: Pieces): EncodedBody {
  const chunks: Buffer[] = [];
  let length = 0;
  let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let used = 0;
  const flush = () => {
    if (used === 0) return;
    chunks.push(chunk.subarray(0, used));
    length += used;
    chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    used = 0;
  };
  for (const piece of pieces) {
    // A UTF-16 code unit is at most 3 bytes of UTF-8: a piece this short surely fits what is left.
    if (piece.length * 3 > CHUNK_BYTES - used) {
      flush();
      if (piece.length * 3 > CHUNK_BYTES) {
        const big = Buffer.from(piece, 'utf8');
        chunks.push(big);
        length += big.length;
        continue;
      }
    }
    used += chunk.write(piece, used, 'utf8');
  }
  flush();
  return { chunks, length };
}

/** Resolves when `out` can take more, or has closed (then nothing more is written). */
function drained(out: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      out.off('error', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
    out.on('error', done);
  });
}

/**
 * Writes chunks to `out` as fast as it takes them (waiting for `drain`, so a slow reader does not make the
 * server queue the whole document again), letting go of each chunk once written. False when `out` closed first.
 */
export async function writeChunks(out: Writable, chunks: Buffer[]): Promise<boolean> {
  for (let i = 0; i < chunks.length; i++) {
    if (out.destroyed || out.writableEnded) return false;
    const chunk = chunks[i]!;
    chunks[i] = EMPTY;
    if (!out.write(chunk)) await drained(out);
  }
  return !out.destroyed;
}

const EMPTY = Buffer.alloc(0);

/**
 * Sends a JSON document given as pieces: with `Content-Length`, or gzipped when the client accepts it (as
 * libprocess does), wrapped as `cb(...);` for `jsonp`. HEAD gets the headers only.
 */
export async function sendPieces(
  req: IncomingMessage,
  res: ServerResponse,
  json: Pieces,
  options: { jsonp?: string | null; status?: number } = {},
): Promise<void> {
  const jsonp = options.jsonp;
  const body = encodePieces(jsonp ? wrapped(jsonp, json) : json);
  const contentType = jsonp ? 'text/javascript' : 'application/json';
  const gzip =
    /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) && body.length >= GZIP_MINIMUM_BODY_LENGTH;
  const status = options.status ?? 200;
  if (req.method === 'HEAD') {
    res.writeHead(status, {
      'Content-Type': contentType,
      ...(gzip ? {} : { 'Content-Length': body.length }),
    });
    res.end();
    return;
  }
  if (!gzip) {
    res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': body.length });
    if (await writeChunks(res, body.chunks)) res.end();
    return;
  }
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' });
  const zip = createGzip();
  zip.pipe(res);
  // A reader that goes away stops the compression too.
  res.once('close', () => zip.destroy());
  if (await writeChunks(zip, body.chunks)) zip.end();
}

function* wrapped(callback: string, json: Pieces): Generator<string> {
  yield `${callback}(`;
  yield* json;
  yield ');';
}
