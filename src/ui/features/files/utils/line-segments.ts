import type { LogLine } from '../../../../bff/schemas/files';
import type { Segment } from './ansi';
import { ansiSegments } from './ansi';

const segmentCache = new WeakMap<LogLine, Segment[]>();
/** The ANSI segments of a line, computed once per line object. */
export function segmentsOf(line: LogLine): Segment[] {
  let segments = segmentCache.get(line);
  if (!segments) {
    segments = ansiSegments(line.t);
    segmentCache.set(line, segments);
  }
  return segments;
}
