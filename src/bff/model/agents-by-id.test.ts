import { describe, expect, it } from 'vitest';
import type { Agent } from '../../mesos';
import { AgentsById, sameAgentIds } from './agents-by-id';

const agent = (id: string, hostname = `${id}.example`) => ({ id, hostname }) as Agent;

describe('agents by id', () => {
  it('reads like a map of the list, the last of equal ids winning as new Map keeps them', () => {
    const list = [agent('S1'), agent('S2'), agent('S1', 'again.example'), agent('S3')];
    const byId = new AgentsById().of(list);
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
    const agents = new AgentsById();
    const first = agents.of([agent('S1'), agent('S2')]);
    const renamed = agent('S2', 'moved.example');
    const second = agents.of([agent('S1'), renamed]);
    expect(sameAgentIds(first, second)).toBe(true);
    expect(second.get('S2')).toBe(renamed);
    expect(first.get('S2')?.hostname).toBe('S2.example');

    const reordered = agents.of([agent('S2'), agent('S1')]);
    expect(sameAgentIds(second, reordered)).toBe(false);
    expect(reordered.get('S1')?.id).toBe('S1');
    const fewer = agents.of([agent('S2')]);
    expect(sameAgentIds(reordered, fewer)).toBe(false);
    expect(fewer.has('S1')).toBe(false);
    expect(sameAgentIds(fewer, new Map([['S2', agent('S2')]]))).toBe(false);
  });
});
