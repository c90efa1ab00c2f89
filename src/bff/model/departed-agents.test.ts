import { describe, expect, it } from 'vitest';
import { parseMasterState } from '../../mesos';
import { buildSnapshot, departedAgentsOf, listedByIds } from './cluster-snapshot';
import { DepartureMemory } from './departed-agents';
import type { ClusterSnapshot } from './cluster-snapshot';
import { TaskModel, taskIndex } from './task-index';
import type { TaskIndex } from './task-index';
import { departedAgentView } from '../views/departed-agent-view';

const T = 1_700_000_000; // seconds

const agent = (id: string, hostname: string) => ({
  id,
  hostname,
  port: 5051,
  resources: { cpus: 8, mem: 1024 },
  version: '1.11.0',
});

const task = (id: string, agentId: string, statuses: Array<Record<string, unknown>>) => ({
  id,
  name: id,
  framework_id: 'F1',
  slave_id: agentId,
  state: statuses.at(-1)?.['state'],
  statuses,
});

function state(fields: Record<string, unknown>) {
  return parseMasterState({
    version: '1.11.0',
    id: 'm',
    pid: 'master@10.0.0.1:5050',
    hostname: 'm1',
    ...fields,
  });
}

/** Snapshots as the poller builds them: agents by id from positions shared while the same agents are listed. */
function snapshots(memory: DepartureMemory) {
  const listed = listedByIds();
  let version = 0;
  return (fields: Record<string, unknown>, at: number) =>
    buildSnapshot(
      {
        version: (version += 1),
        fetchedAt: at * 1000,
        leaderUrl: 'http://m1:5050',
        state: state(fields),
        metrics: null,
      },
      undefined,
      memory,
      listed,
    );
}

