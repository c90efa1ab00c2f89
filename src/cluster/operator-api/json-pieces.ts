/**
 * Writes very large JSON documents as a list of string pieces instead of one string: a massive cluster's
 * state is hundreds of MB, and pieces can be counted and written without ever building one giant string.
 */

export type Pieces = string[];

/** A piece is flushed once it holds about this many characters (one huge string is what pieces avoid). */
const PIECE_CHARS = 1 << 20;

/** `[a,b,...]` as pieces, or null when there is nothing (protobuf JSON leaves empty lists out). */
export function arrayPieces<T>(items: Iterable<T>, render: (item: T) => unknown): Pieces | null {
  const out: Pieces = ['['];
  let batch: string[] = [];
  let chars = 0;
  let count = 0;
  const flush = () => {
    out.push((out.length > 1 ? ',' : '') + batch.join(','));
    batch = [];
    chars = 0;
  };
  for (const item of items) {
    const json = JSON.stringify(render(item));
    batch.push(json);
    chars += json.length;
    count += 1;
    if (chars >= PIECE_CHARS) flush();
  }
  if (count === 0) return null;
  if (batch.length > 0) flush();
  out.push(']');
  return out;
}

/** Like {@link arrayPieces}, but `[]` when empty (v0 JSON always writes its lists). */
export function listPieces<T>(items: Iterable<T>, render: (item: T) => unknown): Pieces {
  return arrayPieces(items, render) ?? ['[]'];
}

/** `{"k":v,...}` from fields whose values are pieces (null values are left out). */
export function objectPieces(fields: ReadonlyArray<readonly [string, Pieces | null]>): Pieces {
  const out: Pieces = ['{'];
  let first = true;
  for (const [key, value] of fields) {
    if (!value) continue;
    out.push(`${first ? '' : ','}${JSON.stringify(key)}:`, ...value);
    first = false;
  }
  out.push('}');
  return out;
}

/** A small value as pieces. */
export function valuePieces(value: unknown): Pieces {
  return [JSON.stringify(value)];
}

/** Total UTF-8 byte length of the pieces. */
export function byteLength(pieces: Pieces): number {
  let total = 0;
  for (const piece of pieces) total += Buffer.byteLength(piece, 'utf8');
  return total;
}
