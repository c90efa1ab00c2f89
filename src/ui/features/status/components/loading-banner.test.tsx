import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithRouter } from '../../../testing/test-utils';
import { LoadingBanner } from './loading-banner';

describe('LoadingBanner', () => {
  it('says nothing once the whole state is in', () => {
    renderWithRouter(<LoadingBanner loading={null} />);
    expect(screen.queryByTestId('loading-banner')).toBeNull();
  });

  it('says how many tasks of how many have been read, and how much of the state', () => {
    renderWithRouter(
      <LoadingBanner
        loading={{
          tasksRead: 41_200,
          tasksExpected: 100_000,
          bytesRead: 120 * 2 ** 20,
          bytes: 288 * 2 ** 20,
        }}
      />,
    );
    expect(screen.getByTestId('loading-banner').textContent).toBe(
      'LoadingReading the cluster: 41,200 of ~100,000 tasks (120 MB of 288 MB). Agents and frameworks are ' +
        'shown; tasks appear when the whole state is in.',
    );
    expect(screen.getByRole('progressbar', { name: 'Cluster state read' })).toHaveProperty(
      'value',
      120 / 288,
    );
  });

  it('says the master is still preparing its state before any of it has arrived', () => {
    renderWithRouter(
      <LoadingBanner loading={{ tasksRead: 0, tasksExpected: null, bytesRead: 0, bytes: null }} />,
    );
    expect(screen.getByTestId('loading-banner').textContent).toContain(
      'Reading the cluster: 0 tasks (the master is preparing its state).',
    );
    expect(screen.queryByRole('progressbar')).toBeNull();
  });
});
