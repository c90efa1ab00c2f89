import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderWithRouter } from '../../../testing/test-utils';
import { fakeServer, historyView, statusView, wallView } from '../testing-data';
import { WallPage } from './wall-page';

class NoopResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}

describe('WallPage', () => {
  let server: ReturnType<typeof fakeServer>;

  beforeEach(() => {
    vi.stubGlobal('ResizeObserver', NoopResizeObserver);
    server = fakeServer({ '/api/status': statusView, '/api/wall': wallView, '/api/history': historyView });
    vi.stubGlobal('fetch', vi.fn(server.fetchImpl));
  });
  afterEach(() => vi.unstubAllGlobals());

  it('shows every tile with the cluster, and the agents marked by state', async () => {
    renderWithRouter(<WallPage />, { url: '/wall?refresh=1' });
    expect(await screen.findByRole('heading', { name: 'dc1-production' })).toBeTruthy();
    const health = await screen.findByTestId('tile-health');
    await waitFor(() => expect(within(health).getByText('Agents unreachable')).toBeTruthy());
    const cells = screen.getByTestId('agent-grid').querySelectorAll('[data-status]');
    expect([...cells].map((cell) => cell.getAttribute('data-status'))).toEqual([
      'active',
      'unreachable',
      'draining',
    ]);
    expect(screen.getByTestId('tile-frameworks').textContent).toContain('marathon');
    // Text from the cluster is text, never markup.
    expect(screen.getByTestId('tile-failed').textContent).toContain('<script>alert(1)</script>');
    expect(document.querySelector('script')).toBeNull();
    expect(screen.getByTestId('wall-freshness').getAttribute('data-state')).toBe('live');
  });

  it('says every reason the cluster is not healthy, groups repeated failures, and shows no GPUs it has not', async () => {
    renderWithRouter(<WallPage />, { url: '/wall?refresh=1' });
    const reasons = await screen.findByTestId('health-reasons');
    expect(reasons.textContent).toBe('1 agent unreachable · 20 tasks failed in 15 min · 1 agent draining');
    expect(within(screen.getByTestId('tile-failed')).getByTestId('failed-count').textContent).toBe(' ×6');
    await screen.findByTestId('gauge-cpus');
    expect(screen.queryByTestId('gauge-gpus')).toBeNull();
    expect(screen.queryByTestId('tile-gpu')).toBeNull();
    expect(screen.getByTestId('tile-cpu')).toBeTruthy();
  });

  it('keeps every tile and says since when it is stale when the server goes away, then recovers', async () => {
    renderWithRouter(<WallPage />, { url: '/wall?refresh=1' });
    const health = await screen.findByTestId('tile-health');
    await waitFor(() => expect(within(health).getByText('42')).toBeTruthy());

    server.state.down = true;
    const marker = screen.getByTestId('wall-freshness');
    await waitFor(() => expect(marker.getAttribute('data-state')).toBe('stale'), { timeout: 6_000 });
    expect(marker.textContent).toMatch(/Stale since \d\d:\d\d:\d\d/);
    expect(marker.textContent).toContain('mesoscope server unreachable');
    expect(within(health).getByText('42')).toBeTruthy();
    expect(screen.getByTestId('agent-grid').querySelectorAll('[data-status]')).toHaveLength(3);

    server.state.down = false;
    await waitFor(
      () => expect(screen.getByTestId('wall-freshness').getAttribute('data-state')).toBe('live'),
      {
        timeout: 6_000,
      },
    );
  }, 15_000);

  it('names what it ignored in the URL instead of failing', async () => {
    renderWithRouter(<WallPage />, { url: '/wall?theme=neon&tiles=agents,nope' });
    expect(
      await screen.findByText(/URL options ignored: theme=neon is not dark or light; unknown tiles: nope/),
    ).toBeTruthy();
    expect(screen.getByTestId('tile-agents')).toBeTruthy();
    expect(screen.queryByTestId('tile-health')).toBeNull();
  });
});
