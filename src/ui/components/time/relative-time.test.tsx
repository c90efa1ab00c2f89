import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { Profiler } from 'react';
import { describe, expect, it } from 'vitest';
import { RelativeTime } from './relative-time';
import { TimeProvider, useTime } from './time-context';
import '../../testing/test-utils';

function Ticks({ seen }: { seen: number[] }) {
  const { now } = useTime();
  seen.push(now);
  return null;
}

describe('relative times on the shared clock', () => {
  it('redraws a time only when its text changes, not on every tick', async () => {
    const ticks: number[] = [];
    const commits = { old: 0, fresh: 0 };
    const threeHoursAgo = Date.now() - 3 * 3_600_000;
    // "just now" turns into "a minute ago" at 42 s: half a second before it, so a slow first render still
    // draws "just now".
    const almostAMinute = Date.now() - 41_500;
    render(
      <TimeProvider tickMs={10}>
        <Ticks seen={ticks} />
        <Profiler id="old" onRender={() => (commits.old += 1)}>
          <span data-testid="old">
            <RelativeTime ms={threeHoursAgo} />
          </span>
        </Profiler>
        <Profiler id="fresh" onRender={() => (commits.fresh += 1)}>
          <span data-testid="fresh">
            <RelativeTime ms={almostAMinute} />
          </span>
        </Profiler>
      </TimeProvider>,
    );
    expect(screen.getByTestId('old').textContent).toBe('3 hours ago');
    await waitFor(() => expect(screen.getByTestId('fresh').textContent).toBe('a minute ago'), {
      timeout: 5_000,
    });
    await waitFor(() => expect(new Set(ticks).size).toBeGreaterThan(10));
    expect(commits.old).toBe(1);
    expect(commits.fresh).toBe(2);
  });

  it('switches every time between relative and absolute on a click', () => {
    const ms = Date.UTC(2024, 0, 2, 3, 4, 5);
    render(
      <TimeProvider>
        <span data-testid="a">
          <RelativeTime ms={ms} />
        </span>
        <span data-testid="b">
          <RelativeTime ms={ms} />
        </span>
        <span data-testid="none">
          <RelativeTime ms={null} />
        </span>
      </TimeProvider>,
    );
    expect(screen.getByTestId('none').textContent).toBe('-');
    const before = screen.getByTestId('b').textContent;
    fireEvent.click(screen.getByTestId('a').querySelector('button') as HTMLElement);
    const after = screen.getByTestId('b').textContent;
    expect(after).not.toBe(before);
    expect([before, after]).toContain('2024-01-02T03:04:05Z');
  });
});
