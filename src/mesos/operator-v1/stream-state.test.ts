import { describe, expect, it, vi } from 'vitest';
import { parseMasterState } from '../master-state';
import { fixture, rawFixture } from '../test-fixtures';
import type { Raw } from '../test-fixtures';
import { parseOperatorEvent } from './events';
import type { OperatorEvent } from './events';
import { v1MasterHeaderToV0 } from './state';
import { v1TaskToV0 } from './entities';
import type * as Entities from './entities';
import { SNAPSHOT_TASK_LISTS, StreamState, changesOf } from './stream-state';

/** The ids of the agents converted from JSON (each parsed agent is), to see which were parsed. */
const convertedAgents = vi.hoisted(() => [] as string[]);
vi.mock('./entities', async (importOriginal) => {
  const entities = await importOriginal<typeof Entities>();
  return {
    ...entities,
    v1AgentToV0: (raw: unknown) => {
      const agent = entities.v1AgentToV0(raw);
      convertedAgents.push(agent.id);
      return agent;
    },
  };
});

const header = v1MasterHeaderToV0({
  getMaster: fixture('v1-operator/GET_MASTER-1.5.0.json'),
  getVersion: fixture('v1-operator/GET_VERSION-1.5.0.json'),
  getFlags: fixture('v1-operator/GET_FLAGS-1.5.0.json'),
});
const subscribed = rawFixture('v1-operator/SUBSCRIBED-event-3-agents-25-tasks.json');
const getState = subscribed.subscribed.get_state;
const FRAMEWORK = getState.get_frameworks.frameworks[0].framework_info.id.value as string;
const AGENT = getState.get_agents.agents[0].id.value as string;

const fresh = () => new StreamState(header, getState);

/** Enough agents (of about 1.8 KB each) that a `GET_AGENTS` answer is read in several pieces, some cut mid-agent. */
function manyAgents() {
  const agents: Raw[] = Array.from({ length: 120 }, (_, i) => ({
    ...structuredClone(getState.get_agents.agents[0]),
    id: { value: `agent-${i}` },
    hostname: `host-${i}`,
    version: `1.${i}.0-${'x'.repeat(1_000)}`,
  }));
  const answer = (list: Raw[]) => ({ type: 'GET_AGENTS', get_agents: { agents: list } });
  const bytes = (list: Raw[]) => Buffer.from(JSON.stringify(answer(list)));
  const parts = { get_agents: { agents }, get_frameworks: getState.get_frameworks };
  return { agents, answer, bytes, parts };
}
const event = (json: Raw): OperatorEvent => parseOperatorEvent(json);

function taskAdded(id: string, agent = AGENT, cpus = 0.5): OperatorEvent {
  return event({
    type: 'TASK_ADDED',
    task_added: {
      task: {
        name: `web-${id}`,
        task_id: { value: id },
        framework_id: { value: FRAMEWORK },
        agent_id: { value: agent },
        state: 'TASK_STAGING',
        resources: [
          {
            name: 'cpus',
            type: 'SCALAR',
            scalar: { value: cpus },
            allocation_info: { role: 'slave_public' },
          },
          { name: 'mem', type: 'SCALAR', scalar: { value: 64 }, allocation_info: { role: 'slave_public' } },
        ],
      },
    },
  });
}

function taskUpdated(id: string, state: string, timestamp = 1_700_000_000): OperatorEvent {
  return event({
    type: 'TASK_UPDATED',
    task_updated: {
      framework_id: { value: FRAMEWORK },
      status: {
        task_id: { value: id },
        agent_id: { value: AGENT },
        state,
        timestamp,
        source: 'SOURCE_EXECUTOR',
      },
      state,
    },
  });
}

const activeIds = (model: StreamState) => model.publish().frameworks.flatMap((f) => f.tasks.map((t) => t.id));
const completedIds = (model: StreamState) =>
  model.publish().frameworks.flatMap((f) => f.completed_tasks.map((t) => t.id));

