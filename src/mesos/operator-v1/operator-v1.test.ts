import { describe, expect, it } from 'vitest';
import { parseMasterState } from '../master-state';
import { MesosParseError } from '../parse';
import { fixture, fixtureText, rawFixture } from '../test-fixtures';
import type { Raw } from '../test-fixtures';
import {
  parseOperatorEvent,
  v1AgentToV0,
  v1FrameworkToV0,
  v1MasterHeaderToV0,
  v1ResourcesToV0,
  v1StateToV0,
  v1TaskToV0,
} from './index';

const DOCS = 'mesos-docs/operator-api';

/** The documentation's event examples have trailing commas; Mesos itself never writes those. */
function docExample(name: string): Raw {
  return JSON.parse(fixtureText(name).replace(/,(\s*[}\]])/g, '$1')) as Raw;
}

const header = v1MasterHeaderToV0({
  getMaster: fixture(`${DOCS}/master/GET_MASTER.response.json`),
  getVersion: fixture(`${DOCS}/master/GET_VERSION.response.json`),
  getFlags: fixture(`${DOCS}/master/GET_FLAGS.response.json`),
});

describe('v1 resources → v0 resources object', () => {
  it('sums scalars, merges and formats ranges, and always has cpus/gpus/mem/disk', () => {
    expect(
      v1ResourcesToV0([
        { name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 }, role: '*' },
        { name: 'cpus', type: 'SCALAR', scalar: { value: 0.2 }, reservations: [{ role: 'web' }] },
        { name: 'mem', type: 'SCALAR', scalar: { value: 128 } },
        { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31005, end: 32000 }] } },
        { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 31004 }] } },
        { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 33000, end: 33001 }] } },
        { name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, revocable: {} },
        { name: 'zones', type: 'SET', set: { item: ['a', 'b'] } },
      ]),
    ).toEqual({
      cpus: 0.3,
      gpus: 0,
      mem: 128,
      disk: 0,
      cpus_revocable: 1,
      ports: '[31000-32000, 33000-33001]',
      zones: '{a, b}',
    });
  });

  it('reads nothing as zeros, and passes a v0 object through', () => {
    expect(v1ResourcesToV0(undefined)).toEqual({ cpus: 0, gpus: 0, mem: 0, disk: 0 });
    expect(v1ResourcesToV0({ cpus: 4, mem: 2933, ports: '[1-2]' })).toEqual({
      cpus: 4,
      gpus: 0,
      mem: 2933,
      disk: 0,
      ports: '[1-2]',
    });
  });
});

describe('v1 GET_STATE (documentation example) → v0 master state', () => {
  const raw = rawFixture(`${DOCS}/master/GET_STATE.response.json`);
  const state = v1StateToV0(raw, header);

  it('is a valid v0 master state', () => {
    // As served: a task's packed statuses are a list in JSON.
    expect(() => parseMasterState(JSON.parse(JSON.stringify(state)))).not.toThrow();
  });

  it('names the master from GET_MASTER, GET_VERSION and GET_FLAGS', () => {
    const info = rawFixture(`${DOCS}/master/GET_MASTER.response.json`).get_master.master_info;
    expect(state).toMatchObject({
      id: info.id,
      pid: info.pid,
      hostname: info.hostname,
      version: '1.0.0',
      build_user: 'root',
      build_time: 1466810317,
      leader: info.pid,
      leader_info: { id: info.id, pid: info.pid, port: info.port, hostname: info.hostname },
    });
    const flags = rawFixture(`${DOCS}/master/GET_FLAGS.response.json`).get_flags.flags as Raw[];
    expect(Object.keys(state.flags ?? {})).toHaveLength(flags.length);
    expect(state.log_dir).toBe(flags.find((f: Raw) => f.name === 'log_dir')?.value);
  });

  it('converts agents with protobuf resources, {value} ids and {nanoseconds} times', () => {
    const agent = raw.get_state.get_agents.agents[0];
    expect(state.slaves).toEqual([
      expect.objectContaining({
        id: agent.agent_info.id.value,
        hostname: 'myhost',
        port: 34626,
        pid: 'slave(3)@127.0.1.1:34626',
        resources: { cpus: 2, gpus: 0, mem: 1024, disk: 1024, ports: '[31000-32000]' },
        used_resources: { cpus: 0, gpus: 0, mem: 0, disk: 0 },
        unreserved_resources: { cpus: 2, gpus: 0, mem: 1024, disk: 1024, ports: '[31000-32000]' },
        reserved_resources: {},
        registered_time: agent.registered_time.nanoseconds / 1e9,
        version: '1.1.0',
        active: true,
      }),
    ]);
    expect(state.activated_slaves).toBe(1);
    expect(state.deactivated_slaves).toBe(0);
  });

  it('puts tasks and executors under their frameworks', () => {
    const [framework] = state.frameworks;
    const rawTask = raw.get_state.get_tasks.completed_tasks[0];
    expect(framework).toMatchObject({
      id: raw.get_state.get_frameworks.frameworks[0].framework_info.id.value,
      name: 'default',
      role: '*',
      principal: 'my-principal',
      active: true,
      tasks: [],
    });
    expect(framework?.executors).toEqual([
      expect.objectContaining({ executor_id: 'default', slave_id: rawTask.agent_id.value }),
    ]);
    expect(framework?.completed_tasks).toEqual([
      expect.objectContaining({
        id: rawTask.task_id.value,
        name: 'test-task',
        framework_id: rawTask.framework_id.value,
        executor_id: 'default',
        slave_id: rawTask.agent_id.value,
        state: 'TASK_FINISHED',
        role: '*',
        resources: { cpus: 2, gpus: 0, mem: 1024, disk: 1024, ports: '[31000-32000]' },
      }),
    ]);
    expect(framework?.completed_tasks[0]?.statuses.map((s) => [s.state, s.timestamp])).toEqual(
      rawTask.statuses.map((s: Raw) => [s.state, s.timestamp]),
    );
  });
});

