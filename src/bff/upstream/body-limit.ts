import type { IncomingHttpHeaders } from 'node:http';
import { UpstreamError } from './upstream-error';

/**
 * The most mesoscope reads whole from Mesos: such a body is parsed as one string, and V8 strings stop just short
 * of 512 MiB. The event stream's `SUBSCRIBED` is read element by element instead, so only
 * `--max-upstream-body` bounds it (30,000 agents and 300,000 tasks make some 900 MB).
 */
export const MAX_WHOLE_BODY = 512 * 1024 * 1024;

/** `--max-upstream-body`'s default. */
export const DEFAULT_UPSTREAM_BODY = 1024 * 1024 * 1024;

/** The most `--max-upstream-body` allows. */
export const MAX_UPSTREAM_BODY = 4 * 1024 * 1024 * 1024;

/** A readable body (undici's, or a stream piped from it) that can be dropped half-read. */
interface Body extends AsyncIterable<unknown> {
  destroy(error?: Error): unknown;
}

/** `536870912` → `512 MiB`. */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const) {
    if (bytes >= size) {
      const value = bytes / size;
      return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
    }
  }
  return `${bytes} bytes`;
}

/** The error for an answer over the limit: what answered, and which option (if any) raises it. */
export function bodyTooLarge(what: string, limit: number, option: string | null): UpstreamError {
  return new UpstreamError(
    'malformed',
    `${what} answered more than ${formatBytes(limit)}${option ? `: raise ${option} if the cluster is that big` : ''}`,
  );
}

/**
 * Reads a whole body, stopping as soon as it passes `limit` bytes (a Content-Length over it stops it before
 * any byte is read): a hostile or broken upstream cannot make mesoscope hold more than `limit` for it.
 */
export async function readCapped(
  body: Body,
  headers: IncomingHttpHeaders,
  limit: number,
  tooLarge: () => Error,
): Promise<Buffer> {
  const announced = Number(headers['content-length']);
  if (Number.isFinite(announced) && announced > limit) {
    body.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of body) {
    const bytes = chunk as Buffer;
    received += bytes.length;
    if (received > limit) {
      body.destroy();
      throw tooLarge();
    }
    chunks.push(bytes);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received);
}
