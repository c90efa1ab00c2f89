import { useCallback, useEffect, useRef, useState } from 'react';
import type { SearchEvent } from '../../../../bff/schemas/files';
import type { FileSource } from '../utils/file-source';
import type { SearchOptions } from '../utils/line-search';
import { ApiError, errorFromResponse } from '../../../lib/api-client';
import { fileApiUrl } from './file-request';

export type SearchMatch = Extract<SearchEvent, { type: 'match' }>;

/**
 * GET /api/files/search: the BFF scans the whole file and streams NDJSON events (start, matches, progress,
 * end or error). `onEvent` gets each one as it arrives; aborting the signal stops the scan on the server too.
 */
export async function streamFileSearch(
  source: FileSource,
  path: string,
  options: SearchOptions,
  onEvent: (event: SearchEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  const url = fileApiUrl('search', source, path, {
    q: options.query,
    regex: options.regex ? '1' : '0',
    case: options.caseSensitive ? '1' : '0',
  });
  let response: Response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/x-ndjson' }, signal });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'mesoscope server unreachable', url);
  }
  if (!response.ok) throw await errorFromResponse(response, url);
  if (!response.body) throw new ApiError(response.status, 'The search answer has no body', url);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffered += value;
    let newline = buffered.indexOf('\n');
    while (newline !== -1) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.trim() !== '') onEvent(JSON.parse(line) as SearchEvent);
      newline = buffered.indexOf('\n');
    }
  }
}

export interface WholeFileSearch {
  status: 'idle' | 'running' | 'done' | 'error';
  matches: SearchMatch[];
  size: number;
  scanned: number;
  lines: number;
  limited: boolean;
  ms: number | null;
  /** ms from the start until the first match arrived. */
  firstMatchMs: number | null;
  error: string | null;
  options: SearchOptions | null;
}

const IDLE: WholeFileSearch = {
  status: 'idle',
  matches: [],
  size: 0,
  scanned: 0,
  lines: 0,
  limited: false,
  ms: null,
  firstMatchMs: null,
  error: null,
  options: null,
};

/** Matches are handed to React at most this often, so that a flood of them does not re-render per match. */
const FLUSH_MS = 100;

/** Runs one whole-file search at a time; starting another or leaving the page cancels the running one. */
export function useWholeFileSearch(source: FileSource, path: string) {
  const [state, setState] = useState<WholeFileSearch>(IDLE);
  const controller = useRef<AbortController | null>(null);
  const agentId = source.kind === 'agent' ? source.agentId : null;

  const cancel = useCallback(() => {
    controller.current?.abort();
    controller.current = null;
    setState((current) => (current.status === 'running' ? { ...current, status: 'done' } : current));
  }, []);

  const clear = useCallback(() => {
    controller.current?.abort();
    controller.current = null;
    setState(IDLE);
  }, []);

  const start = useCallback(
    (options: SearchOptions) => {
      controller.current?.abort();
      const abort = new AbortController();
      controller.current = abort;
      const started = performance.now();
      let next: WholeFileSearch = { ...IDLE, status: 'running', options };
      let pending: SearchMatch[] = [];
      let timer: number | undefined;
      const flush = () => {
        timer = undefined;
        if (abort.signal.aborted) return;
        next = { ...next, matches: pending.length > 0 ? [...next.matches, ...pending] : next.matches };
        pending = [];
        setState(next);
      };
      const schedule = () => {
        timer ??= window.setTimeout(flush, FLUSH_MS);
      };
      setState(next);
      const sourceRef: FileSource = agentId === null ? { kind: 'master' } : { kind: 'agent', agentId };
      streamFileSearch(
        sourceRef,
        path,
        options,
        (event) => {
          if (event.type === 'start') next = { ...next, size: event.size };
          else if (event.type === 'match') {
            if (next.firstMatchMs === null)
              next = { ...next, firstMatchMs: Math.round(performance.now() - started) };
            pending.push(event);
          } else if (event.type === 'progress')
            next = { ...next, scanned: event.scanned, lines: event.lines };
          else if (event.type === 'end') {
            next = {
              ...next,
              status: 'done',
              scanned: event.scanned,
              lines: event.lines,
              limited: event.limited,
              ms: event.ms,
            };
          } else next = { ...next, status: 'error', error: event.message };
          schedule();
        },
        abort.signal,
      )
        .then(() => {
          window.clearTimeout(timer);
          if (next.status === 'running') next = { ...next, status: 'done' };
          flush();
        })
        .catch((error: unknown) => {
          window.clearTimeout(timer);
          if (abort.signal.aborted) return;
          next = { ...next, status: 'error', error: error instanceof Error ? error.message : String(error) };
          flush();
        });
    },
    [agentId, path],
  );

  useEffect(() => () => controller.current?.abort(), []);

  return { ...state, start, cancel, clear };
}
