import type { FileSource } from '../utils/file-source';

type Param = string | number | boolean | null | undefined;

/** `/api/files/<route>?agent=&path=&...` for a file of an agent or of the leading master. */
export function fileApiUrl(
  route: string,
  source: FileSource,
  path: string,
  params: Record<string, Param> = {},
): string {
  const search = new URLSearchParams();
  if (source.kind === 'agent') search.set('agent', source.agentId);
  search.set('path', path);
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === false) continue;
    search.set(key, value === true ? '1' : String(value));
  }
  return `/api/files/${route}?${search.toString()}`;
}
