import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseReadBody, ReadBodyError } from './read-body';

const fixture = (path: string) => readFileSync(new URL(`../../../fixtures/mesos/${path}`, import.meta.url));
const bytes = (...values: number[]) => Buffer.from(values);

describe('parseReadBody', () => {
  it('reads the real Mesos answers in the fixtures, whatever the key order and spacing', () => {
    const dcos = parseReadBody(fixture('v0.27-dcos-agent/files-read.json'));
    expect(dcos.offset).toBe(0);
    expect(dcos.data.toString('utf8')).toBe(
      (JSON.parse(fixture('v0.27-dcos-agent/files-read.json').toString('utf8')) as { data: string }).data,
    );
    expect(parseReadBody(fixture('mesos-docs/tests/files-read.expected.json'))).toEqual({
      offset: 0,
      data: Buffer.from('body'),
    });
    const masterLog = JSON.parse(
      fixture('v0.27.1-capgemini/files-read-master-log.json').toString('utf8'),
    ) as unknown[];
    for (const reply of masterLog) {
      const parsed = parseReadBody(Buffer.from(JSON.stringify(reply)));
      expect(parsed.data.toString('utf8')).toBe((reply as { data: string }).data);
    }
  });

  it('keeps raw bytes exactly: a split UTF-8 character and invalid bytes (Mesos 1.x)', () => {
    const body = Buffer.concat([
      Buffer.from('{"offset":7,"data":"x'),
      bytes(0xc3, 0xff, 0x00),
      Buffer.from('"}'),
    ]);
    expect(parseReadBody(body)).toEqual({ offset: 7, data: bytes(0x78, 0xc3, 0xff, 0x00) });
  });

  it('reads old stout escapes as one byte each and standard escapes as UTF-8', () => {
    // stout before Mesos 1.7 wrote "café" as caf\u00c3\u00a9 (each byte escaped).
    expect(parseReadBody(Buffer.from('{"data":"caf\\u00c3\\u00a9","offset":0}')).data).toEqual(
      Buffer.from('café'),
    );
    expect(parseReadBody(Buffer.from('{"offset":0,"data":"\\u20ac \\ud83d\\ude00 \\ud800"}')).data).toEqual(
      Buffer.from('€ 😀 \ufffd'),
    );
    expect(
      parseReadBody(Buffer.from('{"offset":0,"data":"a\\"b\\\\c\\/d\\n\\t\\r\\b\\f\\u0000"}')).data,
    ).toEqual(Buffer.from('a"b\\c/d\n\t\r\b\f\0'));
  });

  it('matches JSON.parse on whatever JSON.stringify makes of any text', () => {
    const text = 'line 1\nünïcödé "quoted" \\ back\u0001\u001f\u007f tab\t 😀 end';
    const parsed = parseReadBody(
      Buffer.from(JSON.stringify({ offset: 123, data: text, extra: [1, { a: 'b' }] })),
    );
    expect(parsed).toEqual({ offset: 123, data: Buffer.from(text) });
  });

  it('refuses what is not a read answer', () => {
    for (const body of [
      '',
      '[]',
      '{"offset":1}',
      '{"data":"x"}',
      '{"offset":1,"data":"x',
      '{"offset":"a","data":""}',
    ]) {
      expect(() => parseReadBody(Buffer.from(body)), body).toThrow(ReadBodyError);
    }
  });
});
