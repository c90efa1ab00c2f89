import { describe, expect, it } from 'vitest';
import {
  MesosParseError,
  agentStateLabel,
  countUnreachableTasks,
  frameworkRoles,
  hasLeader,
  isLeader,
  leaderAddress,
  masterLogAvailable,
  parseMasterState,
  parseTask,
  type MasterState,
} from './master-state';
import { rawFixture } from './test-fixtures';

const minimal = { version: '1.12.0', id: 'm1', pid: 'master@10.0.0.1:5050', hostname: 'host1' };

function state(extra: Record<string, unknown> = {}): MasterState {
  return parseMasterState({ ...minimal, ...extra });
}

describe('parseMasterState', () => {
  it('defaults absent lists', () => {
    const parsed = state();
    expect(parsed.slaves).toEqual([]);
    expect(parsed.frameworks).toEqual([]);
    expect(parsed.completed_frameworks).toEqual([]);
    expect(parsed.orphan_tasks).toBeUndefined();
  });

  it('throws MesosParseError naming the first bad path', () => {
    expect(() => parseMasterState({ ...minimal, slaves: 'x' })).toThrow(MesosParseError);
    try {
      parseMasterState({
        ...minimal,
        slaves: [
          { id: 'a', hostname: 'h' },
          { id: 7, hostname: 'h' },
        ],
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(MesosParseError);
      expect((error as MesosParseError).path).toBe('slaves[1].id');
      expect((error as MesosParseError).message).toContain('slaves[1].id');
    }
    expect(() => parseMasterState(null)).toThrow(/master state at \(root\)/);
    expect(() => parseMasterState({ ...minimal, version: undefined })).toThrow(/at version/);
  });

  it('keeps unknown fields at every level', () => {
    const parsed = state({
      brand_new: { a: 1 },
      frameworks: [
        {
          id: 'f',
          name: 'n',
          future_field: true,
          tasks: [
            { id: 't', name: 't', framework_id: 'f', slave_id: 's', state: 'TASK_RUNNING', extra: 'kept' },
          ],
        },
      ],
    });
    expect(parsed['brand_new']).toEqual({ a: 1 });
    expect(parsed.frameworks[0]?.['future_field']).toBe(true);
    expect(parsed.frameworks[0]?.tasks[0]?.['extra']).toBe('kept');
  });

  it('fills task defaults', () => {
    const task = parseTask({ id: 't', name: 't', framework_id: 'f', slave_id: 's', state: 'TASK_STAGING' });
    expect(task.executor_id).toBe('');
    expect(task.statuses).toEqual([]);
    expect(task.resources).toEqual({ cpus: 0, gpus: 0, mem: 0, disk: 0 });
  });

  it('0.19: agents without used_resources read as nothing used', () => {
    const raw = rawFixture('v0.19-mesos-cli/master-state.json');
    expect(raw.slaves[0].used_resources).toBeUndefined();
    const parsed = parseMasterState(raw);
    expect(parsed.slaves[0]?.used_resources).toMatchObject({ cpus: 0, mem: 0 });
    expect(parsed.slaves[0]?.resources.mem).toBe(raw.slaves[0].resources.mem);
  });

  it('accepts labels in both array and wrapped form', () => {
    const base = { id: 't', name: 't', framework_id: 'f', slave_id: 's', state: 'TASK_RUNNING' };
    expect(parseTask({ ...base, labels: [{ key: 'a', value: 'b' }] }).labels).toEqual([
      { key: 'a', value: 'b' },
    ]);
    expect(parseTask({ ...base, labels: { labels: [{ key: 'a' }] } }).labels).toEqual([{ key: 'a' }]);
  });
});

describe('agentStateLabel', () => {
  it.each([
    [{}, 'Active'],
    [{ deactivated: false }, 'Active'],
    [{ deactivated: false, drain_info: { state: 'DRAINING' } }, 'Active'],
    [{ deactivated: true }, 'Deactivated'],
    [{ deactivated: true, drain_info: { state: 'DRAINING' } }, 'Draining'],
    [{ deactivated: true, drain_info: { state: 'DRAINED', config: {} } }, 'Drained'],
    [{ deactivated: true, drain_info: { state: 'SOMETHING_NEW' } }, 'Deactivated'],
  ] as const)('%j → %s', (agent, expected) => {
    expect(agentStateLabel(agent)).toBe(expected);
  });

  it('labels the draining and drained agents of a real state-summary', () => {
    const raw = rawFixture('summaries/state-summary-marathon-1-task.json');
    const labels = state({ slaves: raw.slaves }).slaves.map(agentStateLabel);
    expect(labels).toEqual(['Draining', 'Drained', 'Active', 'Active']);
  });
});

describe('leader and log', () => {
  it('isLeader compares leader_info.id, else pids', () => {
    expect(isLeader(state({ leader_info: { id: 'm1', pid: 'master@10.0.0.9:5050' } }))).toBe(true);
    expect(isLeader(state({ leader_info: { id: 'm2', pid: minimal.pid } }))).toBe(false);
    expect(isLeader(state({ leader_info: { pid: minimal.pid } }))).toBe(true);
    expect(isLeader(state({ leader: minimal.pid }))).toBe(true);
    expect(isLeader(state({ leader: 'master@10.0.0.2:5050' }))).toBe(false);
    expect(isLeader(state())).toBe(false);
    expect(hasLeader(state())).toBe(false);
    expect(hasLeader(state({ leader: minimal.pid }))).toBe(true);
  });

  it.each([
    'v0.19-mesos-cli/master-state.json',
    'v0.22.0-datadog/master-state.json',
    'v0.27.1-capgemini/master-state.json',
    'mesos-docs/endpoint-help/master-state.json',
  ])('%s: the fixture comes from the leader, which serves its log', (name) => {
    const raw = rawFixture(name);
    const parsed = parseMasterState(raw);
    expect(isLeader(parsed)).toBe(raw.leader === raw.pid);
    expect(masterLogAvailable(parsed)).toBe(Boolean(raw.log_dir || raw.external_log_file));
    const [, host, port] = /@(.+):(\d+)$/.exec(raw.leader) ?? [];
    expect(leaderAddress(parsed)).toEqual({ hostname: host, port: Number(port) });
  });

  it('prefers leader_info for the address', () => {
    expect(leaderAddress(state({ leader_info: { hostname: 'leader.example', port: 5050 } }))).toEqual({
      hostname: 'leader.example',
      port: 5050,
    });
    expect(leaderAddress(state())).toBeNull();
  });

  it('masterLogAvailable looks at top-level fields and flags', () => {
    expect(masterLogAvailable(state())).toBe(false);
    expect(masterLogAvailable(state({ external_log_file: '/x.log' }))).toBe(true);
    expect(masterLogAvailable(state({ flags: { log_dir: '/var/log' } }))).toBe(true);
    expect(masterLogAvailable(state({ flags: { log_dir: '' } }))).toBe(false);
  });
});

describe('frameworks', () => {
  it('frameworkRoles prefers roles, then role', () => {
    expect(frameworkRoles({ roles: ['a', 'b/c'], role: 'x' })).toEqual(['a', 'b/c']);
    expect(frameworkRoles({ role: '*' })).toEqual(['*']);
    expect(frameworkRoles({})).toEqual([]);
  });

  it('counts unreachable tasks across frameworks', () => {
    const task = (id: string) => ({
      id,
      name: id,
      framework_id: 'f',
      slave_id: 's',
      state: 'TASK_UNREACHABLE',
    });
    const parsed = state({
      frameworks: [
        { id: 'f1', name: 'a', unreachable_tasks: [task('1'), task('2')] },
        { id: 'f2', name: 'b' },
        { id: 'f3', name: 'c', unreachable_tasks: [task('3')] },
      ],
    });
    expect(countUnreachableTasks(parsed)).toBe(3);
  });

  it('0.27.1: orphan tasks and unregistered frameworks are kept', () => {
    const raw = rawFixture('v0.27.1-capgemini/master-state.json');
    const parsed = parseMasterState(raw);
    expect(parsed.orphan_tasks).toHaveLength(raw.orphan_tasks.length);
    expect(parsed.orphan_tasks?.length).toBe(4);
    expect(parsed.unregistered_frameworks).toEqual(raw.unregistered_frameworks);
  });
});
