import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithRouter } from '../../../testing/test-utils';
import { ConnectionBanner } from './connection-banner';

describe('ConnectionBanner', () => {
  it('renders nothing without a problem', () => {
    renderWithRouter(<ConnectionBanner problem={null} />);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('explains that the leading master cannot be reached', () => {
    renderWithRouter(
      <ConnectionBanner
        problem={{ kind: 'master-unreachable', lastError: 'connect ECONNREFUSED', lastSuccessAt: Date.now() }}
      />,
    );
    expect(screen.getByRole('alert').textContent).toMatch(
      /^StaleCannot reach the leading master: connect ECONNREFUSED\. Data stale since \d\d:\d\d:\d\d \(last refreshed just now\)\.$/,
    );
  });

  it('explains that the mesoscope server cannot be reached', () => {
    renderWithRouter(<ConnectionBanner problem={{ kind: 'server-unreachable', dataFrom: null }} />);
    expect(screen.getByRole('alert').textContent).toContain('mesoscope server unreachable, retrying…');
  });
});