describe('departed agents', () => {
  it('remembers an agent it saw leave: unreachable when the master counts one more, else removed', () => {
    const snapshot = snapshots(new DepartureMemory());
    snapshot({ slaves: [agent('S1', 'a1'), agent('S2', 'a2'), agent('S3', 'a3')] }, T);
    const later = snapshot({ slaves: [agent('S3', 'a3')], unreachable_slaves: 1 }, T + 10);
    expect(departedAgentsOf(later)).toEqual([
      expect.objectContaining({ id: 'S1', hostname: 'a1', state: 'unreachable', since: T + 10, lastSeen: T }),
      expect.objectContaining({ id: 'S2', hostname: 'a2', state: 'unreachable', since: T + 10 }),
    ]);
    // S3 is removed without the count going up; S1 comes back: it is listed again, not departed.
    const after = snapshot({ slaves: [agent('S1', 'a1')], unreachable_slaves: 1 }, T + 20);
    expect(departedAgentsOf(after).map((a) => [a.id, a.state])).toEqual([
      ['S3', 'removed'],
      ['S2', 'unreachable'],
    ]);
    expect(departedAgentsOf(after).find((a) => a.id === 'S3')?.total).toMatchObject({ cpus: 8, mem: 1024 });
  });

  it('notices an agent leaving after states that listed the same agents as newer objects', () => {
    const snapshot = snapshots(new DepartureMemory());
    snapshot({ slaves: [agent('S1', 'a1'), agent('S2', 'a2')] }, T);
    const same = snapshot({ slaves: [agent('S1', 'a1'), agent('S2', 'a2')] }, T + 5);
    expect(departedAgentsOf(same)).toEqual([]);
    const later = snapshot({ slaves: [agent('S2', 'a2')] }, T + 10);
    expect(departedAgentsOf(later)).toEqual([
      expect.objectContaining({ id: 'S1', state: 'removed', since: T + 10, lastSeen: T + 5 }),
    ]);
  });

  it('learns agents it never saw from their tasks: unreachable, gone, removed, with the master naming the host', () => {
    const frameworks = [
      {
        id: 'F1',
        name: 'marathon',
        unreachable_tasks: [
          task('web', 'S7', [
            { state: 'TASK_RUNNING', timestamp: T - 60, source: 'SOURCE_EXECUTOR' },
            {
              state: 'TASK_UNREACHABLE',
              timestamp: T - 5,
              source: 'SOURCE_MASTER',
              reason: 'REASON_SLAVE_REMOVED',
              message: 'Agent 10.0.0.7 is unreachable',
            },
          ]),
        ],
        completed_tasks: [
          task('db', 'S8', [{ state: 'TASK_GONE_BY_OPERATOR', timestamp: T - 30, source: 'SOURCE_MASTER' }]),
          task('old', 'S9', [
            { state: 'TASK_RUNNING', timestamp: T - 900, source: 'SOURCE_EXECUTOR' },
            {
              state: 'TASK_LOST',
              timestamp: T - 800,
              source: 'SOURCE_MASTER',
              reason: 'REASON_SLAVE_REMOVED',
              message: 'Slave old-host removed: agent shut down',
            },
          ]),
          task('fine', 'S1', [{ state: 'TASK_FINISHED', timestamp: T - 20, source: 'SOURCE_EXECUTOR' }]),
        ],
      },
    ];
    const snapshot = snapshots(new DepartureMemory())(
      { slaves: [agent('S1', 'a1')], frameworks, recovered_slaves: [] },
      T,
    );
    expect(departedAgentsOf(snapshot).map((a) => [a.id, a.hostname, a.state, a.since, a.lastSeen])).toEqual([
      ['S7', '10.0.0.7', 'unreachable', T - 5, T - 60],
      ['S8', null, 'gone', T - 30, null],
      ['S9', 'old-host', 'removed', T - 800, T - 900],
    ]);
  });

  it('does not take the agents a new leader has yet to hear from again for departed ones', () => {
    const snapshot = snapshots(new DepartureMemory());
    snapshot({ slaves: [agent('S1', 'a1'), agent('S2', 'a2')] }, T);
    const failover = snapshot(
      { slaves: [agent('S1', 'a1')], recovered_slaves: [{ id: 'S2', hostname: 'a2' }] },
      T + 5,
    );
    expect(departedAgentsOf(failover)).toEqual([]);
  });

  it('reads the tasks of the agents not listed only, never every task (the page of one, too)', () => {
    const onS1 = Array.from({ length: 50 }, (_, i) =>
      task(`web-${i}`, 'S1', [{ state: 'TASK_RUNNING', timestamp: T - i, source: 'SOURCE_EXECUTOR' }]),
    );
    const onS7 = [
      task('a', 'S7', [{ state: 'TASK_RUNNING', timestamp: T - 50, source: 'SOURCE_EXECUTOR' }]),
      task('b', 'S7', [{ state: 'TASK_UNREACHABLE', timestamp: T - 5, source: 'SOURCE_MASTER' }]),
    ];
    const built = buildSnapshot(
      {
        version: 1,
        fetchedAt: T * 1000,
        leaderUrl: 'http://m1:5050',
        state: state({
          slaves: [agent('S1', 'a1')],
          frameworks: [
            { id: 'F1', name: 'marathon', tasks: onS1.concat(onS7[0] ?? []), unreachable_tasks: [onS7[1]] },
          ],
        }),
        metrics: null,
      },
      new TaskModel(),
    );
    const index = taskIndex(built);
    const asked: string[] = [];
    const counted: TaskIndex = {
      ...index,
      onAgent: (agentId) => {
        asked.push(agentId);
        return index.onAgent(agentId);
      },
      all: () => {
        throw new Error('walked every task');
      },
    };
    const snapshot: ClusterSnapshot = { ...built, index: counted };
    expect(departedAgentsOf(snapshot).map((a) => [a.id, a.state, a.since])).toEqual([
      ['S7', 'unreachable', T - 5],
    ]);
    expect(departedAgentView(snapshot, 'S7')?.tasks.map((row) => row.id)).toEqual(['b', 'a']);
    expect(asked).toEqual(['S7', 'S7']);
  });
});
