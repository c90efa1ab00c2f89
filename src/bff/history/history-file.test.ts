import { describe, expect, it } from 'vitest';
import {
  CorruptHistoryError,
  decodeFile,
  encodeFile,
  encodeHeader,
  encodeRecord,
  HEADER_BYTES,
  RECORD_BYTES,
} from './history-file';
import { sampleAt } from './test-samples';

describe('history file format', () => {
  it('round-trips samples through a whole file', () => {
    const samples = Array.from({ length: 25 }, (_, i) => sampleAt(i));
    const file = encodeFile(samples);
    expect(file.length).toBe(HEADER_BYTES + 25 * RECORD_BYTES);
    expect(decodeFile(file)).toEqual({ samples, warnings: [], damaged: false });
  });

  it('reads appended records the same as a compacted file', () => {
    const appended = Buffer.concat([encodeHeader(), encodeRecord(sampleAt(1)), encodeRecord(sampleAt(2))]);
    expect(appended).toEqual(encodeFile([sampleAt(1), sampleAt(2)]));
  });

  it('drops a torn last record and says so', () => {
    const file = encodeFile([sampleAt(1), sampleAt(2), sampleAt(3)]);
    const torn = file.subarray(0, file.length - 10);
    const decoded = decodeFile(torn);
    expect(decoded.samples).toEqual([sampleAt(1), sampleAt(2)]);
    expect(decoded.warnings).toEqual([`dropped an incomplete last record (${RECORD_BYTES - 10} bytes)`]);
    // A crash mid-append is normal wear, not damage worth keeping a copy of.
    expect(decoded.damaged).toBe(false);
  });

  it('skips records whose checksum fails and keeps the rest', () => {
    const file = encodeFile([sampleAt(1), sampleAt(2), sampleAt(3)]);
    const at = HEADER_BYTES + RECORD_BYTES + 9; // a byte inside the second record's time
    file.writeUInt8(file.readUInt8(at) ^ 0xff, at);
    const decoded = decodeFile(file);
    expect(decoded.samples).toEqual([sampleAt(1), sampleAt(3)]);
    expect(decoded.warnings).toEqual(['skipped 1 damaged record']);
    expect(decoded.damaged).toBe(true);
  });

  it('rejects what is not a history file', () => {
    expect(() => decodeFile(Buffer.from('{"not":"history"}'))).toThrow(CorruptHistoryError);
    expect(() => decodeFile(Buffer.alloc(0))).toThrow(/bad header/);
    expect(() => decodeFile(Buffer.alloc(HEADER_BYTES + 10 * RECORD_BYTES, 0x41))).toThrow(/bad header/);
    const otherVersion = encodeHeader();
    otherVersion.writeUInt32LE(99, 8);
    expect(() => decodeFile(otherVersion)).toThrow(/unsupported history format 99/);
  });

  it('recovers every record under a header with any one byte flipped, and says the file was damaged', () => {
    const samples = Array.from({ length: 5 }, (_, i) => sampleAt(i));
    for (let at = 0; at < HEADER_BYTES; at += 1) {
      for (const flip of [0x01, 0x80, 0xff]) {
        const file = encodeFile(samples);
        file.writeUInt8(file.readUInt8(at) ^ flip, at);
        const decoded = decodeFile(file);
        expect(decoded.samples, `byte ${at} ^ ${flip}`).toEqual(samples);
        expect(decoded.damaged).toBe(true);
        expect(decoded.warnings).toEqual(['damaged header: recovered the 5 records that check out']);
      }
    }
  });

  it('recovers the records that check out when both the header and a record are damaged', () => {
    const file = encodeFile([sampleAt(1), sampleAt(2), sampleAt(3)]);
    file.write('XX', 0, 'latin1');
    const at = HEADER_BYTES + 2 * RECORD_BYTES + 20;
    file.writeUInt8(file.readUInt8(at) ^ 0x04, at);
    const decoded = decodeFile(file);
    expect(decoded.samples).toEqual([sampleAt(1), sampleAt(2)]);
    expect(decoded.warnings).toContain('skipped 1 damaged record');
  });

  it('never returns a sample with a non-finite or negative value, even under a valid checksum', () => {
    const bad = { ...sampleAt(1), allocated: { cpus: Number.NaN, gpus: 0, mem: 0, disk: 0 } };
    const decoded = decodeFile(encodeFile([bad, sampleAt(2)]));
    expect(decoded.samples).toEqual([sampleAt(2)]);
  });
});
