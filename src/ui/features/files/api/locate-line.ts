import type { LocateAnswer } from '../../../../bff/schemas/files';
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