describe('v1 SUBSCRIBED event from a DC/OS cluster (3 agents, 25 tasks)', () => {
  const raw = rawFixture('v1-operator/SUBSCRIBED-event-3-agents-25-tasks.json');
  const event = parseOperatorEvent(raw);
  if (event.type !== 'SUBSCRIBED') throw new Error('expected SUBSCRIBED');
  const state = v1StateToV0(event.getState, header);

  it('is a valid v0 state with every agent, framework and task', () => {
    // As served: a task's packed statuses are a list in JSON.
    expect(() => parseMasterState(JSON.parse(JSON.stringify(state)))).not.toThrow();
    expect(state.slaves.map((a) => a.id)).toEqual(
      raw.subscribed.get_state.get_agents.agents.map((a: Raw) => a.id.value),
    );
    expect(state.frameworks).toHaveLength(1);
    expect(state.frameworks[0]?.tasks.map((t) => t.id)).toEqual(
      raw.subscribed.get_state.get_tasks.tasks.map((t: Raw) => t.task_id.value),
    );
    expect(state.orphan_tasks).toEqual([]);
  });

  it('reads the flattened agent and framework fields and range strings this writer uses', () => {
    const rawAgent = raw.subscribed.get_state.get_agents.agents[0];
    expect(state.slaves[0]?.resources).toEqual({ ...rawAgent.resources, gpus: 0 });
    expect(state.slaves[0]?.hostname).toBe('dcos-01');
    expect(state.frameworks[0]).toMatchObject({
      name: 'marathon',
      role: 'slave_public',
      webui_url: raw.subscribed.get_state.get_frameworks.frameworks[0].webui_url,
      used_resources: { cpus: 0.1, gpus: 0, mem: 16, disk: 0, ports: '[10000-10000]' },
    });
  });
});

