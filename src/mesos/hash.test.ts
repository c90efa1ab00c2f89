import { describe, expect, it } from 'vitest';
import { fnv1a, fnv1aBytes, hex32 } from './hash';

describe('fnv1a', () => {
  it('matches the published 32-bit FNV-1a test vectors', () => {
    expect(hex32(fnv1a(''))).toBe('811c9dc5');
    expect(hex32(fnv1a('a'))).toBe('e40c292c');
    expect(hex32(fnv1a('foobar'))).toBe('bf9cf968');
  });

  it('hashes bytes the same way as the text they spell', () => {
    expect(fnv1aBytes(new TextEncoder().encode('foobar'))).toBe(fnv1a('foobar'));
  });

  it('continues a hash from a seed as if the texts were one', () => {
    expect(fnv1a('bar', fnv1a('foo'))).toBe(fnv1a('foobar'));
  });

  it('gives an independent hash for another prime', () => {
    expect(fnv1a('foobar', undefined, 0x5bd1e995)).not.toBe(fnv1a('foobar'));
  });
});
