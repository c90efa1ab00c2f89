import { useQuery } from '@tanstack/react-query';
import { ApiError, errorFromResponse } from '../../../lib/api-client';
import { queryKeys } from '../../../lib/query-keys';
import type { FileSource } from '../utils/file-source';
import { downloadUrl } from '../utils/file-source';

export interface FileHead {
  bytes: Uint8Array;
  /** Whether the file goes on past `bytes`. */
  more: boolean;
}

/**
 * The first `limit` bytes of a file, as they are: the read API answers JSON text, in which a binary file's bytes
 * are already lost, so this reads the download and stops once it has enough.
 */
export async function readFileHead(
  source: FileSource,
  path: string,
  limit: number,
  signal?: AbortSignal,
): Promise<FileHead> {
  const url = downloadUrl(source, path);
  let response: Response;
  try {
    response = await fetch(url, { signal, headers: { accept: 'application/octet-stream' } });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, 'The mesoscope server cannot be reached', url);
  }
  if (!response.ok || !response.body) throw await errorFromResponse(response, url);
  const reader = response.body.getReader();
  const head = new Uint8Array(limit);
  let length = 0;
  let more = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = limit - length;
    head.set(value.subarray(0, room), length);
    length += Math.min(room, value.length);
    if (value.length > room) {
      more = true;
      break;
    }
  }
  if (more) await reader.cancel();
  return { bytes: head.subarray(0, length), more };
}

export function useFileHead(source: FileSource, path: string, limit: number, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.files.head(source, path, limit),
    queryFn: ({ signal }) => readFileHead(source, path, limit, signal),
    enabled,
    staleTime: Infinity,
    retry: false,
  });
}
