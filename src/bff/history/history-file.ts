import { crc32 } from 'node:zlib';
import type { HistorySample } from './history-sample';

/**
 * The on-disk history: a 16-byte header, then fixed-size records appended one per sample.
 *
 *   header  "MSCPHIST" | u32 format version | u32 record size          (little-endian)
 *   record  u32 CRC-32 of the payload | f64 time ms | f32 × 8 resources | u32 running | u32 failures
 *
 * A crash can leave half a record at the end (dropped on load); a record whose checksum fails is skipped.
 * The header never changes, so a damaged one is told apart from a file of another kind by its records: every
 * record that checks out is recovered. Only a file in which none does is reported as corrupt.
 */
const MAGIC = Buffer.from('MSCPHIST', 'latin1');
const FORMAT_VERSION = 1;
export const HEADER_BYTES = 16;
const PAYLOAD_BYTES = 8 + 8 * 4 + 2 * 4;
export const RECORD_BYTES = 4 + PAYLOAD_BYTES;

export class CorruptHistoryError extends Error {}

export function encodeHeader(): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeUInt32LE(FORMAT_VERSION, 8);
  header.writeUInt32LE(RECORD_BYTES, 12);
  return header;
}

export function encodeRecord(sample: HistorySample, into = Buffer.alloc(RECORD_BYTES), at = 0): Buffer {
  let o = at + 4;
  into.writeDoubleLE(sample.t, o);
  o += 8;
  const { total, allocated } = sample;
  for (const value of [
    total.cpus,
    total.gpus,
    total.mem,
    total.disk,
    allocated.cpus,
    allocated.gpus,
    allocated.mem,
    allocated.disk,
  ]) {
    into.writeFloatLE(value, o);
    o += 4;
  }
  into.writeUInt32LE(counter(sample.running), o);
  into.writeUInt32LE(counter(sample.failures), o + 4);
  into.writeUInt32LE(crc32(into.subarray(at + 4, at + RECORD_BYTES)), at);
  return into;
}

/** A whole file: header and every sample, for compaction. */
export function encodeFile(samples: readonly HistorySample[]): Buffer {
  const buffer = Buffer.alloc(HEADER_BYTES + samples.length * RECORD_BYTES);
  encodeHeader().copy(buffer, 0);
  samples.forEach((sample, i) => encodeRecord(sample, buffer, HEADER_BYTES + i * RECORD_BYTES));
  return buffer;
}

interface DecodedHistory {
  samples: HistorySample[];
  /** Human-readable notes on what was dropped or repaired (torn tail, bad checksums, damaged header). */
  warnings: string[];
  /** Whether anything but a torn tail was wrong: the file was damaged and is worth keeping for a person. */
  damaged: boolean;
}

/**
 * Reads a history file; throws `CorruptHistoryError` when it is not one (nor a damaged one: not a single record
 * checks out). Never returns an invalid sample.
 */
export function decodeFile(buffer: Buffer): DecodedHistory {
  const headerProblem = checkHeader(buffer);
  const warnings: string[] = [];
  const body = Math.max(0, buffer.length - HEADER_BYTES);
  const whole = Math.floor(body / RECORD_BYTES);
  const samples: HistorySample[] = [];
  let bad = 0;
  for (let i = 0; i < whole; i += 1) {
    const at = HEADER_BYTES + i * RECORD_BYTES;
    const sample = decodeRecord(buffer, at);
    if (sample) samples.push(sample);
    else bad += 1;
  }
  if (headerProblem !== null) {
    if (samples.length === 0) throw new CorruptHistoryError(headerProblem);
    const count = `${samples.length} record${samples.length === 1 ? '' : 's'}`;
    warnings.push(`damaged header: recovered the ${count} that check out`);
  }
  if (body % RECORD_BYTES !== 0) {
    warnings.push(`dropped an incomplete last record (${body % RECORD_BYTES} bytes)`);
  }
  if (bad > 0) warnings.push(`skipped ${bad} damaged record${bad === 1 ? '' : 's'}`);
  return { samples, warnings, damaged: headerProblem !== null || bad > 0 };
}

/** What is wrong with the header, or null when it is exactly the one this version writes. */
function checkHeader(buffer: Buffer): string | null {
  if (buffer.length < HEADER_BYTES || !buffer.subarray(0, MAGIC.length).equals(MAGIC)) {
    return 'not a mesoscope history file (bad header)';
  }
  const version = buffer.readUInt32LE(8);
  const recordBytes = buffer.readUInt32LE(12);
  if (version !== FORMAT_VERSION || recordBytes !== RECORD_BYTES) {
    return `unsupported history format ${version} (record size ${recordBytes})`;
  }
  return null;
}

function decodeRecord(buffer: Buffer, at: number): HistorySample | null {
  const payload = buffer.subarray(at + 4, at + RECORD_BYTES);
  if (crc32(payload) !== buffer.readUInt32LE(at)) return null;
  const t = payload.readDoubleLE(0);
  const values = Array.from({ length: 8 }, (_, i) => payload.readFloatLE(8 + i * 4));
  if (!Number.isFinite(t) || t <= 0 || values.some((value) => !Number.isFinite(value) || value < 0)) {
    return null;
  }
  const [tc = 0, tg = 0, tm = 0, td = 0, ac = 0, ag = 0, am = 0, ad = 0] = values;
  return {
    t,
    total: { cpus: tc, gpus: tg, mem: tm, disk: td },
    allocated: { cpus: ac, gpus: ag, mem: am, disk: ad },
    running: payload.readUInt32LE(40),
    failures: payload.readUInt32LE(44),
  };
}

function counter(value: number): number {
  if (!Number.isFinite(value) || value < 0) return 0;
  return Math.min(Math.round(value), 0xffff_ffff);
}
