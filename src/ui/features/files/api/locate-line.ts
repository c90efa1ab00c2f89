import { queryOptions, useQuery } from '@tanstack/react-query';
import type { LocateAnswer } from '../../../../bff/schemas/files';
import { queryKeys } from '../../../lib/query-keys';
import type { FileSource } from '../utils/file-source';
import { apiGet } from '../../../lib/api-client';
import { fileApiUrl } from './file-request';

/**
 * GET /api/files/locate: the line number of a byte offset, or where a line number starts. The BFF counts
 * newlines (remembering what it counted), so on a large file the first answer can take a few seconds.
 */
export function locateLine(
  source: FileSource,
  path: string,
  where: { offset: number } | { line: number },
  signal?: AbortSignal,
): Promise<LocateAnswer> {
  return apiGet<LocateAnswer>(fileApiUrl('locate', source, path, where), { signal });
}

/** The number of the line starting at `offset` (null: not asked). */
export function getLineNumberQueryOptions(source: FileSource, path: string, offset: number | null) {
  return queryOptions({
    queryKey: queryKeys.files.lineNumber(source, path, offset),
    queryFn: ({ signal }) => locateLine(source, path, { offset: offset ?? 0 }, signal),
    enabled: offset !== null,
    staleTime: Infinity,
    retry: false,
  });
}

export function useLineNumber(source: FileSource, path: string, offset: number | null) {
  return useQuery(getLineNumberQueryOptions(source, path, offset));
}
