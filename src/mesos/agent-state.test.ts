import { describe, expect, it } from 'vitest';
import {
  agentLogAvailable,
  estimatedDrainEnd,
  findExecutor,
  parseAgentState,
  resourceProviderSummaries,
  taskSandboxDirectory,
} from './agent-state';
import { rawFixture, type Raw } from './test-fixtures';

const AGENT_STATES = [
  'v0.19-mesos-cli/agent-state.json',
  'v0.22.0-datadog/agent-state.json',
  'v0.27-dcos-agent/agent-state.json',
  'mesos-docs/endpoint-help/agent-state.repaired.json',
];

describe('findExecutor', () => {
  it.each(AGENT_STATES)('%s: finds every executor listed in the raw JSON', (name) => {
    const raw = rawFixture(name);
    const state = parseAgentState(raw);
    const frameworks: Raw[] = [...(raw.frameworks ?? []), ...(raw.completed_frameworks ?? [])];
    for (const framework of frameworks) {
      for (const executor of [...(framework.executors ?? []), ...(framework.completed_executors ?? [])]) {
        expect(findExecutor(state, framework.id, executor.id)?.directory).toBe(executor.directory);
      }
    }
    expect(findExecutor(state, 'no-such-framework', 'x')).toBeNull();
    expect(agentLogAvailable(state)).toBe(Boolean(raw.log_dir || raw.external_log_file));
  });

  it('searches completed frameworks and completed executors', () => {
    const executor = (id: string, directory: string) => ({ id, name: id, source: id, directory });
    const state = parseAgentState({
      id: 'a',
      pid: 'slave(1)@10.0.0.5:5051',
      hostname: 'h',
      frameworks: [{ id: 'f1', name: 'f1', executors: [executor('e1', '/d/e1')] }],
      completed_frameworks: [
        { id: 'f2', name: 'f2', completed_executors: [executor('e2', '/d/e2')] },
        { id: 'f1', name: 'f1-old', completed_executors: [executor('e3', '/d/e3')] },
      ],
    });
    expect(findExecutor(state, 'f1', 'e1')?.directory).toBe('/d/e1');
    expect(findExecutor(state, 'f2', 'e2')?.directory).toBe('/d/e2');
    expect(findExecutor(state, 'f1', 'e3')?.directory).toBe('/d/e3');
    expect(findExecutor(state, 'f2', 'e1')).toBeNull();
  });

  it('0.19: the executor of a command task has the task id', () => {
    const raw = rawFixture('v0.19-mesos-cli/agent-state.json');
    const state = parseAgentState(raw);
    const framework = state.frameworks[0];
    const task = framework?.executors[0]?.tasks[0];
    expect(task).toBeDefined();
    if (!framework || !task) return;
    expect(task.executor_id).toBe('');
    expect(findExecutor(state, framework.id, task.id)).not.toBeNull();
  });
});

describe('taskSandboxDirectory', () => {
  it('nests task sandboxes under DEFAULT executors only', () => {
    expect(taskSandboxDirectory({ directory: '/s/runs/1', type: 'DEFAULT' }, 't1')).toBe(
      '/s/runs/1/tasks/t1',
    );
    expect(taskSandboxDirectory({ directory: '/s/runs/1', type: 'CUSTOM' }, 't1')).toBe('/s/runs/1');
    expect(taskSandboxDirectory({ directory: '/s/runs/1' }, 't1')).toBe('/s/runs/1');
  });
});

describe('resource providers and drain end', () => {
  it('summarises resource providers: id, name, type and disk', () => {
    const state = parseAgentState({
      id: 'a',
      pid: 'slave(1)@10.0.0.5:5051',
      hostname: 'h',
      resource_providers: [
        {
          resource_provider_info: {
            id: { value: 'rp-1' },
            type: 'org.apache.mesos.rp.local.storage',
            name: 'lvm',
          },
          total_resources: [
            { name: 'disk', type: 'SCALAR', scalar: { value: 1000 } },
            { name: 'disk', type: 'SCALAR', scalar: { value: 24 } },
            { name: 'cpus', type: 'SCALAR', scalar: { value: 2 } },
          ],
        },
        {},
      ],
    });
    expect(resourceProviderSummaries(state)).toEqual([
      { id: 'rp-1', name: 'lvm', type: 'org.apache.mesos.rp.local.storage', disk: 1024 },
      { id: '', name: '', type: '', disk: 0 },
    ]);
  });

  it('estimates the drain end as start + max grace period', () => {
    expect(estimatedDrainEnd({})).toBeNull();
    expect(
      estimatedDrainEnd({
        estimated_drain_start_time_seconds: 1_600_000_000,
        drain_config: { max_grace_period: { nanoseconds: 30e9 } },
      }),
    ).toBe(1_600_000_030_000);
  });
});
