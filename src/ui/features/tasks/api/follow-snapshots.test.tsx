import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TaskPage } from '../../../../bff/schemas/views';
import { createTestQueryClient } from '../../../testing/test-utils';
import { useStatus } from '../../status/api/get-status';
import { fakeServer, statusView } from '../../wall/testing-data';
import { useRefetchOnNewSnapshot } from './follow-snapshots';
import { getTasksQueryOptions, useTasks } from './get-tasks';
import type { TaskQuery } from './get-tasks';

const QUERY: TaskQuery = {
  group: 'all',
  q: '',
  framework: '',
  agent: '',
  sort: 'start',
  order: 'desc',
  offset: 0,
  limit: 50,
};

function Probe() {
  const status = useStatus();
  const tasks = useTasks(QUERY, { followsSnapshots: true });
  useRefetchOnNewSnapshot(getTasksQueryOptions(QUERY).queryKey);
  return (
    <>
      <span data-testid="version">{status.data?.snapshotVersion ?? 'none'}</span>
      <span data-testid="total">{tasks.data?.total ?? 'none'}</span>
    </>
  );
}

describe('useRefetchOnNewSnapshot', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('asks for the tasks again when the status shows a new snapshot, and only then', async () => {
    let snapshotVersion = 7;
    let total = 1;
    const server = fakeServer({
      '/api/status': () => statusView({ snapshotVersion }),
      '/api/tasks': (): TaskPage => ({ snapshotAt: 0, group: 'all', rows: [], total, offset: 0, limit: 50 }),
    });
    vi.stubGlobal('fetch', vi.fn(server.fetchImpl));
    const client = createTestQueryClient();
    render(
      <QueryClientProvider client={client}>
        <Probe />
      </QueryClientProvider>,
    );
    const taskRequests = () => server.state.requests.filter((path) => path === '/api/tasks').length;
    await waitFor(() => expect(screen.getByTestId('total').textContent).toBe('1'));
    await waitFor(() => expect(screen.getByTestId('version').textContent).toBe('7'));
    expect(taskRequests()).toBe(1);

    // The same snapshot: the status poll does not bring the tasks again.
    total = 2;
    await client.refetchQueries({ queryKey: ['cluster', 'status'] });
    expect(taskRequests()).toBe(1);

    snapshotVersion = 8;
    await client.refetchQueries({ queryKey: ['cluster', 'status'] });
    await waitFor(() => expect(screen.getByTestId('total').textContent).toBe('2'));
    expect(taskRequests()).toBe(2);
  });
});
