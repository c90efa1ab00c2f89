/**
 * View ETags name a view's content, not the snapshot it was read from: polling a master whose state did not
 * change answers 304 to a browser that holds the view, however many polls passed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBff } from './test-support';
import { buildTestBff } from './test-support';
import { FIXTURE_SETS, startFixtureCluster } from './testing/fixture-cluster';
import type { FixtureCluster } from './testing/fixture-cluster';

describe('view ETags over an unchanged master', () => {
  let cluster: FixtureCluster;
  let bff: TestBff;

  beforeAll(async () => {
    cluster = await startFixtureCluster(FIXTURE_SETS.find((set) => set.name === 'v0.22.0-datadog')!);
    bff = await buildTestBff([cluster.masterUrl]);
    await bff.poller.pollOnce();
  });
  afterAll(async () => {
    await bff?.close();
    await cluster?.close();
  });

  /** A new snapshot of the same state, read at a later time. */
  async function pollAgain(): Promise<void> {
    const before = bff.poller.snapshot!;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await bff.poller.pollOnce();
    expect(bff.poller.snapshot!.version).toBeGreaterThan(before.version);
    expect(bff.poller.snapshot!.fetchedAt).toBeGreaterThan(before.fetchedAt);
  }

  it.each(['/api/overview', '/api/tasks?group=active&limit=50', '/api/agents', '/api/frameworks'])(
    '%s: two snapshots with the same content give the same ETag and a 304',
    async (url) => {
      const first = await bff.app.inject({ url });
      expect(first.statusCode).toBe(200);
      const etag = String(first.headers['etag']);
      const { snapshotAt: firstAt, ...firstContent } = first.json<{ snapshotAt: number }>();

      await pollAgain();
      const held = await bff.app.inject({ url, headers: { 'if-none-match': etag } });
      expect(held.statusCode).toBe(304);
      expect(held.body).toBe('');
      expect(held.headers['etag']).toBe(etag);

      // A browser without it gets the same content, read from the newer snapshot, under the same ETag.
      const fresh = await bff.app.inject({ url });
      expect(fresh.statusCode).toBe(200);
      expect(fresh.headers['etag']).toBe(etag);
      const { snapshotAt: freshAt, ...freshContent } = fresh.json<{ snapshotAt: number }>();
      expect(freshAt).toBeGreaterThan(firstAt);
      expect(freshContent).toEqual(firstContent);
    },
  );

  it('gives the wall a new ETag every snapshot: it shows how old its data is', async () => {
    const first = await bff.app.inject({ url: '/api/wall' });
    expect(first.statusCode).toBe(200);
    await pollAgain();
    const again = await bff.app.inject({
      url: '/api/wall',
      headers: { 'if-none-match': String(first.headers['etag']) },
    });
    expect(again.statusCode).toBe(200);
    expect(again.json<{ snapshotAt: number }>().snapshotAt).toBe(bff.poller.snapshot!.fetchedAt);
  });
});
