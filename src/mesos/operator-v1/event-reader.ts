/**
 * Reads the bytes of a `SUBSCRIBE` stream (RecordIO-framed JSON) into operator events. Small records are
 * parsed whole; a big one (the `SUBSCRIBED` of a big cluster: 288 MB at 100,000 tasks, more than V8's longest
 * string at 300,000) is read as it arrives, each agent, framework, task and executor parsed on its own, so
 * memory holds the parsed state but never the record's text, and progress can be told while it streams.
 */
import { JsonArraySplitter, JsonStreamError } from '../json-array-splitter';
import { RecordIODecoder, RecordIOError } from '../recordio';
import type { RecordSink } from '../recordio';
import { ReadTask, v1TaskToV0 } from './entities';
import type { OperatorEvent } from './events';
import { parseOperatorEvent } from './events';

/** The lists of a `GET_STATE`, each read element by element. */
export const SNAPSHOT_LISTS = [
  ['get_tasks', 'tasks'],
  ['get_tasks', 'unreachable_tasks'],
  ['get_tasks', 'completed_tasks'],
  ['get_tasks', 'orphan_tasks'],
  ['get_executors', 'executors'],
  ['get_frameworks', 'frameworks'],
  ['get_frameworks', 'completed_frameworks'],
  ['get_agents', 'agents'],
  ['get_agents', 'recovered_agents'],
] as const;

export type SnapshotList = (typeof SNAPSHOT_LISTS)[number][1];

const TASK_LISTS: ReadonlySet<SnapshotList> = new Set([
  'tasks',
  'unreachable_tasks',
  'completed_tasks',
  'orphan_tasks',
]);

/** Records from this size are read as a stream (smaller ones are parsed faster whole). */
export const STREAM_FROM_BYTES = 4 * 1024 * 1024;

/** How far the big record being read has got. */
export interface RecordProgress {
  /** The record's size in bytes (RecordIO says it up front). */
  bytes: number;
  bytesRead: number;
  /** Elements read so far, per list of the state. */
  read: Record<SnapshotList, number>;
}

export interface EventReaderOptions {
  /** Records announcing more than this are refused. */
  maxRecordBytes?: number;
  /** Records of at least this size are read as a stream (default {@link STREAM_FROM_BYTES}). */
  streamFromBytes?: number;
  onEvent: (event: OperatorEvent) => void;
  /** A big record starts, and then after every chunk of it: how far it has got. */
  onProgress?: (progress: RecordProgress) => void;
}

const PATHS = SNAPSHOT_LISTS.map((path) => ['subscribed', 'get_state', ...path]);

function noneRead(): Record<SnapshotList, number> {
  return Object.fromEntries(SNAPSHOT_LISTS.map(([, list]) => [list, 0])) as Record<SnapshotList, number>;
}

export class OperatorEventReader {
  private readonly frames: RecordIODecoder;
  private readonly text = new TextDecoder('utf-8', { fatal: true });
  private readonly sink: RecordSink;
  private count = 0;
  private splitter: JsonArraySplitter | null = null;
  private progress: RecordProgress | null = null;

  constructor(private readonly options: EventReaderOptions) {
    this.frames = new RecordIODecoder(options.maxRecordBytes, options.streamFromBytes ?? STREAM_FROM_BYTES);
    this.sink = {
      record: (bytes) => this.whole(bytes),
      begin: (length) => this.begin(length),
      part: (bytes) => this.part(bytes),
      end: () => this.end(),
    };
  }

  /** True when no partial record is buffered, i.e. the stream may end here cleanly. */
  get idle(): boolean {
    return this.frames.idle;
  }

  /** Consumes a chunk, delivering the events it completes; throws `RecordIOError` for a record it cannot read. */
  push(chunk: Uint8Array): void {
    this.frames.feed(chunk, this.sink);
    if (this.progress) this.options.onProgress?.(this.progress);
  }

  private whole(bytes: Uint8Array): void {
    this.count += 1;
    let text: string;
    try {
      text = this.text.decode(bytes);
    } catch {
      throw new RecordIOError(`RecordIO record ${this.count} is not valid UTF-8`);
    }
    let value: unknown;
    try {
      value = JSON.parse(text) as unknown;
    } catch {
      throw new RecordIOError(`RecordIO record ${this.count} (${bytes.length} bytes) is not JSON`);
    }
    this.options.onEvent(parseOperatorEvent(value));
  }

  private begin(length: number): void {
    this.count += 1;
    const progress: RecordProgress = { bytes: length, bytesRead: 0, read: noneRead() };
    this.progress = progress;
    this.splitter = new JsonArraySplitter({
      arrays: PATHS,
      // Each task is converted as soon as it is read: its v0 form is a fraction of its v1 JSON's size, and a
      // big cluster's snapshot holds 200,000 of them until it is whole.
      mapElement: (array, element, index) => {
        const list = SNAPSHOT_LISTS[array]?.[1];
        return list && TASK_LISTS.has(list)
          ? new ReadTask(v1TaskToV0(element, `get_tasks.${list}[${index}]`))
          : element;
      },
      onElement: (array) => {
        const list = SNAPSHOT_LISTS[array]?.[1];
        if (list) progress.read[list] += 1;
      },
    });
    this.options.onProgress?.(progress);
  }

  private part(bytes: Uint8Array): void {
    if (!this.splitter || !this.progress) return;
    this.progress.bytesRead += bytes.length;
    try {
      this.splitter.push(bytes);
    } catch (error) {
      throw this.unreadable(error);
    }
  }

  private end(): void {
    const splitter = this.splitter;
    this.splitter = null;
    this.progress = null;
    if (!splitter) return;
    let value: unknown;
    try {
      value = splitter.end();
    } catch (error) {
      throw this.unreadable(error);
    }
    this.options.onEvent(parseOperatorEvent(value));
  }

  private unreadable(error: unknown): unknown {
    if (!(error instanceof JsonStreamError)) return error;
    return new RecordIOError(`RecordIO record ${this.count} is not JSON: ${error.message}`);
  }
}
