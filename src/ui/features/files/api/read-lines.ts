import type { LinesAnswer, LinesPage } from '../../../../bff/schemas/files';
import type { FileSource } from '../utils/file-source';
import { apiGet } from '../../../lib/api-client';
import { fileApiUrl } from './file-request';

/** Which lines to read: the tail, before or after a line start, or around any byte offset. */
export type LinesRequest =
  { tail: true } | { before: number } | { after: number; known?: number; hash?: string } | { at: number };

/**
 * GET /api/files/lines: whole lines by byte offset, about `bytes` of them. Not a react-query query: the viewer
 * chains these reads (each offset comes from the answer before) into its own bounded window.
 */
export function readLines(
  source: FileSource,
  path: string,
  request: LinesRequest,
  bytes: number,
  signal?: AbortSignal,
): Promise<LinesAnswer> {
  const params: Record<string, string | number | undefined> = { bytes };
  if ('tail' in request) params['tail'] = 1;
  else if ('before' in request) params['before'] = request.before;
  else if ('after' in request) {
    params['after'] = request.after;
    params['known'] = request.known;
    params['hash'] = request.hash || undefined;
  } else params['at'] = request.at;
  return apiGet<LinesAnswer>(fileApiUrl('lines', source, path, params), { signal });
}

/** Like readLines, for requests that always answer with lines (everything but a checked `after`). */
export async function readLinesPage(
  source: FileSource,
  path: string,
  request: LinesRequest,
  bytes: number,
  signal?: AbortSignal,
): Promise<LinesPage> {
  const answer = await readLines(source, path, request, bytes, signal);
  if (answer.kind !== 'lines') throw new Error(`Expected lines, got ${answer.kind}`);
  return answer;
}
