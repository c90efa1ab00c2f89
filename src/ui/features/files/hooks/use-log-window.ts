import { useCallback, useEffect, useRef, useState } from 'react';
import type { LinesAnswer, LinesPage } from '../../../../bff/schemas/files';
import { formatBytes } from '../../../components/resources/format';
import { FILE_RETRY_MS } from '../../../lib/polling';
import { isApiError } from '../../../lib/api-client';
import { locateLine } from '../api/locate-line';
import { readLines, readLinesPage } from '../api/read-lines';
import type { FileSource } from '../utils/file-source';
import type { LogWindow, WindowLimits } from '../utils/log-window';
import {
  appendPage,
  atEnd,
  DEFAULT_LIMITS,
  prependPage,
  resetWindow,
  windowFromPage,
  withFirstLineNumber,
  withSize,
} from '../utils/log-window';

/** Bytes read when opening at the end: enough to fill a screen at once. */
export const TAIL_BYTES = 96 * 1024;
/** Bytes per page when scrolling back or down, and per follow read. */
const PAGE_BYTES = 256 * 1024;
/** Bytes per follow read while behind (a fast writer): read in bigger steps to catch up. */
const CATCH_UP_BYTES = 4 * 1024 * 1024;
/** Follow: a read that brought this much means a fast writer: read again without waiting. */
const BUSY_READ_BYTES = 64 * 1024;
/** Follow: wait this long after a read that brought new lines. */
const FOLLOW_ACTIVE_MS = 250;
/** Follow: wait this long after a read that found nothing new. */
const FOLLOW_IDLE_MS = 1_000;

/** Where to open the file. */
export type OpenAt = { kind: 'tail' } | { kind: 'offset'; offset: number } | { kind: 'line'; line: number };

interface WindowProblem {
  reason: string;
  message: string;
}

interface LogWindowState {
  window: LogWindow | null;
  /** The line to scroll to and highlight after opening at an offset or a line. */
  anchor: number | null;
  /** The last read failed (the window keeps what it had; reads are retried). */
  problem: WindowProblem | null;
  /** The file does not exist yet: the viewer waits for it. */
  waiting: boolean;
  loadingBefore: boolean;
  loadingAfter: boolean;
}

function problemOf(error: unknown): WindowProblem {
  if (isApiError(error)) return { reason: error.reason, message: error.message };
  return { reason: 'unknown', message: error instanceof Error ? error.message : String(error) };
}

const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';

function timeOfDay(now: number): string {
  return new Date(now).toLocaleTimeString();
}

/**
 * A file as a bounded, windowed list of lines: opens at the end (or at an offset or line), pages back and
 * forth by byte offset, and follows new output while `following`. Truncation and rotation are noticed by the
 * server (size and fingerprint) and marked in the window. Failed reads keep the window and are retried.
 * Remount (change `key`) to open another file.
 */
