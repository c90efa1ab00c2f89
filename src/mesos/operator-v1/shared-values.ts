/**
 * One copy of each value that many tasks repeat. A big cluster's tasks name the same few hundred frameworks,
 * agents, states, roles and users, and an app's instances carry the same resources, labels, container,
 * discovery and health check; parsed JSON gives every task its own copy of each (V8 keeps a JSON string value
 * once only when it is a few characters long). Interning them here makes 100,000 tasks cost what their
 * differences cost.
 *
 * The tables are bounded: when one fills (values that do not repeat, e.g. per-task ports), it starts again.
 * Values handed out before stay valid; only later copies stop being shared with them.
 */

const MAX_ENTRIES = 100_000;
/** Longer strings are rarely repeated (a task's own message) and would only fill the table. */
const MAX_STRING_LENGTH = 256;

export class SharedValues {
  private strings = new Map<string, string>();
  private objects = new Map<string, unknown>();

  constructor(private readonly maxEntries = MAX_ENTRIES) {}

  /** The one copy of `value`. */
  string<T extends string | undefined>(value: T): T {
    if (value === undefined || value.length > MAX_STRING_LENGTH) return value;
    const known = this.strings.get(value);
    if (known !== undefined) return known as T;
    if (this.strings.size >= this.maxEntries) this.strings = new Map();
    this.strings.set(value, value);
    return value;
  }

  /**
   * The one copy of a JSON value equal to `value` (compared as JSON). Shared copies are frozen: a reader that
   * changed one would change every task holding it.
   */
  json<T>(value: T): T {
    if (value === undefined || value === null || typeof value !== 'object') return value;
    return this.keyed(JSON.stringify(value), value);
  }

  /** The one copy of the objects the caller names `key` (for one made of values already shared), frozen. */
  keyed<T extends object>(key: string, value: T): T {
    const known = this.objects.get(key);
    if (known !== undefined) return known as T;
    if (this.objects.size >= this.maxEntries) this.objects = new Map();
    const frozen = deepFreeze(value);
    this.objects.set(key, frozen);
    return frozen;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

/** The table tasks read from the operator API share. */
export const sharedValues = new SharedValues();
