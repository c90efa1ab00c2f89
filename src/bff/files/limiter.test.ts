import { describe, expect, it } from 'vitest';
import { BudgetFullError, ByteBudget } from './limiter';

describe('ByteBudget', () => {
  it('admits work while it fits, then in order as bytes come back', async () => {
    const budget = new ByteBudget(10, 5);
    const first = await budget.acquire(6);
    const second = await budget.acquire(4);
    expect(budget.inUse).toBe(10);
    const admitted: string[] = [];
    const big = budget.acquire(8).then((release) => (admitted.push('big'), release));
    const small = budget.acquire(1).then((release) => (admitted.push('small'), release));
    await Promise.resolve();
    expect(admitted).toEqual([]);
    expect(budget.queued).toBe(2);
    // 6 back: 4 in use, the big one (8) does not fit yet, and the small one may not overtake it.
    first();
    first();
    await Promise.resolve();
    expect(admitted).toEqual([]);
    second();
    const releaseBig = await big;
    const releaseSmall = await small;
    expect(admitted).toEqual(['big', 'small']);
    expect(budget.inUse).toBe(9);
    releaseBig();
    releaseSmall();
    expect(budget.inUse).toBe(0);
  });

  it('refuses at once when too many wait, and lets a waiter whose browser left go', async () => {
    const budget = new ByteBudget(4, 1);
    const held = await budget.acquire(4);
    const controller = new AbortController();
    const waiting = budget.acquire(2, controller.signal);
    await expect(budget.acquire(1)).rejects.toThrow(BudgetFullError);
    controller.abort(new Error('browser gone'));
    await expect(waiting).rejects.toThrow('browser gone');
    expect(budget.queued).toBe(0);
    held();
    expect(budget.inUse).toBe(0);
  });

  it('runs work bigger than the whole budget alone', async () => {
    const budget = new ByteBudget(4, 10);
    const huge = await budget.acquire(100);
    expect(budget.inUse).toBe(4);
    let next = false;
    const after = budget.acquire(1).then((release) => ((next = true), release));
    await Promise.resolve();
    expect(next).toBe(false);
    huge();
    (await after)();
    expect(next).toBe(true);
  });
});
