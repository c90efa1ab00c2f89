import { statusTimeAt } from '../../mesos';
import type { Task } from '../../mesos';

/**
 * What the recorder last wrote of each task, in a few bytes a task: a 32-bit mark of its state, how many
 * statuses it has, its last status's time and its agent, kept under the framework id and task id strings the
 * tasks already hold (no key is made per task). The state and the number of statuses are in the mark as they
 * are (the number modulo 128), so a new status or a new state always changes it; a new time or agent alone
 * changes it unless its 20-bit hash collides with the previous one's.
 */
export class TaskMarks {
  private readonly byFramework = new Map<string, Map<string, number>>();
  private readonly states = new Map<string, number>();
  private readonly agents = new Map<string, number>();
  private readonly words = new Uint32Array(2);
  private readonly time = new Float64Array(this.words.buffer);

  /** Notes `task`'s mark; true when it differs from the one noted before (or none was). */
  changed(task: Task): boolean {
    let tasks = this.byFramework.get(task.framework_id);
    if (!tasks) this.byFramework.set(task.framework_id, (tasks = new Map()));
    const mark = this.markOf(task);
    if (tasks.get(task.id) === mark) return false;
    tasks.set(task.id, mark);
    return true;
  }

  clear(): void {
    this.byFramework.clear();
    this.states.clear();
    this.agents.clear();
  }

  markOf(task: Task): number {
    const statuses = task.statuses;
    this.time[0] = statusTimeAt(statuses, statuses.length - 1) ?? Number.NaN;
    const hash = mix(
      mix(mix(0x811c9dc5, this.words[0]!), this.words[1]!),
      this.codeOf(this.agents, task.slave_id),
    );
    const state = this.codeOf(this.states, task.state) & 0x1f;
    return (state << 27) | ((statuses.length & 0x7f) << 20) | (hash & 0xfffff) | 0;
  }

  private codeOf(codes: Map<string, number>, value: string): number {
    let code = codes.get(value);
    if (code === undefined) codes.set(value, (code = codes.size));
    return code;
  }
}

/** One step of a 32-bit multiplicative hash (murmur3's mixing of one word). */
function mix(hash: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  let h = hash ^ k;
  h = (h << 13) | (h >>> 19);
  h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h;
}
