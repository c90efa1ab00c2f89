import type { LocalAgent } from './agent-node';
import type { ClusterCore } from '../master/cluster-core';
import type { ExecutorRecord, FrameworkRecord } from '../master/model';

/** A framework as one agent knows it: its live and completed executors there. */
export interface FrameworkOnAgent {
  framework: FrameworkRecord;
  executors: ExecutorRecord[];
  completedExecutors: ExecutorRecord[];
}

/**
 * The agent's frameworks: those with a live executor there under `frameworks`, those with only completed
 * executors under `completed_frameworks` (a Mesos agent removes a framework once it has no executors left).
 */
export function frameworksOnAgent(
  core: ClusterCore,
  agent: LocalAgent,
): { active: FrameworkOnAgent[]; completed: FrameworkOnAgent[] } {
  const byId = new Map<string, FrameworkOnAgent>();
  const entry = (frameworkId: string) => {
    let found = byId.get(frameworkId);
    if (!found) {
      const framework =
        core.frameworks.get(frameworkId) ?? core.completedFrameworks.find((f) => f.id === frameworkId);
      if (!framework) return undefined;
      byId.set(frameworkId, (found = { framework, executors: [], completedExecutors: [] }));
    }
    return found;
  };
  for (const executor of agent.executors.values()) entry(executor.frameworkId)?.executors.push(executor);
  for (const executor of agent.completedExecutors) {
    entry(executor.frameworkId)?.completedExecutors.push(executor);
  }
  const all = [...byId.values()];
  return {
    active: all.filter((f) => f.executors.length > 0),
    completed: all.filter((f) => f.executors.length === 0),
  };
}
