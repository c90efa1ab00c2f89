import { describe, expect, it } from 'vitest';
import { agentsMovedUnseen } from './poll-policy';

const counts = (active: number, inactive: number) => ({
  'master/slaves_active': active,
  'master/slaves_inactive': inactive,
});

describe('agentsMovedUnseen', () => {
  it('asks for the agents when one is deactivated or reactivated, which no event says', () => {
    expect(agentsMovedUnseen(counts(100, 0), counts(99, 1), 0)).toBe(true);
    expect(agentsMovedUnseen(counts(99, 1), counts(100, 0), 0)).toBe(true);
  });

  it('does not when the stream added or removed exactly the agents the counts moved by', () => {
    expect(agentsMovedUnseen(counts(100, 0), counts(103, 0), 3)).toBe(false);
    expect(agentsMovedUnseen(counts(100, 2), counts(98, 2), -2)).toBe(false);
    expect(agentsMovedUnseen(counts(100, 0), counts(100, 0), 0)).toBe(false);
  });

  it('asks when the counts moved by more than the stream said (an agent made unreachable has no event)', () => {
    expect(agentsMovedUnseen(counts(100, 0), counts(99, 0), 0)).toBe(true);
    expect(agentsMovedUnseen(counts(100, 0), counts(102, 0), 1)).toBe(true);
  });

  it('asks on any move when what the stream said is unknown', () => {
    expect(agentsMovedUnseen(counts(100, 0), counts(101, 0), null)).toBe(true);
    expect(agentsMovedUnseen(counts(100, 0), counts(100, 0), null)).toBe(false);
    expect(agentsMovedUnseen({}, counts(0, 0), null)).toBe(false);
  });
});
