import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { StatusView } from '../../../../bff/schemas/views';
import { renderWithRouter } from '../../../testing/test-utils';
import { ConnectionBanner } from './connection-banner';
import { StatusNotices } from './status-notices';

const status = (patch: Partial<StatusView> = {}): StatusView => ({
  mode: 'remote',
  masters: ['zk://zk1:2181/mesos'],
  leader: { url: 'http://m2:5050', hostname: 'm2', port: 5050, id: 'b' },
  leaderChangedAt: null,
  previousLeader: null,
  discovery: { mode: 'zookeeper', degraded: null },
  connected: true,
  lastSuccessAt: Date.now(),
  lastAttemptAt: Date.now(),
  lastError: null,
  lastErrorKind: null,
  pollIntervalMs: 2_000,
  version: 'test',
  ...patch,
});

describe('StatusNotices', () => {
  it('says nothing while the leader has not changed and discovery works', () => {
    renderWithRouter(<StatusNotices status={status()} />);
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('says which master leads now, since when, and which one did before', () => {
    renderWithRouter(
      <StatusNotices
        status={status({
          leaderChangedAt: Date.now() - 180_000,
          previousLeader: { hostname: 'm1', port: 5050 },
        })}
      />,
    );
    expect(screen.getByTestId('leader-change').textContent).toBe(
      'Leader changed to m2:5050 3 minutes ago (was m1:5050).',
    );
  });

  it('forgets an old leader change', () => {
    renderWithRouter(<StatusNotices status={status({ leaderChangedAt: Date.now() - 3_600_000 })} />);
    expect(screen.queryByTestId('leader-change')).toBeNull();
  });

  it('says discovery is degraded while ZooKeeper is down', () => {
    const message =
      'ZooKeeper zk://zk1:2181/mesos cannot be reached; mesoscope keeps using the last known leader';
    renderWithRouter(
      <StatusNotices
        status={status({ discovery: { mode: 'zookeeper', degraded: { since: Date.now(), message } } })}
      />,
    );
    expect(screen.getByTestId('discovery-degraded').textContent).toBe(
      `Discovery degraded: ${message}, since just now.`,
    );
  });
});

describe('ConnectionBanner for refused credentials', () => {
  it('shows the 401 message, what to check, and since when the data is stale', () => {
    const lastSuccessAt = new Date(2026, 0, 2, 14, 3, 5).getTime();
    renderWithRouter(
      <ConnectionBanner
        problem={{
          kind: 'unauthorized',
          lastError: "Mesos refused mesoscope's credentials (HTTP 401)",
          lastSuccessAt,
        }}
      />,
    );
    const text = screen.getByRole('alert').textContent ?? '';
    expect(text).toContain("Mesos refused mesoscope's credentials (HTTP 401). Check the credentials");
    expect(text).toContain('--credentials-file or MESOS_CREDENTIALS');
    expect(text).toMatch(/Data stale since (2026-01-02 )?14:03:05 \(last refreshed/);
    expect(text).not.toContain('Cannot reach');
  });
});