describe('other v1 responses', () => {
  it('GET_TASKS: labels become a list, and a task without resources has zero resources', () => {
    const raw = rawFixture('v1-operator/GET_TASKS.json').get_tasks;
    const running = v1TaskToV0(raw.tasks[0]);
    expect(running.labels).toEqual(raw.tasks[0].labels.labels);
    expect(running.statuses.at(0)).toEqual({
      state: 'TASK_RUNNING',
      timestamp: 1470820172.32565,
      container_status: raw.tasks[0].statuses[0].container_status,
      source: 'SOURCE_EXECUTOR',
    });
    const completed = v1TaskToV0(raw.completed_tasks[0]);
    expect(completed).toMatchObject({ id: '2', name: '', resources: { cpus: 0, gpus: 0, mem: 0, disk: 0 } });
  });

  it('tasks share the objects they repeat (resources, labels, container), frozen; statuses keep what views read', () => {
    const raw = (i: number) => ({
      name: `web-${i}`,
      task_id: { value: `web.${i}` },
      framework_id: { value: `framework-${'f'.repeat(40)}` },
      agent_id: { value: `agent-${'a'.repeat(40)}` },
      state: 'TASK_RUNNING',
      resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 } }],
      labels: { labels: [{ key: 'app', value: 'web' }] },
      container: { type: 'DOCKER', docker: { image: 'nginx:1.25' } },
      statuses: [
        {
          task_id: { value: `web.${i}` },
          state: 'TASK_RUNNING',
          timestamp: 1_700_000_000 + i,
          source: 'SOURCE_EXECUTOR',
          reason: 'REASON_COMMAND_EXECUTOR_FAILED',
          message: 'Container exited',
          healthy: true,
          uuid: 'c29tZSBieXRlcw==',
          data: 'YSBsb3Qgb2YgYnl0ZXMgbm8gdmlldyByZWFkcw==',
          container_status: {
            container_id: { value: `container-${i}` },
            executor_pid: 1234 + i,
            cgroup_info: { net_cls: { classid: 1 } },
            network_infos: [{ ip_addresses: [{ ip_address: `10.0.0.${i}` }] }],
          },
        },
      ],
    });
    // Each parsed on its own, as the stream parses them: equal values, separate copies.
    const [a, b] = [1, 2].map((i) => v1TaskToV0(JSON.parse(JSON.stringify(raw(i)))));
    for (const key of ['resources', 'labels', 'container'] as const) {
      expect(a?.[key]).toBe(b?.[key]);
      expect(Object.isFrozen(a?.[key])).toBe(true);
    }
    expect(() => {
      (a?.resources as Record<string, unknown>)['cpus'] = 4;
    }).toThrow(TypeError);
    expect([...a!.statuses]).toEqual([
      {
        state: 'TASK_RUNNING',
        timestamp: 1_700_000_001,
        source: 'SOURCE_EXECUTOR',
        reason: 'REASON_COMMAND_EXECUTOR_FAILED',
        message: 'Container exited',
        healthy: true,
        container_status: { network_infos: [{ ip_addresses: [{ ip_address: '10.0.0.1' }] }] },
      },
    ]);
  });

  it('GET_AGENTS and GET_FRAMEWORKS entries convert on their own', () => {
    const agent = rawFixture(`${DOCS}/master/GET_AGENTS.response.json`).get_agents.agents[0];
    expect(v1AgentToV0(agent)).toMatchObject({ id: agent.agent_info.id.value, port: 34626 });
    const framework = rawFixture(`${DOCS}/master/GET_FRAMEWORKS.response.json`).get_frameworks.frameworks[0];
    expect(v1FrameworkToV0(framework)).toMatchObject({
      id: framework.framework_info.id.value,
      hostname: 'myhost',
      registered_time: framework.registered_time.nanoseconds / 1e9,
    });
    // Re-registered at the same instant as registered: v0 leaves reregistered_time out.
    expect(v1FrameworkToV0(framework).reregistered_time).toBeUndefined();
  });

  it('GET_MASTER of Mesos 1.5 keeps the fault domain and the election times', () => {
    const v15 = v1MasterHeaderToV0({
      getMaster: fixture('v1-operator/GET_MASTER-1.5.0.json'),
      getVersion: fixture('v1-operator/GET_VERSION-1.5.0.json'),
      getFlags: fixture('v1-operator/GET_FLAGS-1.5.0.json'),
    });
    expect(v15).toMatchObject({
      version: '1.5.0',
      hostname: 'dcos-0',
      start_time: 1518160049.92947,
      elected_time: 1518160053.29448,
      git_sha: 'a9f5ddb8614ef057537994f389eb7e19f0c85652',
      domain: { fault_domain: { region: { name: 'aws/eu-central-1' } } },
      capabilities: ['AGENT_UPDATE'],
    });
  });

  it('says where a required id is missing', () => {
    expect(() => v1TaskToV0({ name: 'x', framework_id: { value: 'f' } }, 'get_tasks.tasks[7]')).toThrow(
      new MesosParseError(
        'Invalid v1 operator JSON at get_tasks.tasks[7].task_id: expected an id {value}',
        'get_tasks.tasks[7].task_id',
        [],
      ),
    );
  });
});

