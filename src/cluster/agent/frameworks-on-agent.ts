import type { LocalAgent } from './agent-node';
import type { ExecutorRecord, FrameworkRecord } from '../master/model';

/** A framework as one agent knows it: its live and completed executors there. */
export interface FrameworkOnAgent {
  framework: FrameworkRecord;
  executors: ExecutorRecord[];
  completedExecutors: ExecutorRecord[];
}

/** The frameworks a master knows, registered or completed. */
export interface FrameworkDirectory {
  readonly frameworks: ReadonlyMap<string, FrameworkRecord>;
  readonly completedFrameworks: readonly FrameworkRecord[];
}

/**
 * An agent's frameworks from its executors: those with a live executor there under `frameworks`, those with
 * only completed executors under `completed_frameworks` (a Mesos agent removes a framework once it has no
 * executors left).
 */
export function frameworksOfExecutors(
  master: FrameworkDirectory,
  executors: Iterable<ExecutorRecord>,
  completedExecutors: Iterable<ExecutorRecord>,
): { active: FrameworkOnAgent[]; completed: FrameworkOnAgent[] } {
  const byId = new Map<string, FrameworkOnAgent>();
  const entry = (frameworkId: string) => {
    let found = byId.get(frameworkId);
    if (!found) {
      const framework =
        master.frameworks.get(frameworkId) ?? master.completedFrameworks.find((f) => f.id === frameworkId);
      if (!framework) return undefined;
      byId.set(frameworkId, (found = { framework, executors: [], completedExecutors: [] }));
    }
    return found;
  };
  for (const executor of executors) entry(executor.frameworkId)?.executors.push(executor);
  for (const executor of completedExecutors) entry(executor.frameworkId)?.completedExecutors.push(executor);
  const all = [...byId.values()];
  return {
    active: all.filter((f) => f.executors.length > 0),
    completed: all.filter((f) => f.executors.length === 0),
  };
}

/** A local agent's frameworks (see {@link frameworksOfExecutors}). */
export function frameworksOnAgent(
  master: FrameworkDirectory,
  agent: LocalAgent,
): { active: FrameworkOnAgent[]; completed: FrameworkOnAgent[] } {
  return frameworksOfExecutors(master, agent.executors.values(), agent.completedExecutors);
}
