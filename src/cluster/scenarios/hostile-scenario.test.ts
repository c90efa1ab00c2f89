import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE } from './hostile-scenario';
import { startCluster } from '../index';
import type { LocalCluster } from '../index';
import { eventually, getJson } from '../test-helpers';
import type { MasterStateJson } from '../test-helpers';

let cluster: LocalCluster;

beforeAll(async () => {
  cluster = await startCluster({ agents: 1, scenario: 'hostile' });
}, 30_000);
afterAll(async () => {
  await cluster?.close();
});

describe('the hostile scenario', () => {
  it('serves hostile names byte for byte', async () => {
    const state = await getJson<MasterStateJson>(`${cluster.masterUrl}/master/state`);
    const names = state.frameworks.map((f) => f.name);
    expect(names).toEqual([HOSTILE.markup, HOSTILE.long]);
    expect(state.frameworks[0]?.webui_url).toBe(HOSTILE.javascriptUrl);
    expect(state.frameworks[0]?.roles).toContain(HOSTILE.role);
    expect(state.completed_frameworks[0]?.name).toBe(`${HOSTILE.svg}${HOSTILE.rtl}`);
    const tasks = state.frameworks.flatMap((f) => f.tasks).map((t) => t.name);
    expect(tasks).toEqual(expect.arrayContaining([HOSTILE.markup, HOSTILE.long, HOSTILE.rtl]));
    expect(state.frameworks[0]?.offers).toHaveLength(1);
    const markupTask = state.frameworks[0]?.tasks.find((t) => t.name === HOSTILE.markup) as unknown as {
      labels: Array<{ key: string; value: string }>;
    };
    expect(markupTask.labels).toContainEqual({ key: HOSTILE.markup, value: HOSTILE.script });
    expect(markupTask.labels).toContainEqual({ key: 'long', value: HOSTILE.long });
  });

  it('leaves hostile file names in a sandbox', async () => {
    const state = await getJson<MasterStateJson>(`${cluster.masterUrl}/master/state`);
    const task = state.frameworks[0]?.tasks.find((t) => t.name === HOSTILE.markup);
    const agent = cluster.agents[0];
    const agentState = await getJson<{ frameworks: { executors: { id: string; directory: string }[] }[] }>(
      `${agent?.url}/state`,
    );
    const directory = agentState.frameworks
      .flatMap((f) => f.executors)
      .find((e) => e.id === task?.id)?.directory;
    const files = await eventually(async () => {
      const listing = await getJson<{ path: string }[]>(
        `${agent?.url}/files/browse?path=${encodeURIComponent(directory ?? '')}`,
      );
      const names = listing.map((f) => f.path.split('/').at(-1));
      return names.includes(HOSTILE.rtl) ? names : undefined;
    });
    expect(files).toEqual(expect.arrayContaining([HOSTILE.markup, HOSTILE.javascriptUrl, HOSTILE.rtl]));
  });
});
