import { describe, expect, it } from 'vitest';
import type { Agent } from '../../mesos';
import { ListedById, sameIds } from './listed-by-id';

const agent = (id: string, hostname = `${id}.example`) => ({ id, hostname }) as Agent;

describe('agents and frameworks by id', () => {
  it('reads like a map of the list, the last of equal ids winning as new Map keeps them', () => {
    const list = [agent('S1'), agent('S2'), agent('S1', 'again.example'), agent('S3')];
    const byId = new ListedById<Agent>().of(list);
    const plain = new Map(list.map((a) => [a.id, a]));
    expect(byId.size).toBe(plain.size);
    expect([...byId]).toEqual([...plain]);
    expect([...byId.keys()]).toEqual([...plain.keys()]);
    expect([...byId.values()]).toEqual([...plain.values()]);
    expect(byId.get('S1')?.hostname).toBe('again.example');
    expect(byId.has('S3')).toBe(true);
    expect(byId.get('S4')).toBeUndefined();
    const seen: string[] = [];
    byId.forEach((a, id) => seen.push(`${id}=${a.hostname}`));
    expect(seen).toEqual([...plain].map(([id, a]) => `${id}=${a.hostname}`));
  });

  it('shares positions while the same agents are listed in the same order, and sees their new objects', () => {
    const agents = new ListedById<Agent>();
    const first = agents.of([agent('S1'), agent('S2')]);
    const renamed = agent('S2', 'moved.example');
    const second = agents.of([agent('S1'), renamed]);
    expect(sameIds(first, second)).toBe(true);
    expect(second.get('S2')).toBe(renamed);
    expect(first.get('S2')?.hostname).toBe('S2.example');

    const reordered = agents.of([agent('S2'), agent('S1')]);
    expect(sameIds(second, reordered)).toBe(false);
    expect(reordered.get('S1')?.id).toBe('S1');
    const fewer = agents.of([agent('S2')]);
    expect(sameIds(reordered, fewer)).toBe(false);
    expect(fewer.has('S1')).toBe(false);
    expect(sameIds(fewer, new Map([['S2', agent('S2')]]))).toBe(false);
  });

  it('lists two lists as one, the second winning an id both have, as frameworks by id must', () => {
    const completed = [agent('F1', 'done'), agent('F2', 'done')];
    const active = [agent('F2', 'active'), agent('F3', 'active')];
    const frameworks = new ListedById<Agent>();
    const byId = frameworks.of(completed, active);
    expect([...byId]).toEqual([...new Map([...completed, ...active].map((f) => [f.id, f]))]);
    expect(byId.get('F2')?.hostname).toBe('active');
    expect(byId.get('F1')?.hostname).toBe('done');
    // The same ids in the same places of either list: positions shared.
    const next = frameworks.of(completed, [agent('F2', 'active'), agent('F3', 'changed')]);
    expect(sameIds(byId, next)).toBe(true);
    expect(next.get('F3')?.hostname).toBe('changed');
    // One moved from the active list to the completed one: not the same listing.
    const moved = frameworks.of([...completed, agent('F3', 'done')], [agent('F2', 'active')]);
    expect(sameIds(next, moved)).toBe(false);
    expect(moved.get('F3')?.hostname).toBe('done');
    expect(moved.get('F2')?.hostname).toBe('active');
  });
});
