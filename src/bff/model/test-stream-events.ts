/** Random operator events over a small cluster, for tests of what is folded from a stream. */
import { fixture, rawFixture } from '../../mesos/test-fixtures';
import type { Raw } from '../../mesos/test-fixtures';
import type { MasterState } from '../../mesos';
import { parseOperatorEvent } from '../../mesos/operator-v1/events';
import type { OperatorEvent } from '../../mesos/operator-v1/events';
import { v1MasterHeaderToV0 } from '../../mesos/operator-v1/state';
import { StreamState } from '../../mesos/operator-v1/stream-state';

/** A master with small limits, so that trimming happens often. */
export const header = v1MasterHeaderToV0({
  getMaster: fixture('v1-operator/GET_MASTER-1.5.0.json'),
  getVersion: fixture('v1-operator/GET_VERSION-1.5.0.json'),
  // A small completed-task limit so that trimming happens often.
  getFlags: {
    type: 'GET_FLAGS',
    get_flags: {
      flags: [
        { name: 'max_completed_tasks_per_framework', value: '6' },
        { name: 'max_completed_frameworks', value: '2' },
      ],
    },
  },
});
export const getState = rawFixture('v1-operator/SUBSCRIBED-event-3-agents-25-tasks.json').subscribed
  .get_state;
const agentTemplate = rawFixture('mesos-docs/operator-api/master/GET_AGENTS.response.json').get_agents
  .agents[0];
const frameworkTemplate = getState.get_frameworks.frameworks[0];

/** A seeded pseudo-random generator (mulberry32), so that a failure can be replayed. */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const event = (json: Raw): OperatorEvent => parseOperatorEvent(json);
const TERMINAL = ['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST'];

/** Events over a few frameworks and agents, task ids reused now and then (relaunches). */
export function randomEvents(next: () => number, count: number): OperatorEvent[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const frameworks = [getState.get_frameworks.frameworks[0].framework_info.id.value as string];
  const agents = (getState.get_agents.agents as Raw[]).map((a) => (a.agent_info?.id ?? a.id).value as string);
  const tasks: Array<{ id: string; framework: string; agent: string }> = [];
  const events: OperatorEvent[] = [];
  let clock = 1_700_000_000;
  for (let i = 0; i < count; i++) {
    clock += 1;
    const roll = next();
    if (roll < 0.3 || tasks.length === 0) {
      const id = next() < 0.15 && tasks.length > 0 ? pick(tasks).id : `task-${i}`;
      const task = { id, framework: pick(frameworks), agent: pick(agents) };
      tasks.push(task);
      events.push(
        event({
          type: 'TASK_ADDED',
          task_added: {
            task: {
              name: `app-${i % 5}`,
              task_id: { value: task.id },
              framework_id: { value: task.framework },
              agent_id: { value: task.agent },
              state: next() < 0.1 ? 'TASK_FINISHED' : 'TASK_STAGING',
              resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 + (i % 4) / 10 } }],
              statuses: [{ task_id: { value: task.id }, state: 'TASK_STAGING', timestamp: clock }],
            },
          },
        }),
      );
    } else if (roll < 0.75) {
      const task = pick(tasks);
      const state = pick(['TASK_RUNNING', 'TASK_RUNNING', 'TASK_UNREACHABLE', ...TERMINAL]);
      events.push(
        event({
          type: 'TASK_UPDATED',
          task_updated: {
            framework_id: { value: task.framework },
            status: {
              task_id: { value: task.id },
              agent_id: { value: task.agent },
              state,
              timestamp: clock,
              healthy: next() < 0.5,
            },
            state,
          },
        }),
      );
    } else if (roll < 0.82) {
      const id = next() < 0.5 ? pick(agents) : `agent-${i}`;
      if (!agents.includes(id)) agents.push(id);
      const agent = structuredClone(agentTemplate);
      agent.agent_info.id = { value: id };
      agent.agent_info.hostname = `host-${Math.floor(next() * 4)}`;
      events.push(event({ type: 'AGENT_ADDED', agent_added: { agent } }));
    } else if (roll < 0.87) {
      events.push(event({ type: 'AGENT_REMOVED', agent_removed: { agent_id: { value: pick(agents) } } }));
    } else if (roll < 0.94) {
      const id = next() < 0.5 ? pick(frameworks) : `framework-${i}`;
      if (!frameworks.includes(id)) frameworks.push(id);
      const framework = structuredClone(frameworkTemplate);
      framework.framework_info = {
        ...framework.framework_info,
        id: { value: id },
        name: `name-${Math.floor(next() * 3)}`,
        roles: [`role-${Math.floor(next() * 3)}`],
      };
      const type = next() < 0.5 ? 'FRAMEWORK_ADDED' : 'FRAMEWORK_UPDATED';
      events.push(event({ type, [type.toLowerCase()]: { framework } }));
    } else {
      const id = pick(frameworks);
      events.push(
        event({ type: 'FRAMEWORK_REMOVED', framework_removed: { framework_info: { id: { value: id } } } }),
      );
    }
  }
  return events;
}

/**
 * The small cluster followed through `count` random events (`randomEvents`), folded in bursts of 1 to
 * `maxBurst` and published after each burst: `published` sees every state as it is published. Returns the
 * stream, once every event is in.
 */
export function publishRandomBursts(
  next: () => number,
  { count, maxBurst }: { count: number; maxBurst: number },
  published: (state: MasterState) => void,
): StreamState {
  const stream = new StreamState(header, getState);
  const events = randomEvents(next, count);
  let at = 0;
  while (at < events.length) {
    const burst = 1 + Math.floor(next() * maxBurst);
    for (const e of events.slice(at, at + burst)) stream.apply(e);
    at += burst;
    published(stream.publish());
  }
  return stream;
}
