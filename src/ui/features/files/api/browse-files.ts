import { queryOptions, useQuery } from '@tanstack/react-query';
import type { FileInfo } from '../../../../mesos/files';
import { apiGet } from '../../../lib/api-client';
import { DIRECTORY_POLL_MS, POLL_IN_BACKGROUND } from '../../../lib/polling';
import { queryKeys } from '../../../lib/query-keys';
import { filesBase } from '../utils/file-source';

/** GET /agent/<agentId>/files/browse?path=<dir>: the entries of a sandbox directory (Mesos FileInfo[]). */
export function browseFiles(
  agentId: string,
  path: string,
  { signal }: { signal?: AbortSignal } = {},
): Promise<FileInfo[]> {
  const url = `${filesBase({ kind: 'agent', agentId })}/browse?path=${encodeURIComponent(path)}`;
  return apiGet<FileInfo[]>(url, { signal });
}

export function getBrowseFilesQueryOptions(agentId: string, path: string) {
  return queryOptions({
    queryKey: queryKeys.files.browse(agentId, path),
    queryFn: ({ signal }) => browseFiles(agentId, path, { signal }),
    refetchInterval: DIRECTORY_POLL_MS,
    refetchIntervalInBackground: POLL_IN_BACKGROUND,
  });
}

export function useBrowseFiles(agentId: string, path: string) {
  return useQuery(getBrowseFilesQueryOptions(agentId, path));
}
