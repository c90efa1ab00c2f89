import { queryOptions, useQuery } from '@tanstack/react-query';
import type { LineText } from '../../../../bff/schemas/files';
import { queryKeys } from '../../../lib/query-keys';
import type { FileSource } from '../utils/file-source';
import { apiGet } from '../../../lib/api-client';
import { fileApiUrl } from './file-request';

/** GET /api/files/line-text: the whole text of one long line (at most 8 MiB). */
export function readLineText(
  source: FileSource,
  path: string,
  offset: number,
  length: number,
  signal?: AbortSignal,
): Promise<LineText> {
  return apiGet<LineText>(fileApiUrl('line-text', source, path, { offset, length }), { signal });
}

export function getLineTextQueryOptions(source: FileSource, path: string, offset: number, length: number) {
  return queryOptions({
    queryKey: queryKeys.files.lineText(source, path, offset, length),
    queryFn: ({ signal }) => readLineText(source, path, offset, length, signal),
    staleTime: Infinity,
    retry: false,
  });
}

export function useLineText(source: FileSource, path: string, offset: number, length: number) {
  return useQuery(getLineTextQueryOptions(source, path, offset, length));
}
