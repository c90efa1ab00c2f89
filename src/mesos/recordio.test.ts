import { describe, expect, it } from 'vitest';
import { RecordIODecoder, RecordIOError, RecordIOJsonDecoder, encodeRecord } from './recordio';

const utf8 = new TextEncoder();
const text = new TextDecoder();

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

const EVENTS = [
  { type: 'SUBSCRIBED', subscribed: { heartbeat_interval_seconds: 15, get_state: { get_agents: {} } } },
  { type: 'HEARTBEAT' },
  // Multi-byte characters: the length header counts bytes, not characters.
  { type: 'TASK_ADDED', task_added: { task: { name: 'réseau ⚙ 🚀', task_id: { value: 'ü-1' } } } },
  { type: 'HEARTBEAT' },
];
const STREAM = concat(EVENTS.map((event) => encodeRecord(JSON.stringify(event))));

describe('RecordIO', () => {
  it('frames a record as its UTF-8 byte length, a newline and the bytes', () => {
    expect(text.decode(encodeRecord('{"type":"HEARTBEAT"}'))).toBe('20\n{"type":"HEARTBEAT"}');
    expect(text.decode(encodeRecord('"é"'))).toBe('4\n"é"');
  });

  it('decodes a whole stream pushed at once', () => {
    expect(new RecordIOJsonDecoder().push(STREAM)).toEqual(EVENTS);
  });

  it('decodes the same records whatever two pieces the stream is split into', () => {
    for (let cut = 0; cut <= STREAM.length; cut += 1) {
      const decoder = new RecordIOJsonDecoder();
      const out = [...decoder.push(STREAM.subarray(0, cut)), ...decoder.push(STREAM.subarray(cut))];
      expect(out).toEqual(EVENTS);
      expect(decoder.idle).toBe(true);
    }
  });

  it('decodes a stream arriving one byte at a time, emitting each record as soon as it is complete', () => {
    const decoder = new RecordIODecoder();
    const completedAt: number[] = [];
    for (let i = 0; i < STREAM.length; i += 1) {
      const records = decoder.push(STREAM.subarray(i, i + 1));
      if (records.length > 0) completedAt.push(i + 1);
    }
    let end = 0;
    const boundaries = EVENTS.map((event) => (end += encodeRecord(JSON.stringify(event)).length));
    expect(completedAt).toEqual(boundaries);
  });

  it('reports a partial record as not idle, and how much of it has arrived', () => {
    const decoder = new RecordIODecoder();
    expect(decoder.push(utf8.encode('10\nabc'))).toEqual([]);
    expect(decoder.idle).toBe(false);
    expect(decoder.pendingBytes).toBe(3);
    expect(decoder.push(utf8.encode('defghij5\n'))).toEqual([utf8.encode('abcdefghij')]);
    expect(decoder.idle).toBe(false);
  });

  it('accepts empty records', () => {
    expect(new RecordIODecoder().push(utf8.encode('0\n0\n2\nok'))).toEqual([
      new Uint8Array(0),
      new Uint8Array(0),
      utf8.encode('ok'),
    ]);
  });

  it('refuses a length header that is not decimal digits', () => {
    expect(() => new RecordIODecoder().push(utf8.encode('12x\n'))).toThrow(RecordIOError);
    expect(() => new RecordIODecoder().push(utf8.encode('\n'))).toThrow(/without a length/);
    expect(() => new RecordIODecoder().push(utf8.encode('{"type":"HEARTBEAT"}'))).toThrow(/non-digit/);
    expect(() => new RecordIODecoder().push(utf8.encode('1234567890123456\n'))).toThrow(/too long/);
  });

  it('refuses a record longer than the limit before buffering it', () => {
    expect(() => new RecordIODecoder(100).push(utf8.encode('101\n'))).toThrow(/101 bytes exceeds/);
    expect(new RecordIODecoder(100).push(utf8.encode('100\n'))).toEqual([]);
  });

  it('names the record that is not JSON', () => {
    const decoder = new RecordIOJsonDecoder();
    expect(() => decoder.push(utf8.encode('2\n{}3\n{x}'))).toThrow(/record 2 \(3 bytes\) is not JSON/);
  });

  it('assembles a large record from many chunks', () => {
    const big = JSON.stringify({ tasks: Array.from({ length: 5_000 }, (_, i) => ({ id: `task-${i}` })) });
    const framed = encodeRecord(big);
    const decoder = new RecordIOJsonDecoder();
    const out: unknown[] = [];
    for (let i = 0; i < framed.length; i += 997) out.push(...decoder.push(framed.subarray(i, i + 997)));
    expect(out).toEqual([JSON.parse(big)]);
  });

  it('hands records from a size on in parts as they arrive, and smaller ones whole, wherever chunks are cut', () => {
    const stream = concat(['ok', 'a much longer record', '', 'fine'].map((text) => encodeRecord(text)));
    for (let cut = 0; cut <= stream.length; cut += 1) {
      const decoder = new RecordIODecoder(1000, 10);
      const seen: string[] = [];
      let streamed = '';
      const sink = {
        record: (bytes: Uint8Array) => seen.push(`whole:${text.decode(bytes)}`),
        begin: (length: number) => seen.push(`begin:${length}`),
        part: (bytes: Uint8Array) => (streamed += text.decode(bytes)),
        end: () => seen.push(`end:${streamed}`),
      };
      decoder.feed(stream.subarray(0, cut), sink);
      decoder.feed(stream.subarray(cut), sink);
      expect(seen, `cut at ${cut}`).toEqual([
        'whole:ok',
        'begin:20',
        'end:a much longer record',
        'whole:',
        'whole:fine',
      ]);
      expect(decoder.idle).toBe(true);
    }
  });

  it('is not idle in the middle of a streamed record', () => {
    const decoder = new RecordIODecoder(1000, 4);
    const sink = { record() {}, begin() {}, part() {}, end() {} };
    decoder.feed(utf8.encode('8\nabcd'), sink);
    expect(decoder.idle).toBe(false);
    decoder.feed(utf8.encode('efgh'), sink);
    expect(decoder.idle).toBe(true);
  });
});