describe('the stream-fed model', () => {
  it('starts from SUBSCRIBED as a valid v0 state; terminal tasks awaiting acknowledgement count as completed', () => {
    const state = fresh().publish();
    // As served: a task's packed statuses are a list in JSON.
    expect(() => parseMasterState(JSON.parse(JSON.stringify(state)))).not.toThrow();
    const tasks = getState.get_tasks.tasks as Raw[];
    const running = tasks.filter((t) => t.state === 'TASK_RUNNING').map((t) => t.task_id.value);
    const finished = tasks.filter((t) => t.state !== 'TASK_RUNNING').map((t) => t.task_id.value);
    expect(state.frameworks[0]?.tasks.map((t) => t.id).sort()).toEqual(running.sort());
    expect(state.frameworks[0]?.completed_tasks.map((t) => t.id).sort()).toEqual(finished.sort());
    expect(state.slaves).toHaveLength(3);
    expect(state.id).toBe(header.id);
  });

  it('adds a task from TASK_ADDED and moves it through its updates to completed', () => {
    const model = fresh();
    model.apply(taskAdded('t-1'));
    expect(activeIds(model)).toContain('t-1');
    model.apply(taskUpdated('t-1', 'TASK_RUNNING'));
    const running = model.publish().frameworks[0]?.tasks.find((t) => t.id === 't-1');
    expect(running?.state).toBe('TASK_RUNNING');
    expect(running?.statuses.map((s) => s.state)).toEqual(['TASK_RUNNING']);
    model.apply(taskUpdated('t-1', 'TASK_FAILED', 1_700_000_100));
    expect(activeIds(model)).not.toContain('t-1');
    const failed = model.publish().frameworks[0]?.completed_tasks.at(-1);
    expect(failed).toMatchObject({ id: 't-1', state: 'TASK_FAILED' });
    expect(failed?.statuses.map((s) => s.state)).toEqual(['TASK_RUNNING', 'TASK_FAILED']);
  });

  it('keeps published states immutable and shares what did not change', () => {
    const model = fresh();
    const before = model.publish();
    const agentBefore = before.slaves[1];
    const taskBefore = before.frameworks[0]?.tasks[0];
    model.apply(taskAdded('t-2'));
    const after = model.publish();
    expect(after).not.toBe(before);
    expect(before.frameworks[0]?.tasks.map((t) => t.id)).not.toContain('t-2');
    expect(after.slaves[1]).toBe(agentBefore);
    expect(after.frameworks[0]?.tasks[0]).toBe(taskBefore);
    // A new task changes the framework's active tasks only: its other lists are the same arrays.
    expect(after.frameworks[0]?.tasks).not.toBe(before.frameworks[0]?.tasks);
    expect(after.frameworks[0]?.completed_tasks).toBe(before.frameworks[0]?.completed_tasks);
    expect(after.frameworks[0]?.unreachable_tasks).toBe(before.frameworks[0]?.unreachable_tasks);
    // A task that ends moves to the completed tasks: a new array, and the earlier state's is as it was.
    const completedBefore = [...(after.frameworks[0]?.completed_tasks ?? [])];
    model.apply(taskUpdated('t-2', 'TASK_FINISHED'));
    const ended = model.publish();
    expect(ended.frameworks[0]?.completed_tasks.at(-1)?.id).toBe('t-2');
    expect(after.frameworks[0]?.completed_tasks).toEqual(completedBefore);
    expect(after.frameworks[0]?.tasks.map((t) => t.id)).toContain('t-2');
    // Nothing new: the very same object again.
    expect(model.changed).toBe(false);
    expect(model.publish()).toBe(ended);
  });

  it('keeps only the newest changes, so a state does not keep every earlier one alive', () => {
    const model = fresh();
    model.publish();
    model.apply(taskAdded('one'));
    const first = model.publish();
    expect(changesOf(first)?.added.map(({ task }) => task.id)).toEqual(['one']);
    model.apply(taskAdded('two'));
    const second = model.publish();
    expect(changesOf(second)?.previous.deref()).toBe(first);
    expect(changesOf(first)).toBeUndefined();
  });

  it('keeps agent and framework allocation as the sum of active tasks', () => {
    const model = fresh();
    const agentUsed = () => model.publish().slaves.find((a) => a.id === AGENT)?.used_resources.cpus ?? 0;
    const frameworkUsed = () => model.publish().frameworks[0]?.used_resources?.cpus ?? 0;
    const [agent0, framework0] = [agentUsed(), frameworkUsed()];
    model.apply(taskAdded('t-3', AGENT, 1.25));
    expect(agentUsed()).toBeCloseTo(agent0 + 1.25, 6);
    expect(frameworkUsed()).toBeCloseTo(framework0 + 1.25, 6);
    model.apply(taskUpdated('t-3', 'TASK_FINISHED'));
    expect(agentUsed()).toBeCloseTo(agent0, 6);
    expect(frameworkUsed()).toBeCloseTo(framework0, 6);
  });

  it('moves unreachable tasks aside and back', () => {
    const model = fresh();
    model.apply(taskAdded('t-4'));
    model.apply(taskUpdated('t-4', 'TASK_UNREACHABLE'));
    expect(model.publish().frameworks[0]?.unreachable_tasks.map((t) => t.id)).toEqual(['t-4']);
    expect(activeIds(model)).not.toContain('t-4');
    model.apply(taskUpdated('t-4', 'TASK_RUNNING'));
    expect(model.publish().frameworks[0]?.unreachable_tasks).toEqual([]);
    expect(activeIds(model)).toContain('t-4');
  });

  it('caps completed tasks at max_completed_tasks_per_framework', () => {
    const model = fresh();
    const limit = model.taskLimit;
    expect(limit).toBe(Number(header.flags?.['max_completed_tasks_per_framework'] ?? 1000));
    for (let i = 0; i < limit + 5; i++) {
      model.apply(taskAdded(`c-${i}`));
      model.apply(taskUpdated(`c-${i}`, 'TASK_FINISHED', 1_800_000_000 + i));
    }
    const completed = completedIds(model);
    expect(completed).toHaveLength(limit);
    expect(completed.at(-1)).toBe(`c-${limit + 4}`);
  });

  it('adds, updates and removes agents and frameworks', () => {
    const model = fresh();
    const agent = rawFixture('mesos-docs/operator-api/master/GET_AGENTS.response.json').get_agents.agents[0];
    model.apply(event({ type: 'AGENT_ADDED', agent_added: { agent } }));
    expect(model.publish().slaves.map((a) => a.id)).toContain(agent.agent_info.id.value);
    model.apply(event({ type: 'AGENT_REMOVED', agent_removed: { agent_id: agent.agent_info.id } }));
    expect(model.publish().slaves.map((a) => a.id)).not.toContain(agent.agent_info.id.value);

    const added = fixture('mesos-docs/operator-api/events/FRAMEWORK_ADDED.event.json');
    model.apply(event(added));
    const id = (added as Raw).framework_added.framework.framework_info.id.value;
    expect(model.publish().frameworks.find((f) => f.id === id)).toMatchObject({ active: true, tasks: [] });
    const updated = structuredClone((added as Raw).framework_added.framework);
    updated.active = false;
    model.apply(event({ type: 'FRAMEWORK_UPDATED', framework_updated: { framework: updated } }));
    expect(model.publish().frameworks.find((f) => f.id === id)?.active).toBe(false);
    model.apply(event(fixture('mesos-docs/operator-api/events/FRAMEWORK_REMOVED.event.json')));
    const state = model.publish();
    expect(state.frameworks.find((f) => f.id === id)).toBeUndefined();
    expect(state.completed_frameworks.find((f) => f.id === id)).toMatchObject({ active: false });
  });

  it('moves the tasks of a removed framework to its completed tasks', () => {
    const model = fresh();
    model.apply(taskAdded('t-5'));
    model.apply(
      event({
        type: 'FRAMEWORK_REMOVED',
        framework_removed: { framework_info: { id: { value: FRAMEWORK } } },
      }),
    );
    const state = model.publish();
    expect(state.frameworks).toHaveLength(0);
    expect(state.completed_frameworks.at(-1)?.completed_tasks.map((t) => t.id)).toContain('t-5');
    expect(state.slaves.find((a) => a.id === AGENT)?.used_resources.cpus).toBe(0);
  });

  it('takes offers and executor overheads from a GET_FRAMEWORKS poll', () => {
    const model = fresh();
    const before = model.publish().frameworks[0]?.used_resources?.cpus ?? 0;
    model.apply(taskAdded('t-6', AGENT, 1));
    model.applyFrameworks({
      type: 'GET_FRAMEWORKS',
      get_frameworks: {
        frameworks: [
          {
            framework_info: { id: { value: FRAMEWORK }, name: 'marathon' },
            // The master counts the command executor's 0.1 cpus on top of the task.
            allocated_resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: before + 1.1 } }],
            offers: [
              {
                id: { value: 'offer-1' },
                framework_id: { value: FRAMEWORK },
                agent_id: { value: AGENT },
                resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 2 } }],
              },
            ],
          },
        ],
      },
    });
    const state = model.publish();
    expect(state.frameworks[0]?.offers.map((o) => o.id)).toEqual(['offer-1']);
    expect(state.frameworks[0]?.offered_resources?.cpus).toBe(2);
    expect(state.slaves.find((a) => a.id === AGENT)?.offered_resources?.cpus).toBe(2);
    expect(state.frameworks[0]?.used_resources?.cpus).toBeCloseTo(before + 1.1, 6);
    // The overhead stays when the task set changes until the next poll.
    model.apply(taskAdded('t-7', AGENT, 1));
    expect(model.publish().frameworks[0]?.used_resources?.cpus).toBeCloseTo(before + 2.1, 6);
  });

  it('publishes anew only the frameworks and agents a GET_FRAMEWORKS poll changed', () => {
    const model = fresh();
    model.apply(taskAdded('t-8', AGENT, 1));
    const poll = (offers: string[]) => ({
      type: 'GET_FRAMEWORKS',
      get_frameworks: {
        frameworks: [
          {
            framework_info: { id: { value: FRAMEWORK }, name: 'marathon' },
            allocated_resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1.1 } }],
            offers: offers.map((id) => ({
              id: { value: id },
              framework_id: { value: FRAMEWORK },
              agent_id: { value: AGENT },
              resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 2 } }],
            })),
          },
        ],
      },
    });
    model.applyFrameworks(poll(['offer-1']));
    const first = model.publish();
    // The same answer again: nothing to publish, every object kept.
    model.applyFrameworks(poll(['offer-1']));
    expect(model.changed).toBe(false);
    expect(model.publish()).toBe(first);
    // Another offer: that framework and its agent are new objects, with the new offer.
    model.applyFrameworks(poll(['offer-2']));
    const second = model.publish();
    expect(second.frameworks[0]).not.toBe(first.frameworks[0]);
    expect(second.frameworks[0]?.offers.map((o) => o.id)).toEqual(['offer-2']);
    expect(second.frameworks[0]?.used_resources).toEqual(first.frameworks[0]?.used_resources);
    // No offer at all: the agent's offered resources go back to zero.
    model.applyFrameworks(poll([]));
    const third = model.publish();
    expect(third.slaves.find((a) => a.id === AGENT)?.offered_resources?.cpus ?? 0).toBe(0);
    expect(third.frameworks[0]?.offers).toEqual([]);
  });

  it('takes the allocation of a model made from GET_AGENTS and GET_FRAMEWORKS as applying them again would', () => {
    const agents = { type: 'GET_AGENTS', get_agents: getState.get_agents };
    const frameworks = { type: 'GET_FRAMEWORKS', get_frameworks: getState.get_frameworks };
    const parts = { get_agents: getState.get_agents, get_frameworks: getState.get_frameworks };
    const applied = new StreamState(header, parts);
    applied.applyFrameworks(frameworks);
    applied.applyAgents(agents);
    const listed = new StreamState(header, parts);
    listed.useListedAllocation();
    const state = listed.publish();
    expect(state).toEqual(applied.publish());
    // The fixture's allocation is there to take: the test would pass with none.
    expect(state.slaves.some((agent) => (agent.used_resources?.cpus ?? 0) > 0)).toBe(true);
  });

  it('learns deactivation and drains, which no event carries, from a GET_AGENTS poll', () => {
    const model = fresh();
    const agent = structuredClone(getState.get_agents.agents[0]);
    agent.active = false;
    agent.deactivated = true;
    agent.drain_info = { state: 'DRAINING', config: { mark_gone: false } };
    model.applyAgents({ type: 'GET_AGENTS', get_agents: { agents: [agent] } });
    const state = model.publish();
    expect(state.slaves.find((a) => a.id === AGENT)).toMatchObject({
      deactivated: true,
      drain_info: { state: 'DRAINING' },
    });
    expect(state.deactivated_slaves).toBe(1);
  });

  it('reads a GET_AGENTS answer from its bytes as from its JSON, publishing anew only the agents that changed', () => {
    const { agents, answer, bytes, parts } = manyAgents();
    expect(bytes(agents).length).toBeGreaterThan(3 * 64 * 1024);
    const fromBytes = new StreamState(header, parts);
    fromBytes.applyAgentsJson(bytes(agents));
    const first = fromBytes.publish();
    // The same answer again: nothing to publish, every object kept.
    fromBytes.applyAgentsJson(bytes(agents));
    expect(fromBytes.changed).toBe(false);
    expect(fromBytes.publish()).toBe(first);
    // One agent deactivated and one whose allocation moved: those two are new objects, the others are kept.
    const next = structuredClone(agents);
    next[37].deactivated = true;
    next[38].used_resources = { ...next[38].used_resources, cpus: 2.5 };
    fromBytes.applyAgentsJson(bytes(next));
    const second = fromBytes.publish();
    const changed = second.slaves.filter((agent, at) => agent !== first.slaves[at]).map((agent) => agent.id);
    expect(changed).toEqual(['agent-37', 'agent-38']);
    expect(second.slaves[37]).toMatchObject({ deactivated: true });
    // A changed agent keeps the objects of what did not change in it.
    expect(second.slaves[38]?.used_resources.cpus).toBe(2.5);
    expect(second.slaves[38]?.resources).toBe(first.slaves[38]?.resources);
    expect(second.slaves[38]?.attributes).toBe(first.slaves[38]?.attributes);
    expect(second.slaves[37]?.resources).toBe(first.slaves[37]?.resources);
    // What the parsed answers make of the same model.
    const fromJson = new StreamState(header, parts);
    fromJson.applyAgents(answer(agents));
    fromJson.applyAgents(answer(next));
    expect(second).toEqual(fromJson.publish());
    expect(() => fromBytes.applyAgentsJson(bytes(next).subarray(0, 100_000))).toThrow();
  });

  it('parses again only the agents of a GET_AGENTS answer whose bytes changed since the last answer', () => {
    const { agents, answer, bytes, parts } = manyAgents();
    const fromBytes = new StreamState(header, parts);
    const fromJson = new StreamState(header, parts);
    const both = (apply: (model: StreamState) => void) => [fromBytes, fromJson].forEach(apply);
    fromBytes.applyAgentsJson(bytes(agents));
    fromJson.applyAgents(answer(agents));
    expect(fromBytes.publish()).toEqual(fromJson.publish());
    // Tasks folded in since move what the agent's unchanged `used_resources` says beyond them.
    both((model) => model.apply(taskAdded('folded', 'agent-5', 1.5)));
    convertedAgents.length = 0;
    fromBytes.applyAgentsJson(bytes(agents));
    expect(convertedAgents).toEqual([]);
    fromJson.applyAgents(answer(agents));
    expect(fromBytes.publish()).toEqual(fromJson.publish());
    // Changed bytes (cut anywhere by the 64 kB pieces) are parsed; so is an agent the stream re-added since.
    const next = structuredClone(agents);
    next[37].deactivated = true;
    next[90].used_resources = { ...next[90].used_resources, cpus: 2.5 };
    both((model) =>
      model.apply(event({ type: 'AGENT_ADDED', agent_added: { agent: structuredClone(agents[60]) } })),
    );
    convertedAgents.length = 0;
    fromBytes.applyAgentsJson(bytes(next));
    expect(convertedAgents.sort()).toEqual(['agent-37', 'agent-60', 'agent-90']);
    fromJson.applyAgents(answer(next));
    expect(fromBytes.publish()).toEqual(fromJson.publish());
    // In another order, no agent is where it was: all are parsed, to the same state.
    const reordered = [...next].reverse();
    convertedAgents.length = 0;
    fromBytes.applyAgentsJson(bytes(reordered));
    expect(convertedAgents).toHaveLength(120);
    fromJson.applyAgents(answer(reordered));
    expect(fromBytes.publish()).toEqual(fromJson.publish());
  });

  it('builds an unknown task from its update rather than dropping it', () => {
    const model = fresh();
    model.apply(taskUpdated('never-added', 'TASK_RUNNING'));
    expect(activeIds(model)).toContain('never-added');
    expect(model.stats.unknownTasks).toBe(1);
  });
});

