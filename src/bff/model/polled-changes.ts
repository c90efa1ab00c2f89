/**
 * What changed between two polled states of a master (one without the v1 event stream). Every poll parses a
 * whole new state, so every task is a new object: the tasks whose JSON is the same as in the previous poll,
 * at the same place, are swapped back for the previous poll's objects, and the changes are said the way a
 * streamed state says them (see `changesOf`), so that a model kept by task object updates only what changed.
 */
import type { Framework, MasterState, Task } from '../../mesos';
import { frameworkRoles } from '../../mesos';
import { sameJson } from '../../mesos/same-json';
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

/** Tasks by place, framework and id (the strings of the state itself: no key is made per task). */
type Places = Map<string, Map<string, Map<string, Task | Task[]>>>;

function placed(
  places: Places,
  task: Task,
  group: ListedGroup,
  listing: Listing,
): Map<string, Task | Task[]> {
  const place = group === 'completed' ? listing : `${group}-${listing}`;
  let byFramework = places.get(place);
  if (!byFramework) places.set(place, (byFramework = new Map()));
  let byId = byFramework.get(task.framework_id);
  if (!byId) byFramework.set(task.framework_id, (byId = new Map()));
  return byId;
}

/**
 * Compares `next` with `previous` task by task: in `next`, each task equal to one of `previous` at the same
 * place becomes that very object (`next`'s lists are changed in place: it is a state just parsed, nobody
 * else holds it). Records the changes for {@link polledChangesOf} and returns them.
 */
export function diffPolledState(previous: MasterState, next: MasterState): PublishedChanges {
  const before: Places = new Map();
  for (const [tasks, group, listing] of placesOf(previous)) {
    for (const task of tasks) {
      const byId = placed(before, task, group, listing);
      const found = byId.get(task.id);
      if (found === undefined) byId.set(task.id, task);
      else if (Array.isArray(found)) found.push(task);
      else byId.set(task.id, [found, task]);
    }
  }
  const added: Array<{ task: Task; group: ListedGroup; listing: Listing }> = [];
  for (const [tasks, group, listing] of placesOf(next)) {
    for (let i = 0; i < tasks.length; i += 1) {
      const task = tasks[i] as Task;
      const same = takeEqual(placed(before, task, group, listing), task);
      if (same) {
        tasks[i] = same;
      } else {
        added.push({ task, group, listing });
      }
    }
  }
  // What no task of the new poll matched has left its place.
  const removed: Task[] = [];
  for (const byFramework of before.values()) {
    for (const byId of byFramework.values()) {
      for (const left of byId.values()) {
        if (Array.isArray(left)) removed.push(...left);
        else removed.push(left);
      }
    }
  }
  const changes: PublishedChanges = {
    previous: new WeakRef(previous),
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

/** A task of the same place and id as `task` in the poll before, equal to it, taken out so that it is matched once. */
function takeEqual(byId: Map<string, Task | Task[]>, task: Task): Task | undefined {
  const found = byId.get(task.id);
  if (found === undefined) return undefined;
  if (!Array.isArray(found)) {
    if (!sameJson(found, task)) return undefined;
    byId.delete(task.id);
    return found;
  }
  const at = found.findIndex((candidate) => sameJson(candidate, task));
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
