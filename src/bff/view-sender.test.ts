import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendView, viewOfContent } from './view-sender';

describe('sendView', () => {
  const app = Fastify();
  let base = '';
  let current: unknown = { tasks: 1 };

  beforeAll(async () => {
    app.get('/view', (request, reply) => sendView(request, reply, viewOfContent(current)));
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => app.close());

  it('answers a bodiless 304 to a browser that holds the ETag, and the new body once the view changes', async () => {
    const first = await fetch(`${base}/view`);
    const etag = first.headers.get('etag') ?? '';
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    expect(await first.json()).toEqual({ tasks: 1 });

    const again = await fetch(`${base}/view`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');

    current = { tasks: 2 };
    const changed = await fetch(`${base}/view`, { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(await changed.json()).toEqual({ tasks: 2 });
  });
});

describe('viewOfContent', () => {
  it('leaves snapshotAt out of the ETag but keeps it in the body', () => {
    const earlier = viewOfContent({ snapshotAt: 1_000, tasks: [1, 2] });
    const later = viewOfContent({ snapshotAt: 2_000, tasks: [1, 2] });
    expect(later.etag).toBe(earlier.etag);
    expect(JSON.parse(later.body)).toEqual({ snapshotAt: 2_000, tasks: [1, 2] });
    expect(viewOfContent({ snapshotAt: 2_000, tasks: [1, 3] }).etag).not.toBe(earlier.etag);
    expect(JSON.parse(viewOfContent({ snapshotAt: 5 }).body)).toEqual({ snapshotAt: 5 });
  });

  it('keeps snapshotAt in the ETag of a view that shows it', () => {
    const earlier = viewOfContent({ snapshotAt: 1_000, tiles: [] }, { timeIsContent: true });
    const later = viewOfContent({ snapshotAt: 2_000, tiles: [] }, { timeIsContent: true });
    expect(later.etag).not.toBe(earlier.etag);
    expect(JSON.parse(later.body)).toEqual({ snapshotAt: 2_000, tiles: [] });
  });
});