describe('a first snapshot folded in slices', () => {
  /** The fixture's state with every kind of listing: unreachable, completed, a completed framework's, orphans. */
  function everyListing(): Raw {
    const state = structuredClone(getState) as Raw;
    const tasks = state.get_tasks.tasks as Raw[];
    const copy = (source: Raw, id: string, fields: Raw): Raw => ({
      ...structuredClone(source),
      task_id: { value: id },
      ...fields,
    });
    const retired = { ...structuredClone(state.get_frameworks.frameworks[0]) };
    retired.framework_info = { ...retired.framework_info, id: { value: 'retired-framework' }, name: 'old' };
    state.get_frameworks.completed_frameworks = [retired];
    const source = tasks[0] as Raw;
    state.get_tasks.unreachable_tasks = [copy(source, 'lost-1', { state: 'TASK_UNREACHABLE' })];
    state.get_tasks.completed_tasks = Array.from({ length: 7 }, (_, i) =>
      copy(source, `done-${i}`, {
        state: 'TASK_FINISHED',
        // Out of order: the model lists completed tasks by their last status.
        statuses: [{ task_id: { value: `done-${i}` }, state: 'TASK_FINISHED', timestamp: 1_700_000_000 - i }],
        ...(i % 3 === 0 ? { framework_id: { value: 'retired-framework' } } : {}),
      }),
    );
    tasks.push(copy(source, 'orphan-1', { framework_id: { value: 'unknown-framework' } }));
    tasks.push(copy(source, 'retired-running', { framework_id: { value: 'retired-framework' } }));
    return state;
  }

  it('publishes the same state as reading it whole, and each slice as changes from the one before', () => {
    const state = everyListing();
    const whole = new StreamState(header, state).publish();

    const sliced = StreamState.withoutTasks(header, state);
    let previous = sliced.publish();
    const seen = new Set<string>();
    for (const list of SNAPSHOT_TASK_LISTS) {
      const raw = (state.get_tasks[list] ?? []) as Raw[];
      for (let start = 0; start < raw.length; start += 4) {
        sliced.addSnapshotTasks(
          list,
          raw.slice(start, start + 4).map((task) => v1TaskToV0(task)),
        );
        const published = sliced.publish();
        const changes = changesOf(published);
        expect(changes?.previous.deref()).toBe(previous);
        for (const { task } of changes?.added ?? []) seen.add(`${task.framework_id}/${task.id}`);
        previous = published;
      }
    }
    sliced.finishSnapshot();
    const done = sliced.publish();
    expect(changesOf(done)?.previous.deref()).toBe(previous);
    expect(done).toEqual(whole);
    const listed = [
      ...whole.frameworks.flatMap((f) => [...f.tasks, ...f.unreachable_tasks, ...f.completed_tasks]),
      ...whole.completed_frameworks.flatMap((f) => [...f.tasks, ...f.completed_tasks]),
      ...(whole.orphan_tasks ?? []),
    ].map((task) => `${task.framework_id}/${task.id}`);
    expect([...seen].sort()).toEqual(listed.sort());
  });
});
