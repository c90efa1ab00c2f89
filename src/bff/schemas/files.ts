/**
 * What the BFF's file endpoints (`/api/files/*`) answer. The UI imports these as types only.
 * Every offset and length is in BYTES of the file, whatever its encoding; text is UTF-8 decoded with
 * invalid bytes shown as U+FFFD, so an answer is always valid JSON.
 */
import type { ApiErrorBody } from './views';

export type FileErrorReason =
  | 'bad-request'
  | 'file-not-found'
  | 'agent-not-found'
  | 'is-directory'
  | 'forbidden'
  | 'unreachable'
  | 'timeout'
  | 'upstream'
  | 'busy';

/** Error body of the file endpoints: the usual shape plus a machine-readable reason. */
export interface FileErrorBody extends ApiErrorBody {
  reason: FileErrorReason;
}

/** One line of a file. */
export interface LogLine {
  /** Byte offset of the line's first byte. */
  o: number;
  /** Length in bytes, without the newline. */
  n: number;
  /** The text (at most the first 16 KiB of the line; `cut` says when there is more). */
  t: string;
  /** The text stops before the end of the line. */
  cut?: true;
  /** The line starts before `o`, further back than mesoscope looks for line starts (4 MiB). */
  startCut?: true;
}

/** `GET /api/files/lines`: whole lines from `start` to `end`, plus the unterminated last line at the end. */
export interface LinesPage {
  kind: 'lines';
  /** The file's size when it was read. */
  size: number;
  /** Offset of the first line. */
  start: number;
  /** Offset just after the last complete line (after its newline). */
  end: number;
  lines: LogLine[];
  /** Bytes after the last newline when they reach the end of the file: a line still being written. */
  partial: LogLine | null;
  /** Fingerprint of the bytes just before `end`; send it back as `hash` to detect rewrites. */
  endHash: string;
  /** With `at=`: the offset of the line that contains it. */
  anchor?: number;
}

/** With `after=&known=`: the size is still `known`, nothing to read. */
export interface LinesUnchanged {
  kind: 'unchanged';
  size: number;
}

/** With `after=&hash=`: the file is no longer the one read before (truncated, rotated or rewritten). */
interface LinesReset {
  kind: 'reset';
  size: number;
  why: 'truncated' | 'rewritten';
}

export type LinesAnswer = LinesPage | LinesUnchanged | LinesReset;

/** `GET /api/files/line-text`: the whole text of one (long) line. */
export interface LineText {
  offset: number;
  /** Bytes returned (at most 8 MiB). */
  length: number;
  text: string;
  /** The line is longer than what was returned. */
  cut: boolean;
}

/** `GET /api/files/locate`: the line number of an offset, or the offset of a line number. */
export interface LocateAnswer {
  /** 1-based number of the line. */
  line: number;
  /** Offset of that line's first byte. */
  offset: number;
  size: number;
}

/** One line of `GET /api/files/search` (NDJSON): the events of a whole-file search. */
export type SearchEvent =
  | { type: 'start'; size: number }
  | {
      type: 'match';
      /** 1-based line number. */
      line: number;
      lineOffset: number;
      /** Byte offset of the first match in the line (exact for valid UTF-8). */
      offset: number;
      /** Matches in this line. */
      count: number;
      /** The line, or the part of it around the first match (at most 240 characters). */
      text: string;
      /** Where the first match is in `text` (UTF-16 code units). */
      at: number;
      length: number;
    }
  | { type: 'progress'; scanned: number; lines: number; matches: number }
  | {
      type: 'end';
      scanned: number;
      lines: number;
      /** Matching lines found. */
      matches: number;
      /** Stopped at the match limit (10,000 lines). */
      limited: boolean;
      ms: number;
    }
  | { type: 'error'; reason: FileErrorReason | 'pattern-too-slow'; message: string };

/** One running or finished task of an app, for side-by-side and merged logs. */
export interface AppInstance {
  taskId: string;
  agentId: string;
  agentHostname: string | null;
  state: string;
  /** Seconds since the epoch. */
  startTime: number | null;
  /** The task's sandbox on its agent, or null when the agent did not say. */
  directory: string | null;
}

/** `GET /api/files/instances`: every task of one app (same framework, same task name). */
export interface AppInstancesView {
  frameworkId: string;
  frameworkName: string | null;
  name: string;
  instances: AppInstance[];
  /** More tasks exist than are listed (the newest are kept). */
  limited: boolean;
}
