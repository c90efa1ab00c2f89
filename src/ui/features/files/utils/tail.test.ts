import { describe, expect, it } from 'vitest';
import { applyRead, READ_CHUNK_BYTES, startTail, TAIL_START_BYTES, utf8Length } from './tail';

const text = (state: ReturnType<typeof startTail>) => state.chunks.map((chunk) => chunk.text).join('');

describe('file tail', () => {
  it('starts one page before the end of a big file, at 0 for a small one', () => {
    expect(startTail(100_000)).toMatchObject({
      end: 100_000 - TAIL_START_BYTES,
      skipToNewline: true,
      truncated: true,
    });
    expect(startTail(1000)).toMatchObject({ end: 0, skipToNewline: false, truncated: false });
  });

  it('drops the partial first line unless the read starts at 0', () => {
    const mid = applyRead(startTail(50_000), {
      offset: 50_000 - TAIL_START_BYTES,
      data: 'tial line\nline 2\n',
    });
    expect(text(mid.state)).toBe('line 2\n');
    const fromStart = applyRead(startTail(10), { offset: 0, data: 'line 1\nline 2\n' });
    expect(text(fromStart.state)).toBe('line 1\nline 2\n');
  });

  it('keeps dropping until a newline arrives', () => {
    let state = startTail(40_000);
    state = applyRead(state, { offset: state.end, data: 'no newline here' }).state;
    expect(text(state)).toBe('');
    expect(state.skipToNewline).toBe(true);
    state = applyRead(state, { offset: state.end, data: 'still\nnext\n' }).state;
    expect(text(state)).toBe('next\n');
    expect(state.skipToNewline).toBe(false);
  });

  it('advances the offset in UTF-8 bytes, not characters', () => {
    const data = 'héllo → wörld\n';
    expect(utf8Length(data)).toBe(18);
    const { state } = applyRead(startTail(0), { offset: 0, data });
    expect(state.end).toBe(18);
    expect(applyRead(state, { offset: 18, data: '€' }).state.end).toBe(21);
  });

  it('asks to read again at once only after a full chunk', () => {
    const full = 'x'.repeat(READ_CHUNK_BYTES - 1) + '\n';
    expect(applyRead(startTail(0), { offset: 0, data: full }).full).toBe(true);
    expect(applyRead(startTail(0), { offset: 0, data: 'short\n' }).full).toBe(false);
    expect(applyRead(startTail(0), { offset: 0, data: '' }).full).toBe(false);
    expect(applyRead(startTail(0), { offset: 0, data: 'abcd' }, 4).full).toBe(true);
  });

  it('stays at the same offset when nothing new was written', () => {
    const { state } = applyRead(startTail(5), { offset: 5, data: '' });
    expect(state.end).toBe(5);
    expect(state.chunks).toHaveLength(0);
  });

  it('keeps memory bounded by dropping the oldest output', () => {
    let state = startTail(0);
    for (let index = 0; index < 10; index += 1) {
      state = applyRead(
        state,
        { offset: state.end, data: `${index}`.repeat(9) + '\n' },
        READ_CHUNK_BYTES,
        35,
      ).state;
    }
    expect(state.chars).toBeLessThanOrEqual(35);
    expect(text(state)).toBe('777777777\n888888888\n999999999\n');
    expect(state.truncated).toBe(true);
    expect(state.end).toBe(100);
  });

  it('trims a single oversized chunk at a line break', () => {
    const { state } = applyRead(startTail(0), { offset: 0, data: 'aaaa\nbbbb\ncccc\n' }, READ_CHUNK_BYTES, 8);
    expect(text(state)).toBe('cccc\n');
    expect(state.truncated).toBe(true);
  });
});