describe('operator API events (documentation examples)', () => {
  it('decodes every event type', () => {
    expect(parseOperatorEvent(docExample(`${DOCS}/events/HEARTBEAT.event.json`))).toEqual({
      type: 'HEARTBEAT',
    });
    // The documentation's TASK_ADDED shows a TaskInfo; a v1 Task always names its framework.
    expect(() => parseOperatorEvent(fixture(`${DOCS}/events/TASK_ADDED.event.json`))).toThrow(
      /task_added\.task\.framework_id/,
    );
    const docTask = rawFixture(`${DOCS}/events/TASK_ADDED.event.json`).task_added.task;
    const added = parseOperatorEvent({
      type: 'TASK_ADDED',
      task_added: { task: { ...docTask, framework_id: { value: 'fw-1' }, state: 'TASK_STAGING' } },
    });
    expect(added).toMatchObject({
      type: 'TASK_ADDED',
      task: { id: docTask.task_id.value, name: 'dummy-task', framework_id: 'fw-1', state: 'TASK_STAGING' },
    });
    const agent = parseOperatorEvent(docExample(`${DOCS}/events/AGENT_ADDED.event.json`));
    expect(agent).toMatchObject({
      type: 'AGENT_ADDED',
      agent: { id: 'c3946a13-75b4-4d3c-9d0e-fc10038dca85-S3', pid: 'slave(1)@172.31.2.24:5051' },
    });
    expect(parseOperatorEvent(fixture(`${DOCS}/events/AGENT_REMOVED.event.json`))).toEqual({
      type: 'AGENT_REMOVED',
      agentId: 'c3946a13-75b4-4d3c-9d0e-fc10038dca85-S3',
    });
    for (const kind of ['ADDED', 'UPDATED'] as const) {
      expect(parseOperatorEvent(fixture(`${DOCS}/events/FRAMEWORK_${kind}.event.json`))).toMatchObject({
        type: `FRAMEWORK_${kind}`,
        framework: {
          id: 'a9ba2984-99c4-4183-8cd1-f7313426e21c-0147',
          name: 'inverse-offer-example-framework',
        },
      });
    }
    expect(parseOperatorEvent(fixture(`${DOCS}/events/FRAMEWORK_REMOVED.event.json`))).toEqual({
      type: 'FRAMEWORK_REMOVED',
      frameworkId: 'a9ba2984-99c4-4183-8cd1-f7313426e21c-0147',
    });
    expect(parseOperatorEvent({ type: 'OPERATION_UPDATED' })).toEqual({
      type: 'UNKNOWN',
      name: 'OPERATION_UPDATED',
    });
  });

  it('TASK_UPDATED: reads the protobuf shape {framework_id, status, state}', () => {
    const event = parseOperatorEvent({
      type: 'TASK_UPDATED',
      task_updated: {
        framework_id: { value: 'fw-1' },
        status: {
          task_id: { value: 'task-1' },
          agent_id: { value: 'agent-1' },
          state: 'TASK_FAILED',
          message: 'Command exited with status 1',
          source: 'SOURCE_EXECUTOR',
          timestamp: 1700000000.5,
          uuid: 'ycLTRBo8TjKFTrh4vsBERg==',
        },
        state: 'TASK_FAILED',
      },
    });
    expect(event).toEqual({
      type: 'TASK_UPDATED',
      frameworkId: 'fw-1',
      taskId: 'task-1',
      agentId: 'agent-1',
      executorId: null,
      state: 'TASK_FAILED',
      status: {
        state: 'TASK_FAILED',
        timestamp: 1700000000.5,
        message: 'Command exited with status 1',
        source: 'SOURCE_EXECUTOR',
      },
    });
  });

  it('TASK_UPDATED: still reads the documentation example, whose shape disagrees with the protobuf', () => {
    expect(parseOperatorEvent(fixture(`${DOCS}/events/TASK_UPDATED.event.json`))).toMatchObject({
      type: 'TASK_UPDATED',
      frameworkId: '49154f1b-8cf6-4421-bf13-8bd11dccd1f1',
      taskId: '42154f1b-adcd-4421-bf13-8bd11adfafaf',
      agentId: '2915adf-8aff-4421-bf13-afdafaf1f1',
      executorId: 'adfaf-adff-2421-bf13-adf23tafa21',
      state: 'TASK_RUNNING',
    });
  });

  it('refuses events that miss what they must carry', () => {
    expect(() => parseOperatorEvent({})).toThrow(MesosParseError);
    expect(() => parseOperatorEvent({ type: 'SUBSCRIBED', subscribed: {} })).toThrow(/get_state/);
    expect(() =>
      parseOperatorEvent({ type: 'TASK_UPDATED', task_updated: { framework_id: { value: 'f' } } }),
    ).toThrow(/no state/);
  });
});
