/**
 * Mesos before 0.25 serves its JSON endpoints only with a `.json` suffix (`/master/state.json`, 404 for
 * `/master/state`); later versions serve the plain form, and 1.x only that. Which form each master answered is
 * remembered, so once it is known every read costs one request again.
 */
export class EndpointForms {
  /** `master path` of the endpoints a master answered only in their `.json` form. */
  private readonly legacy = new Set<string>();

  /**
   * Reads `path` of `master` with `read`, in the form that master answered last; on a 404 the other form is
   * tried, and remembered when it answers. When neither does, the first 404 is the answer.
   */
  async read<R extends { status: number }>(
    master: string,
    path: string,
    read: (path: string) => Promise<R>,
  ): Promise<R> {
    const key = `${master} ${path}`;
    const wasLegacy = this.legacy.has(key);
    const first = await read(wasLegacy ? `${path}.json` : path);
    if (first.status !== 404) return first;
    const other = await read(wasLegacy ? path : `${path}.json`);
    if (other.status === 404) return first;
    if (wasLegacy) this.legacy.delete(key);
    else this.legacy.add(key);
    return other;
  }
}
