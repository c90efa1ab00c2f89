import type { FileErrorReason } from '../../bff/schemas/files';
import type { ApiErrorBody } from '../../bff/schemas/views';

/** Every failed request to the mesoscope server surfaces as an `ApiError`. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    /** HTTP status, or 0 when the server could not be reached at all. */
    readonly status: number,
    message: string,
    /** The URL that was requested (relative to the page). */
    readonly url: string,
    /** The server's short error code (`ApiErrorBody.error`), when it sent one. */
    readonly code: string | null = null,
    /** Why a file request failed (`FileErrorBody.reason`: file-not-found, agent-not-found...), when it is one. */
    readonly fileReason: FileErrorReason | null = null,
  ) {
    super(message);
  }

  /** What went wrong with a file request: the server's reason, `network` when it was not reached. */
  get reason(): FileErrorReason | 'network' | 'unknown' {
    return this.fileReason ?? (this.isNetworkError ? 'network' : 'unknown');
  }

  /** True when the server itself could not be reached (network error, not an HTTP error). */
  get isNetworkError(): boolean {
    return this.status === 0;
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

type QueryValue = string | number | boolean | null | undefined;

/**
 * Builds a same-origin URL with query parameters; `null`, `undefined` and `''` are left out.
 * @example buildUrl('/api/tasks', { group: 'active', q: '' }) // '/api/tasks?group=active'
 */
export function buildUrl(path: string, params: Record<string, QueryValue> = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === '') continue;
    search.set(key, String(value));
  }
  const query = search.toString();
  return query === '' ? path : `${path}?${query}`;
}

function isApiErrorBody(value: unknown): value is ApiErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { message?: unknown }).message === 'string' &&
    typeof (value as { error?: unknown }).error === 'string'
  );
}

const MAX_TEXT_MESSAGE = 300;

/** The `ApiError` a failed response stands for, with the server's message, code and file reason. */
export async function errorFromResponse(response: Response, url: string): Promise<ApiError> {
  let message = `${response.status} ${response.statusText}`.trim();
  let code: string | null = null;
  let reason: FileErrorReason | null = null;
  let text = '';
  try {
    text = await response.text();
  } catch {
    // The body could not be read: keep the status line.
  }
  try {
    const body: unknown = JSON.parse(text);
    if (isApiErrorBody(body)) {
      message = body.message;
      code = body.error;
      const fileReason = (body as { reason?: unknown }).reason;
      if (typeof fileReason === 'string') reason = fileReason as FileErrorReason;
    }
  } catch {
    // Mesos answers its file endpoints with plain text ("File not found: /x"); show it if it is short.
    const plain = text.trim();
    if (plain !== '' && plain.length <= MAX_TEXT_MESSAGE && !plain.startsWith('<')) message = plain;
  }
  return new ApiError(response.status, message, url, code, reason);
}

/** GETs JSON from the mesoscope server. Throws `ApiError` on network failure, HTTP errors and bad JSON. */
export async function apiGet<T>(url: string, init: { signal?: AbortSignal } = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/json' }, signal: init.signal ?? null });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'mesoscope server unreachable', url);
  }
  if (!response.ok) throw await errorFromResponse(response, url);
  try {
    return (await response.json()) as T;
  } catch {
    throw new ApiError(response.status, 'The server sent a response that is not valid JSON.', url);
  }
}
