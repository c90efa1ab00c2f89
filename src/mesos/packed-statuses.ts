/**
 * A task's statuses, packed. At `massive` the model holds 200,000 tasks and 500,000 statuses; as objects they
 * were 1.2 million (a 56-byte status, a 16-byte number for its time, and a list of them a task): the biggest
 * per-task part of the heap, and what V8's full collections spend their time marking. Statuses of one task
 * differ mostly in their time: what else they say (state, source, reason, message...) is one of a few
 * hundred values, and so is a task's sequence of them. So a packed list is its sequence of shared, frozen
 * {@link StatusFields} and its own array of times (unboxed doubles), and a `TaskStatus` object is made only
 * for the reader that asks for one (a task's page, the task history's write). The few hot readers use
 * {@link statusFieldsAt} and {@link statusTimeAt}, which make nothing.
 */
import type { StatusFields, StatusList, TaskStatus } from './master-state';
import { SharedValues } from './operator-v1/shared-values';

/**
 * Its own table, so the tasks' shared values (resources, labels...) keep their room; small, because its keys
 * are kept: statuses whose messages name the task (a path, a pid) would each cost their key for nothing.
 */
const statusTable = new SharedValues(10_000);

export class PackedStatuses implements StatusList {
  private constructor(
    /** Shared between every task whose statuses say the same things in the same order. */
    private readonly fields: readonly StatusFields[],
    /** Seconds since the epoch, one a status. */
    private readonly times: readonly number[],
  ) {}

  static readonly EMPTY = new PackedStatuses(Object.freeze([]), Object.freeze([]));

  /** `statuses` packed (each status's `state` and `timestamp` first, as v0 and the conversions write them). */
  static of(statuses: Iterable<TaskStatus>): PackedStatuses {
    const fields: StatusFields[] = [];
    const times: number[] = [];
    let keys: string[] | null = [];
    for (const status of statuses) {
      const own = {} as Record<string, unknown>;
      for (const key in status) if (key !== 'timestamp') own[key] = status[key];
      // A status with a container's networks names the task's own addresses: no other task says the same.
      if (own['container_status'] !== undefined) {
        fields.push(Object.freeze(own) as unknown as StatusFields);
        keys = null;
      } else {
        const key = JSON.stringify(own);
        keys?.push(key);
        fields.push(statusTable.keyed(key, own as unknown as StatusFields));
      }
      times.push(status.timestamp);
    }
    if (times.length === 0) return PackedStatuses.EMPTY;
    // Copied to their length: an array grown by `push` keeps room for 16 more.
    const list = keys ? statusTable.keyed(`[${keys.join(',')}]`, fields.slice()) : fields.slice();
    return new PackedStatuses(list, times.slice());
  }

  get length(): number {
    return this.times.length;
  }

  /** The status at `index` (negative from the end), made now. */
  at(index: number): TaskStatus | undefined {
    const at = index < 0 ? this.times.length + index : index;
    const fields = this.fields[at];
    return fields === undefined ? undefined : status(fields, this.times[at]!);
  }

  map<U>(fn: (status: TaskStatus, index: number) => U): U[] {
    const out = new Array<U>(this.times.length);
    for (let at = 0; at < out.length; at++) out[at] = fn(status(this.fields[at]!, this.times[at]!), at);
    return out;
  }

  *[Symbol.iterator](): Iterator<TaskStatus> {
    for (let at = 0; at < this.times.length; at++) yield status(this.fields[at]!, this.times[at]!);
  }

  /** These statuses and `next` after them. */
  with(next: TaskStatus): PackedStatuses {
    return PackedStatuses.of([...this, next]);
  }

  /** As the plain list: a task's JSON is the same packed or not. */
  toJSON(): TaskStatus[] {
    return this.map((s) => s);
  }

  /** @internal for {@link statusFieldsAt} */
  fieldsAt(index: number): StatusFields | undefined {
    return this.fields[index];
  }

  /** @internal for {@link statusTimeAt} */
  timeAt(index: number): number | undefined {
    return this.times[index];
  }
}

/** `statuses` packed, unless they are already. */
export function packStatuses(statuses: StatusList): PackedStatuses {
  return statuses instanceof PackedStatuses ? statuses : PackedStatuses.of(statuses);
}

/** What the status at `index` (from 0) says besides its time, without making a status. */
export function statusFieldsAt(statuses: StatusList, index: number): StatusFields | undefined {
  return statuses instanceof PackedStatuses ? statuses.fieldsAt(index) : statuses.at(index);
}

/** The time of the status at `index` (from 0), in seconds, without making a status. */
export function statusTimeAt(statuses: StatusList, index: number): number | undefined {
  return statuses instanceof PackedStatuses ? statuses.timeAt(index) : statuses.at(index)?.timestamp;
}

function status(fields: StatusFields, timestamp: number): TaskStatus {
  // `state` and `timestamp` first, then the rest in their order: the JSON of a status is as it was read.
  const out = { state: fields.state, timestamp } as TaskStatus;
  for (const key in fields) if (key !== 'state') out[key] = fields[key as keyof StatusFields];
  return out;
}
