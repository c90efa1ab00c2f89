import { useEffect, useState } from 'react';
import type { ReadResponse } from '../../../../mesos/files';
import { apiGet, isApiError } from '../../../lib/api-client';
import { FILE_RETRY_MS, FILE_TAIL_MS } from '../../../lib/polling';
import { filesBase, type FileSource } from '../utils/file-source';
import { applyRead, READ_CHUNK_BYTES, startTail, type TailState } from '../utils/tail';

/**
 * GET <files>/read?path=&offset=&length=. `offset=-1` asks for the size: the answer is
 * `{offset: <size>, data: ""}`. Each answer holds at most 64 KiB.
 */
export function readFile(
  source: FileSource,
  path: string,
  offset: number,
  length: number | null,
  { signal }: { signal?: AbortSignal } = {},
): Promise<ReadResponse> {
  const params = new URLSearchParams({ path, offset: String(offset) });
  if (length !== null) params.set('length', String(length));
  return apiGet<ReadResponse>(`${filesBase(source)}/read?${params.toString()}`, { signal });
}

export interface FileTail {
  tail: TailState | null;
  /** What went wrong with the last read; cleared by the next successful one. */
  error: { message: string; notFound: boolean } | null;
}

function describe(error: unknown): FileTail['error'] {
  if (isApiError(error)) return { message: error.message, notFound: error.status === 404 };
  return { message: error instanceof Error ? error.message : String(error), notFound: false };
}

/**
 * Tails a file with the pailer algorithm (see `utils/tail.ts`). Not a react-query query: it is a chain of
 * dependent reads whose next offset comes from the previous answer, and the growing text is local state.
 * Remount (change `key`) to start over on another file.
 */
export function useFileTail(agentId: string | null, path: string): FileTail {
  const [result, setResult] = useState<FileTail>({ tail: null, error: null });

  useEffect(() => {
    const source: FileSource = agentId === null ? { kind: 'master' } : { kind: 'agent', agentId };
    const controller = new AbortController();
    const { signal } = controller;
    let timer: number | undefined;
    let tail: TailState | null = null;

    const later = (step: () => Promise<void>, ms: number) => {
      timer = window.setTimeout(() => void step(), ms);
    };

    const probe = async (): Promise<void> => {
      try {
        const size = await readFile(source, path, -1, null, { signal });
        tail = startTail(size.offset);
        setResult({ tail, error: null });
        await follow();
      } catch (error) {
        if (signal.aborted) return;
        setResult((previous) => ({ ...previous, error: describe(error) }));
        later(probe, FILE_RETRY_MS);
      }
    };

    const follow = async (): Promise<void> => {
      if (!tail) return;
      try {
        const read = await readFile(source, path, tail.end, READ_CHUNK_BYTES, { signal });
        const next = applyRead(tail, read, READ_CHUNK_BYTES);
        tail = next.state;
        setResult({ tail, error: null });
        // A full chunk means there is more right now: read on at once (on the next task, to let React paint).
        later(follow, next.full ? 0 : FILE_TAIL_MS);
      } catch (error) {
        if (signal.aborted) return;
        setResult((previous) => ({ ...previous, error: describe(error) }));
        later(follow, FILE_RETRY_MS);
      }
    };

    later(probe, 0);
    return () => {
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [agentId, path]);

  return result;
}
