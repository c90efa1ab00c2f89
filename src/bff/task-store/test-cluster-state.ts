import { parseMasterState } from '../../mesos';
import type { MasterState } from '../../mesos';
import { buildSnapshot } from '../model/cluster-snapshot';
import type { ClusterSnapshot } from '../model/cluster-snapshot';

export interface TestTask {
  id: string;
  name?: string;
  framework?: string;
  agent?: string;
  /** [state, seconds, reason?, message?] oldest first; the last is the task's state. */
  statuses: Array<[string, number, string?, string?]>;
}

/** A master state listing these tasks (active or completed by their last state), as the master would. */
export function stateWith(tasks: readonly TestTask[], frameworks = ['fw-1']): MasterState {
  const terminal = /FINISHED|FAILED|KILLED|LOST|ERROR|GONE|DROPPED|UNKNOWN/;
  const toTask = (t: TestTask) => ({
    id: t.id,
    name: t.name ?? t.id.split('.')[0],
    framework_id: t.framework ?? frameworks[0],
    slave_id: t.agent ?? 'agent-1',
    state: t.statuses.at(-1)![0],
    resources: { cpus: 0.5, mem: 128, disk: 0, gpus: 0 },
    statuses: t.statuses.map(([state, timestamp, reason, message]) => ({
      state,
      timestamp,
      source: 'SOURCE_EXECUTOR',
      ...(reason ? { reason } : {}),
      ...(message ? { message } : {}),
    })),
  });
  return parseMasterState({
    id: 'master-1',
    version: '1.11.0',
    pid: 'master@127.0.0.1:5050',
    leader: 'master@127.0.0.1:5050',
    hostname: 'localhost',
    cluster: 'test',
    slaves: [
      {
        id: 'agent-1',
        pid: 'slave(1)@10.0.0.1:5051',
        hostname: 'host-1',
        attributes: { rack: 'r1' },
        resources: {},
      },
      {
        id: 'agent-2',
        pid: 'slave(1)@10.0.0.2:5051',
        hostname: 'host-2',
        attributes: { rack: 'r2' },
        resources: {},
      },
    ],
    frameworks: frameworks.map((id) => {
      const own = tasks.filter((t) => (t.framework ?? frameworks[0]) === id);
      return {
        id,
        name: `${id}-name`,
        tasks: own.filter((t) => !terminal.test(t.statuses.at(-1)![0])).map(toTask),
        completed_tasks: own.filter((t) => terminal.test(t.statuses.at(-1)![0])).map(toTask),
        unreachable_tasks: [],
      };
    }),
    completed_frameworks: [],
  });
}

export function snapshotWith(tasks: readonly TestTask[], fetchedAt = 1_700_000_100_000): ClusterSnapshot {
  return buildSnapshot({
    version: 1,
    fetchedAt,
    leaderUrl: 'http://127.0.0.1:5050',
    state: stateWith(tasks),
    metrics: null,
  });
}
