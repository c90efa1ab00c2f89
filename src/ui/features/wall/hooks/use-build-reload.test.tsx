import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestQueryClient } from '../../../testing/test-utils';
import { useStatus } from '../../status/api/get-status';
import { fakeServer, statusView } from '../testing-data';
import { useBuildReload } from './use-build-reload';

function Probe({ reload }: { reload: () => void }) {
  useBuildReload(true, reload);
  return <span data-testid="build">{useStatus().data?.buildId ?? 'none'}</span>;
}

describe('useBuildReload', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('reloads once the server serves another build than the one the page started with', async () => {
    let buildId = 'build-a';
    const server = fakeServer({ '/api/status': () => statusView({ buildId }) });
    vi.stubGlobal('fetch', vi.fn(server.fetchImpl));
    const client = createTestQueryClient();
    const reload = vi.fn();
    render(
      <QueryClientProvider client={client}>
        <Probe reload={reload} />
      </QueryClientProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('build').textContent).toBe('build-a'));
    await client.refetchQueries();
    expect(reload).not.toHaveBeenCalled();

    buildId = 'build-b';
    await client.refetchQueries();
    await waitFor(() => expect(screen.getByTestId('build').textContent).toBe('build-b'));
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('does not reload when the server has no build to report', async () => {
    const server = fakeServer({ '/api/status': () => statusView({ buildId: null }) });
    vi.stubGlobal('fetch', vi.fn(server.fetchImpl));
    const client = createTestQueryClient();
    const reload = vi.fn();
    render(
      <QueryClientProvider client={client}>
        <Probe reload={reload} />
      </QueryClientProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('build').textContent).toBe('none'));
    await waitFor(() => expect(server.state.requests.length).toBeGreaterThan(0));
    await client.refetchQueries();
    expect(reload).not.toHaveBeenCalled();
  });
});
