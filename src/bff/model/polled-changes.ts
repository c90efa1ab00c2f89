/**
 * What changed between two polled states of a master (one without the v1 event stream). Every poll parses a
 * whole new state, so every task is a new object: the tasks whose JSON is the same as in the previous poll,
 * at the same place, are swapped back for the previous poll's objects, and the changes are said the way a
 * streamed state says them (see `changesOf`), so that a model kept by task object updates only what changed.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Framework, MasterState, Task } from '../../mesos';
import { frameworkRoles } from '../../mesos';
import type { ListedGroup, Listing, PublishedChanges } from '../../mesos/operator-v1/stream-state';

const polledChanges = new WeakMap<MasterState, PublishedChanges>();

/** The changes {@link diffPolledState} found leading to a polled state. */
export function polledChangesOf(state: MasterState): PublishedChanges | undefined {
  return polledChanges.get(state);
}

/** Every list of tasks of a state, with where it lists them (the places a task model tells apart). */
function* placesOf(state: MasterState): Generator<[task: Task[], group: ListedGroup, listing: Listing]> {
  for (const framework of state.frameworks) {
    yield [framework.tasks, 'active', 'framework'];
    yield [framework.unreachable_tasks, 'unreachable', 'framework'];
    yield [framework.completed_tasks, 'completed', 'framework'];
  }
  if (state.orphan_tasks) yield [state.orphan_tasks, 'active', 'orphan'];
  for (const framework of state.completed_frameworks) {
    yield [framework.completed_tasks, 'completed', 'retired'];
    yield [framework.tasks, 'completed', 'retired'];
  }
}

function placeKey(task: Task, group: ListedGroup, listing: Listing): string {
  return `${group}\u0000${listing}\u0000${task.framework_id}\u0000${task.id}`;
}

/**
 * Compares `next` with `previous` task by task: in `next`, each task equal to one of `previous` at the same
 * place becomes that very object (`next`'s lists are changed in place: it is a state just parsed, nobody
 * else holds it). Records the changes for {@link polledChangesOf} and returns them.
 */
export function diffPolledState(previous: MasterState, next: MasterState): PublishedChanges {
  const before = new Map<string, Task | Task[]>();
  for (const [tasks, group, listing] of placesOf(previous)) {
    for (const task of tasks) {
      const key = placeKey(task, group, listing);
      const found = before.get(key);
      if (found === undefined) before.set(key, task);
      else if (Array.isArray(found)) found.push(task);
      else before.set(key, [found, task]);
    }
  }
  const kept = new Set<Task>();
  const added: Array<{ task: Task; group: ListedGroup; listing: Listing }> = [];
  for (const [tasks, group, listing] of placesOf(next)) {
    for (let i = 0; i < tasks.length; i += 1) {
      const task = tasks[i] as Task;
      const key = placeKey(task, group, listing);
      const same = takeEqual(before, key, task);
      if (same) {
        tasks[i] = same;
        kept.add(same);
      } else {
        added.push({ task, group, listing });
      }
    }
  }
  const removed: Task[] = [];
  for (const [tasks] of placesOf(previous)) {
    for (const task of tasks) if (!kept.has(task)) removed.push(task);
  }
  const changes: PublishedChanges = {
    previous,
    removed,
    added,
    frameworks: changedKeys(frameworkLooks(previous), frameworkLooks(next)),
    agents: changedKeys(
      new Map(previous.slaves.map((agent) => [agent.id, agent.hostname])),
      new Map(next.slaves.map((agent) => [agent.id, agent.hostname])),
    ),
  };
  polledChanges.set(next, changes);
  return changes;
}

/** A task of `before` at `key` equal to `task`, taken out so that it is matched once. */
function takeEqual(before: Map<string, Task | Task[]>, key: string, task: Task): Task | undefined {
  const found = before.get(key);
  if (found === undefined) return undefined;
  if (!Array.isArray(found)) {
    if (!isDeepStrictEqual(found, task)) return undefined;
    before.delete(key);
    return found;
  }
  const at = found.findIndex((candidate) => isDeepStrictEqual(candidate, task));
  return at === -1 ? undefined : found.splice(at, 1)[0];
}

/** What a task's row reads of its framework: its name and role, and whether it is active or completed. */
function frameworkLooks(state: MasterState): Map<string, string> {
  const looks = new Map<string, string>();
  const look = (framework: Framework, where: string) =>
    JSON.stringify([where, framework.name, frameworkRoles(framework)]);
  for (const framework of state.completed_frameworks) {
    looks.set(framework.id, `${looks.get(framework.id) ?? ''}${look(framework, 'completed')}`);
  }
  for (const framework of state.frameworks) {
    looks.set(framework.id, `${looks.get(framework.id) ?? ''}${look(framework, 'active')}`);
  }
  return looks;
}

/** The keys whose value differs, or that only one of the maps has. */
function changedKeys<V>(before: ReadonlyMap<string, V>, after: ReadonlyMap<string, V>): Set<string> {
  const changed = new Set<string>();
  for (const [key, value] of before) if (!after.has(key) || after.get(key) !== value) changed.add(key);
  for (const key of after.keys()) if (!before.has(key)) changed.add(key);
  return changed;
}
