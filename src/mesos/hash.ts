/** The 32-bit FNV-1a offset basis and prime. */
export const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * 32-bit FNV-1a of a string's UTF-16 code units, as an unsigned number: cheap, stable across processes and
 * releases, and enough to tell keys and bodies apart (never for security). `seed` continues a hash over several
 * strings; a second `prime` gives an independent second hash where 32 bits are too few.
 */
export function fnv1a(text: string, seed: number = FNV_OFFSET_BASIS, prime: number = FNV_PRIME): number {
  let h = seed;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), prime);
  return h >>> 0;
}

/**
 * 32-bit FNV-1a of bytes, as an unsigned number. An indexed loop: iterating the bytes took about twice as long
 * (each `GET_AGENTS` answer's 14 MB are hashed at 10,000 agents).
 */
export function fnv1aBytes(bytes: Uint8Array, seed: number = FNV_OFFSET_BASIS): number {
  let h = seed;
  const n = bytes.length;
  for (let i = 0; i < n; i += 1) h = Math.imul(h ^ (bytes[i] as number), FNV_PRIME);
  return h >>> 0;
}

/** A 32-bit hash as 8 hex digits, the form ids and fingerprints are stored in. */
export function hex32(hash: number): string {
  return (hash >>> 0).toString(16).padStart(8, '0');
}
