import { act, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TaskPage, TaskRow } from '../../../../bff/schemas/views';
import { VIEW_POLL_MS } from '../../../lib/polling';
import { renderWithRouter } from '../../../testing/test-utils';
import { TasksTable } from './tasks-table';

/**
 * Advances (fake) time 100 ms at a time until `asked()` is `count`, for at most a poll and a half: a query's next
 * poll is on the page's beat (random phase), the first one at least half a poll after its answer.
 */
async function untilAsked(asked: () => number, count: number): Promise<void> {
  for (let waited = 0; asked() < count && waited <= VIEW_POLL_MS * 1.5; waited += 100) {
    await act(() => vi.advanceTimersByTimeAsync(100));
  }
}

const task = (patch: Partial<TaskRow>): TaskRow => ({
  id: 'hello.1',
  name: 'hello',
  frameworkId: 'fw-0001',
  frameworkName: 'marathon',
  executorId: 'hello.1',
  agentId: 'agent-S0',
  agentHostname: 'host-a',
  role: 'marathon',
  state: 'TASK_RUNNING',
  healthy: null,
  startTime: 1_700_000_000,
  finishTime: null,
  resources: { cpus: 0.1, gpus: 0, mem: 32, disk: 10 },
  reason: null,
  message: null,
  ...patch,
});

function mockTasks(rows: TaskRow[], total = rows.length) {
  const page: TaskPage = { snapshotAt: 0, group: 'active', total, offset: 0, limit: 50, rows };
  const fetchMock = vi.fn(async (_url: string) => new Response(JSON.stringify(page), { status: 200 }));
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** The browser's IntersectionObserver, which jsdom lacks: the test says when the table leaves or enters the screen. */
function observeScreen() {
  const callbacks: IntersectionObserverCallback[] = [];
  class ScreenObserver {
    constructor(callback: IntersectionObserverCallback) {
      callbacks.push(callback);
    }
    observe() {}
    disconnect() {}
  }
  vi.stubGlobal('IntersectionObserver', ScreenObserver);
  return (isIntersecting: boolean) =>
    act(() => {
      for (const callback of callbacks)
        callback([{ isIntersecting } as IntersectionObserverEntry], {} as IntersectionObserver);
    });
}

describe('TasksTable', () => {
  it('asks the server for the filter, sort and page in the URL', async () => {
    const fetchMock = mockTasks([task({})], 120);
    renderWithRouter(<TasksTable group="active" />, {
      url: '/?active.q=hel&active.sort=name&active.order=asc&active.page=2',
    });
    await screen.findByText('hello.1');
    const url = new URL(String(fetchMock.mock.calls[0]?.[0]), 'http://x');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      group: 'active',
      q: 'hel',
      sort: 'name',
      order: 'asc',
      offset: '50',
      limit: '50',
    });
    expect(screen.getByRole('columnheader', { name: /Task Name/ }).getAttribute('aria-sort')).toBe(
      'ascending',
    );
    expect(screen.getByRole('navigation', { name: 'Active Tasks pages' })).toBeTruthy();
  });

  it('shows "Agent offline" for a task whose agent is gone, and the sandbox link otherwise', async () => {
    mockTasks([task({}), task({ id: 'lost.2', agentHostname: null })]);
    renderWithRouter(<TasksTable group="active" />);
    const lostRow = (await screen.findByText('lost.2')).closest('tr');
    expect(lostRow && within(lostRow).getByText('Agent offline')).toBeTruthy();
    const link = screen.getByRole('link', { name: 'Sandbox' });
    expect(link.getAttribute('href')).toBe(
      '/agents/agent-S0/frameworks/fw-0001/executors/hello.1/tasks/hello.1/browse',
    );
  });

  it('says so when there are no tasks', async () => {
    mockTasks([]);
    renderWithRouter(<TasksTable group="active" />);
    expect(await screen.findByText('No active tasks.')).toBeTruthy();
  });

  it('is not asked again while it is off screen, and at once when it comes back', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const fetchMock = mockTasks([task({})]);
    const asked = () => fetchMock.mock.calls.filter(([url]) => String(url).startsWith('/api/tasks')).length;
    const setOnScreen = observeScreen();
    renderWithRouter(<TasksTable group="completed" />);
    await act(() => vi.advanceTimersByTimeAsync(100));
    expect(asked()).toBe(1);
    await untilAsked(asked, 2);
    expect(asked()).toBe(2);

    await setOnScreen(false);
    await act(() => vi.advanceTimersByTimeAsync(30_000));
    expect(asked()).toBe(2);
    // Its last page stays.
    expect(screen.getByText('hello.1')).toBeTruthy();

    await setOnScreen(true);
    await act(() => vi.advanceTimersByTimeAsync(100));
    expect(asked()).toBe(3);
    await untilAsked(asked, 4);
    expect(asked()).toBe(4);
  });
});
