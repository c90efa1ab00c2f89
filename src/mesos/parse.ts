import type { z } from 'zod';

/** Thrown by the `parseX` functions when a reply does not match the Mesos contract. */
export class MesosParseError extends Error {
  override readonly name = 'MesosParseError';

  constructor(
    message: string,
    /** Path of the first offending value, e.g. `slaves[0].id` (empty for the root). */
    readonly path: string,
    readonly issues: readonly z.core.$ZodIssue[],
  ) {
    super(message);
  }
}

/** Formats a zod issue path the way a JS reader would write it: `frameworks[0].tasks`. */
function formatIssuePath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) =>
      typeof key === 'number' ? `[${key}]` : index === 0 ? String(key) : `.${String(key)}`,
    )
    .join('');
}

/** Builds a parser that returns the schema's output or throws a `MesosParseError`. */
export function makeParser<S extends z.ZodType>(schema: S, what: string): (json: unknown) => z.output<S> {
  return (json) => {
    const result = schema.safeParse(json);
    if (result.success) return result.data;
    const first = result.error.issues[0];
    const path = first ? formatIssuePath(first.path) : '';
    const detail = first?.message ?? 'invalid value';
    throw new MesosParseError(
      `Invalid ${what} at ${path === '' ? '(root)' : path}: ${detail}`,
      path,
      result.error.issues,
    );
  };
}