export function useLogWindow({
  source,
  path,
  openAt,
  following,
  limits = DEFAULT_LIMITS,
}: {
  source: FileSource;
  path: string;
  openAt: OpenAt;
  following: boolean;
  limits?: WindowLimits;
}) {
  const [state, setState] = useState<LogWindowState>({
    window: null,
    anchor: null,
    problem: null,
    waiting: false,
    loadingBefore: false,
    loadingAfter: false,
  });
  const windowRef = useRef<LogWindow | null>(null);
  /** Bumped by every jump: answers to reads started before it are dropped. */
  const generation = useRef(0);
  const busyAfter = useRef(false);
  const busyBefore = useRef(false);
  const lastDataAt = useRef(0);
  /** Bytes the last follow read brought. */
  const lastReadBytes = useRef(0);
  const abort = useRef(new AbortController());
  const agentId = source.kind === 'agent' ? source.agentId : null;
  const sourceRef: FileSource = agentId === null ? { kind: 'master' } : { kind: 'agent', agentId };
  const stableSource = useRef(sourceRef);
  stableSource.current = sourceRef;

  const publish = useCallback((logWindow: LogWindow | null, patch: Partial<LogWindowState> = {}) => {
    windowRef.current = logWindow;
    setState((current) => ({ ...current, ...patch, window: logWindow }));
  }, []);

  /** Opens the window afresh (initial open, End, Home, a search result). */
  const open = useCallback(
    async (at: OpenAt): Promise<void> => {
      generation.current += 1;
      const mine = generation.current;
      const signal = abort.current.signal;
      for (;;) {
        try {
          let page: LinesPage;
          let anchor: number | null = null;
          let anchorLine: number | null = null;
          if (at.kind === 'tail')
            page = await readLinesPage(stableSource.current, path, { tail: true }, TAIL_BYTES, signal);
          else {
            let offset = at.kind === 'offset' ? at.offset : 0;
            if (at.kind === 'line') {
              const located = await locateLine(stableSource.current, path, { line: at.line }, signal);
              offset = located.offset;
              anchorLine = located.line;
            }
            page = await readLinesPage(stableSource.current, path, { at: offset }, PAGE_BYTES, signal);
            anchor = page.anchor ?? offset;
          }
          if (mine !== generation.current) return;
          let logWindow = windowFromPage(page, Date.now(), (windowRef.current?.era ?? -1) + 1);
          if (anchorLine !== null) {
            const index = logWindow.lines.findIndex((line) => line.o === anchor);
            if (index >= 0) logWindow = withFirstLineNumber(logWindow, logWindow.start, anchorLine - index);
          }
          lastDataAt.current = Date.now();
          publish(logWindow, { anchor, problem: null, waiting: false });
          return;
        } catch (error) {
          if (isAbort(error) || mine !== generation.current) return;
          const problem = problemOf(error);
          setState((current) => ({ ...current, problem, waiting: problem.reason === 'file-not-found' }));
          await new Promise((resolve) => window.setTimeout(resolve, FILE_RETRY_MS));
          if (signal.aborted || mine !== generation.current) return;
        }
      }
    },
    [path, publish],
  );

  /**
   * Reads what follows the window. `more`: more is waiting right away; `grew`: new output came; `bytes`: how
   * much came (a fast writer is read in bigger steps, up to CATCH_UP_BYTES).
   */
  const readAfter = useCallback(
    async (checked: boolean): Promise<{ more: boolean; grew: boolean; bytes: number }> => {
      const none = { more: false, grew: false, bytes: 0 };
      const logWindow = windowRef.current;
      if (!logWindow || busyAfter.current) return none;
      busyAfter.current = true;
      const mine = generation.current;
      const signal = abort.current.signal;
      try {
        const behind = logWindow.size - logWindow.end > PAGE_BYTES || lastReadBytes.current > PAGE_BYTES / 2;
        const answer: LinesAnswer = await readLines(
          stableSource.current,
          path,
          checked
            ? { after: logWindow.end, known: logWindow.size, hash: logWindow.endHash }
            : { after: logWindow.end },
          behind ? CATCH_UP_BYTES : PAGE_BYTES,
          signal,
        );
        if (mine !== generation.current || windowRef.current !== logWindow) return none;
        const now = Date.now();
        if (answer.kind === 'unchanged') {
          lastReadBytes.current = 0;
          publish(withSize(logWindow, answer.size), { problem: null, waiting: false });
          return none;
        }
        if (answer.kind === 'reset') {
          const page = await readLinesPage(stableSource.current, path, { tail: true }, TAIL_BYTES, signal);
          if (mine !== generation.current) return none;
          const what = answer.why === 'truncated' ? 'truncated' : 'replaced (rotated or rewritten)';
          const marker = `— ${timeOfDay(now)}: the file was ${what}; it was ${formatBytes(logWindow.size)}, now ${formatBytes(answer.size)}. Showing it as it is now —`;
          lastDataAt.current = now;
          publish(resetWindow(logWindow, page, marker, now, limits), {
            problem: null,
            waiting: false,
            anchor: null,
          });
          return { more: false, grew: true, bytes: 0 };
        }
        const next = appendPage(logWindow, answer, now, limits);
        const grew = answer.lines.length > 0 || answer.partial?.n !== logWindow.partial?.n;
        const bytes = answer.end - answer.start;
        lastReadBytes.current = bytes;
        if (grew) lastDataAt.current = now;
        publish(next, { problem: null, waiting: false });
        return { more: !atEnd(next), grew, bytes };
      } catch (error) {
        if (!isAbort(error) && mine === generation.current)
          setState((current) => ({ ...current, problem: problemOf(error) }));
        throw error;
      } finally {
        busyAfter.current = false;
      }
    },
    [path, publish, limits],
  );

  /** Scrolling back: the page before the window. */
  const loadBefore = useCallback(async () => {
    const logWindow = windowRef.current;
    if (!logWindow || logWindow.start === 0 || busyBefore.current) return;
    busyBefore.current = true;
    setState((current) => ({ ...current, loadingBefore: true }));
    const mine = generation.current;
    try {
      const page = await readLinesPage(
        stableSource.current,
        path,
        { before: logWindow.start },
        PAGE_BYTES,
        abort.current.signal,
      );
      const current = windowRef.current;
      if (mine === generation.current && current && current.start === page.end) {
        publish(prependPage(current, page, Date.now(), limits), { problem: null });
      }
    } catch (error) {
      if (!isAbort(error) && mine === generation.current)
        setState((current) => ({ ...current, problem: problemOf(error) }));
    } finally {
      busyBefore.current = false;
      setState((current) => ({ ...current, loadingBefore: false }));
    }
  }, [path, publish, limits]);

  /** Scrolling down in a window that does not reach the end of the file. */
  const loadAfter = useCallback(async () => {
    const logWindow = windowRef.current;
    if (!logWindow || atEnd(logWindow)) return;
    setState((current) => ({ ...current, loadingAfter: true }));
    try {
      await readAfter(false);
    } catch {
      // Shown as the window's problem.
    } finally {
      setState((current) => ({ ...current, loadingAfter: false }));
    }
  }, [readAfter]);

  // Open once on mount (the component is keyed by file and position).
  useEffect(() => {
    const controller = new AbortController();
    abort.current = controller;
    void open(openAt);
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- opened once; a new position remounts
  }, []);

  // Follow: while following, read on after the window, whether it reaches the end yet or is catching up (one
  // loop does both: handing over between two readers on every render lost the thread under load).
  const opened = state.window !== null;
  useEffect(() => {
    if (!following || !opened) return;
    let timer: number | undefined;
    let stopped = false;
    const tick = async () => {
      let delay: number;
      try {
        const { more, grew, bytes } = await readAfter(true);
        // A busy file (more waiting, or a big read) is read again at once, like a stream; a quiet one is polled.
        delay =
          more || bytes >= BUSY_READ_BYTES
            ? 0
            : grew || Date.now() - lastDataAt.current < 10_000
              ? FOLLOW_ACTIVE_MS
              : FOLLOW_IDLE_MS;
      } catch {
        delay = FILE_RETRY_MS;
      }
      if (!stopped) timer = window.setTimeout(() => void tick(), delay);
    };
    timer = window.setTimeout(() => void tick(), FOLLOW_ACTIVE_MS);
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [following, opened, readAfter]);

  // Line numbers: when the first line's number is not known, ask the server to count (cheap once counted).
  const numberStart = state.window && state.window.firstLineNumber === null ? state.window.start : null;
  useEffect(() => {
    if (numberStart === null) return;
    const controller = new AbortController();
    locateLine(stableSource.current, path, { offset: numberStart }, controller.signal)
      .then((located) => {
        const logWindow = windowRef.current;
        if (logWindow && logWindow.start === numberStart && located.offset === numberStart) {
          publish(withFirstLineNumber(logWindow, numberStart, located.line));
        }
      })
      .catch(() => undefined);
    return () => controller.abort();
  }, [numberStart, path, publish]);

  const jumpToEnd = useCallback(() => open({ kind: 'tail' }), [open]);
  const jumpToStart = useCallback(() => open({ kind: 'offset', offset: 0 }), [open]);
  const jumpToOffset = useCallback((offset: number) => open({ kind: 'offset', offset }), [open]);
  const jumpToLine = useCallback((line: number) => open({ kind: 'line', line }), [open]);

  return { ...state, loadBefore, loadAfter, jumpToEnd, jumpToStart, jumpToOffset, jumpToLine };
}
