/**
 * Reads until the reading is there: `read` answers undefined (or throws) while it is not yet, or, with
 * `accept`, until a reading passes it. Fails after `timeoutMs`, naming the last error or reading. For tests
 * over real processes and sockets, where things happen "soon" rather than at once.
 */
export async function eventually<T>(
  read: () => Promise<T | undefined> | T | undefined,
  acceptOrTimeout?: ((value: T) => boolean) | number,
  timeoutMs = typeof acceptOrTimeout === 'number' ? acceptOrTimeout : 10_000,
): Promise<T> {
  const accept = typeof acceptOrTimeout === 'function' ? acceptOrTimeout : () => true;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await read();
      if (value !== undefined && accept(value)) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const said = last instanceof Error ? last.message : JSON.stringify(last)?.slice(0, 500);
      throw new Error(`Timed out after ${timeoutMs} ms waiting (last: ${said ?? 'no value'})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
