import type { FileErrorBody, FileErrorReason } from '../../../../bff/schemas/files';
import type { FileSource } from '../utils/file-source';

/** Why a file request failed: the BFF's reason, or `network` when mesoscope itself was not reached. */
export class FileRequestError extends Error {
  override readonly name = 'FileRequestError';

  constructor(
    readonly status: number,
    readonly reason: FileErrorReason | 'network' | 'unknown',
    message: string,
  ) {
    super(message);
  }
}

export function isFileRequestError(error: unknown): error is FileRequestError {
  return error instanceof FileRequestError;
}

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

function isFileErrorBody(value: unknown): value is FileErrorBody {
  return typeof value === 'object' && value !== null && typeof (value as FileErrorBody).reason === 'string';
}

/** Turns a failed response into a FileRequestError with the BFF's reason and message. */
export async function fileErrorFrom(response: Response): Promise<FileRequestError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON: keep the status line.
  }
  if (isFileErrorBody(body)) return new FileRequestError(response.status, body.reason, body.message);
  const message = (body as { message?: unknown } | null)?.message;
  return new FileRequestError(
    response.status,
    'unknown',
    typeof message === 'string' ? message : `${response.status} ${response.statusText}`.trim(),
  );
}

/** GETs JSON from a file endpoint; throws FileRequestError (or the AbortError when aborted). */
export async function fileGet<T>(url: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/json' }, signal: signal ?? null });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new FileRequestError(0, 'network', 'mesoscope server unreachable');
  }
  if (!response.ok) throw await fileErrorFrom(response);
  return (await response.json()) as T;
}
