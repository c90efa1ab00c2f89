import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { pieceText } from './json-pieces';
import type { Piece, Pieces } from './json-pieces';

/** libprocess gzips bodies from this size when the client accepts gzip (`GZIP_MINIMUM_BODY_LENGTH`). */
export const GZIP_MINIMUM_BODY_LENGTH = 1024;

/** The size of the chunks a document is written in. */
const CHUNK_BYTES = 1 << 20;

/** A document taken at one moment: its pieces, and its length in UTF-8 bytes. */
export interface DocumentSnapshot {
  pieces: Piece[];
  length: number;
}

/**
 * Reads the pieces all at once: the document is one consistent moment of the model (the pieces read it as they
 * are made), and its length is known before the first byte goes out. Most pieces are tasks whose JSON is made
 * as it is written, as of this moment (see `taskTextLater`), so a 900 MB SUBSCRIBED costs an array of small
 * references, not 900 MB of text.
 */
export function snapshotPieces(pieces: Pieces): DocumentSnapshot {
  const out: Piece[] = [];
  let length = 0;
  for (const piece of pieces) {
    out.push(piece);
    length += typeof piece === 'string' ? Buffer.byteLength(piece, 'utf8') : piece.bytes;
  }
  return { pieces: out, length };
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
 * Writes a snapshot to `out` in chunks of a MB, as fast as `out` takes them (waiting for `drain`, so a slow
 * reader does not make the server queue the whole document), through a few chunk buffers used again once
 * written: a gigantic document allocates no gigabyte along the way. False when `out` closed first.
 */
export async function writeSnapshot(out: Writable, snapshot: DocumentSnapshot): Promise<boolean> {
  const free: Buffer[] = [];
  const take = () => free.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES);
  const send = async (bytes: Buffer, reuse: Buffer | null): Promise<boolean> => {
    if (out.destroyed || out.writableEnded) return false;
    const more = out.write(bytes, reuse ? () => free.push(reuse) : undefined);
    if (!more) await drained(out);
    return !out.destroyed;
  };
  const { pieces } = snapshot;
  let chunk = take();
  let used = 0;
  let written = 0;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieceText(pieces[i]!);
    pieces[i] = '';
    // A UTF-16 code unit is at most 3 bytes of UTF-8: a piece this short surely fits what is left.
    if (piece.length * 3 > CHUNK_BYTES - used) {
      if (used > 0) {
        written += used;
        if (!(await send(chunk.subarray(0, used), chunk))) return false;
        chunk = take();
        used = 0;
      }
      if (piece.length * 3 > CHUNK_BYTES) {
        const bytes = Buffer.from(piece, 'utf8');
        written += bytes.length;
        if (!(await send(bytes, null))) return false;
        continue;
      }
    }
    used += chunk.write(piece, used, 'utf8');
  }
  written += used;
  // A length announced wrong would make the reader take the next frame as part of this one: better cut.
  if (written !== snapshot.length) {
    out.destroy(new Error(`a document announced as ${snapshot.length} bytes was ${written}`));
    return false;
  }
  if (used > 0) return send(chunk.subarray(0, used), null);
  return !out.destroyed;
}

/** Writes raw frames (already bytes) to `out`, waiting for `drain` between them. */
export async function writeChunks(out: Writable, chunks: readonly Buffer[]): Promise<boolean> {
  for (const chunk of chunks) {
    if (out.destroyed || out.writableEnded) return false;
    if (!out.write(chunk)) await drained(out);
  }
  return !out.destroyed;
}

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
  const body = snapshotPieces(jsonp ? wrapped(jsonp, json) : json);
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
    if (await writeSnapshot(res, body)) res.end();
    return;
  }
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' });
  const zip = createGzip();
  zip.pipe(res);
  // A reader that goes away stops the compression too.
  res.once('close', () => zip.destroy());
  if (await writeSnapshot(zip, body)) zip.end();
}

function* wrapped(callback: string, json: Pieces): Generator<Piece> {
  yield `${callback}(`;
  yield* json;
  yield ');';
}
