import { describe, expect, it } from 'vitest';
import { parseMasterState } from '../../mesos';
import { fixture, rawFixture, type Raw } from '../../mesos/test-fixtures';
import { buildSnapshot } from '../model/cluster-snapshot';
import { matchScore, searchView } from './search-view';

const CAPGEMINI = 'v0.27.1-capgemini/master-state.json';
const snapshot = buildSnapshot({
  version: 1,
  fetchedAt: 0,
  leaderUrl: 'http://master:5050',
  state: parseMasterState(fixture(CAPGEMINI)),
  metrics: null,
});
const raw = rawFixture(CAPGEMINI);

describe('search ranking', () => {
  it('ranks exact over prefix over word start over anywhere', () => {
    const scores = ['web', 'webhook', 'my-web', 'cobweb', 'nothing'].map((text) => matchScore(text, 'web'));
    expect(scores).toEqual([100, 80, 60, 40, 0]);
    expect(matchScore('a.web.b', 'web')).toBe(60);
    expect(matchScore('xweb-web', 'web')).toBe(60);
  });

  it('finds a task by its full ID first, even among tasks with similar names', async () => {
    const task = raw.frameworks.flatMap((f: Raw) => f.tasks)[0];
    const results = await searchView(snapshot, String(task.id).toUpperCase(), 5);
    expect(results.tasks[0]).toMatchObject({ kind: 'task', id: task.id, frameworkId: task.framework_id });
  });

  it('finds tasks by name, live ones before completed ones with the same name', async () => {
    const name = 'qa-mailhog';
    const live = raw.frameworks.flatMap((f: Raw) => f.tasks).filter((t: Raw) => t.name === name);
    const results = await searchView(snapshot, name, 20);
    expect(results.tasks.length).toBeGreaterThanOrEqual(live.length);
    const firstLive = results.tasks.slice(0, live.length).map((hit) => hit.id);
    expect(firstLive.sort()).toEqual(live.map((t: Raw) => t.id).sort());
  });

  it('finds frameworks by name and agents by hostname, and counts every match', async () => {
    const framework = raw.frameworks[0];
    const results = await searchView(snapshot, framework.name, 5);
    expect(results.frameworks[0]).toMatchObject({ kind: 'framework', id: framework.id, detail: 'active' });
    // A framework named exactly so is a best hit, whatever its tasks are called.
    expect(results.best.framework).toBeGreaterThanOrEqual(results.best.task);
    expect(results.best.framework).toBeGreaterThan(results.best.agent);

    const agent = raw.slaves[0];
    const byHost = await searchView(snapshot, agent.hostname, 5);
    expect(byHost.agents[0]).toMatchObject({ kind: 'agent', id: agent.id, title: agent.hostname });

    const everything = await searchView(snapshot, '-', 3);
    const allTaskIds = [
      ...raw.frameworks.flatMap((f: Raw) => [...f.tasks, ...(f.completed_tasks ?? [])]),
      ...(raw.orphan_tasks ?? []),
      ...raw.completed_frameworks.flatMap((f: Raw) => [...(f.tasks ?? []), ...(f.completed_tasks ?? [])]),
    ].filter((t: Raw) => String(t.id).includes('-') || String(t.name).includes('-'));
    expect(everything.tasks).toHaveLength(3);
    expect(everything.totals.task).toBe(allTaskIds.length);
  });

  it('returns nothing for a query that matches nothing', async () => {
    const results = await searchView(snapshot, 'zzz-no-such-thing-zzz', 5);
    expect(results.tasks).toEqual([]);
    expect(results.frameworks).toEqual([]);
    expect(results.agents).toEqual([]);
    expect(results.best).toEqual({ task: 0, framework: 0, agent: 0 });
  });
});
