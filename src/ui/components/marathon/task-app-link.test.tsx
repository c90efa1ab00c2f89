import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithRouter } from '../../testing/test-utils';
import { MarathonAppField, MarathonTaskAppLink } from './task-app-link';

function status(marathons: Array<{ key: string; frameworkId: string | null }>) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(JSON.stringify({ marathons }), { status: 200 })),
  );
}

afterEach(() => vi.unstubAllGlobals());

const TASK = { id: 'prod_web.instance-564bd685-4c30-11e5-98c1-be5b2935a987._app.1', frameworkId: 'fw-m' };

describe('MarathonTaskAppLink', () => {
  it("links a Marathon task to its app's page", async () => {
    status([{ key: 'm:8080', frameworkId: 'fw-m' }]);
    renderWithRouter(
      <dl>
        <MarathonAppField task={TASK} />
      </dl>,
    );
    const link = await screen.findByRole('link', { name: '/prod/web' });
    expect(link.getAttribute('href')).toBe('/marathon/apps/prod/web');
  });

  it('names the Marathon when there are several, and links nothing for other frameworks', async () => {
    status([
      { key: 'm:8080', frameworkId: 'fw-m' },
      { key: 'other:8080', frameworkId: 'fw-other' },
    ]);
    renderWithRouter(
      <>
        <MarathonTaskAppLink task={{ ...TASK, frameworkId: 'fw-other' }} label="app" />
        <MarathonTaskAppLink task={{ ...TASK, frameworkId: 'fw-chronos' }} label="not an app" />
      </>,
    );
    const link = await screen.findByRole('link', { name: 'app' });
    expect(link.getAttribute('href')).toBe('/marathon/apps/prod/web?marathon=other%3A8080');
    expect(screen.queryByRole('link', { name: 'not an app' })).toBeNull();
  });
});
