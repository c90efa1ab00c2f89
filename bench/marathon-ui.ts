/**
 * `npm run bench -- marathon-ui [--smoke]`: the Apps page's data at 1,000 Marathon apps in 100 groups (3 tasks
 * each, health checks, some deploying and suspended), from a fixture Marathon, through a real BFF listening on
 * a port, as a browser polls it.
 *
 * - read: one read of Marathon by the BFF (`/v2/apps` with its embeds, `/v2/groups`, `/v2/deployments`,
 *   `/v2/queue`), parsed; after an app changed, so nothing is reused.
 * - serve: the first `GET /api/marathon/apps` after that read (the tree built, sent compressed).
 * - tree: what the page does with it (the rows filtered and sorted into tree order), in this process.
 * - change → data: a change in Marathon until the page's next poll has it (read + serve + tree).
 * Bytes per poll: the answer as the browser receives it (br), after a change; and an unchanged poll (304).
 * Goals: change → data under 1 s, bytes per changed poll under 100 kB.
 */
import { request } from 'undici';
import { MarathonClient } from '../src/bff/marathon/marathon-client';
import { Marathons } from '../src/bff/marathon/marathons';
import type { MarathonAppsView } from '../src/bff/schemas/marathon';
import { buildTestBff } from '../src/bff/test-support';
import { FIXTURE_SETS, startFixtureCluster } from '../src/bff/testing/fixture-cluster';
import { startFixtureMarathon } from '../src/bff/testing/fixture-marathon';
import { visibleTree } from '../src/ui/features/marathon/utils/apps-tree';
import type { Bench, BenchResult } from './bench-table';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function max(values: number[]): number {
  return Math.max(...values);
}

export const marathonUiBench: Bench = {
  name: 'marathon-ui',
  description: "the Apps page's data at 1,000 Marathon apps in 100 groups: time and bytes per poll",
  async run({ smoke }): Promise<BenchResult> {
    const apps = smoke ? 100 : 1_000;
    const groups = smoke ? 10 : 100;
    const runs = smoke ? 3 : 15;
    const cluster = await startFixtureCluster(FIXTURE_SETS.find((set) => set.name === 'v0.27.1-capgemini')!);
    const marathon = await startFixtureMarathon({ generate: { apps, groups }, events: false });
    const client = new MarathonClient({ timeoutMs: 10_000, maxBodyBytes: 512 * 1024 * 1024 });
    const marathons = new Marathons({ client, configured: [marathon.url], source: { events: false } });
    const bff = await buildTestBff([cluster.masterUrl], 5_000, {}, { marathons });
    try {
      await bff.poller.pollOnce();
      const address = await bff.app.listen({ port: 0, host: '127.0.0.1' });
      const source = marathons.get()!;
      await source.pollOnce();

      const get = async (etag?: string) => {
        const response = await request(`${address}/api/marathon/apps`, {
          headers: { 'accept-encoding': 'br, gzip', ...(etag ? { 'if-none-match': etag } : {}) },
        });
        const compressed = Buffer.from(await response.body.arrayBuffer());
        return {
          status: response.statusCode,
          etag: String(response.headers['etag'] ?? ''),
          bytes: compressed.length,
        };
      };
      const plain = async () => {
        const response = await request(`${address}/api/marathon/apps`);
        const text = await response.body.text();
        return { text, view: JSON.parse(text) as MarathonAppsView };
      };

      const read: number[] = [];
      const serve: number[] = [];
      const tree: number[] = [];
      const total: number[] = [];
      const bytes: number[] = [];
      let unchangedStatus = 0;
      let unchangedBytes = 0;
      let rawBytes = 0;
      let rows = 0;
      for (let run = 0; run < runs; run += 1) {
        marathon.update((state) => {
          const app = state.apps[run % state.apps.length];
          app.instances = app.instances === 3 ? 4 : 3;
        });
        const start = performance.now();
        await source.pollOnce();
        const readDone = performance.now();
        const answer = await get();
        const served = performance.now();
        // The browser's part, on the uncompressed body (parsing it and ordering the tree).
        const { text, view } = await plain();
        const treeStart = performance.now();
        JSON.parse(text);
        rows = visibleTree(view.rows, { q: '', status: null, sort: 'id', order: 'asc' }).length;
        const treeDone = performance.now();
        read.push(readDone - start);
        serve.push(served - readDone);
        tree.push(treeDone - treeStart);
        total.push(readDone - start + (served - readDone) + (treeDone - treeStart));
        bytes.push(answer.bytes);
        rawBytes = Buffer.byteLength(text);
        const again = await get(answer.etag);
        unchangedStatus = again.status;
        unchangedBytes = again.bytes;
      }
      const kB = (n: number) => Math.round(n / 102.4) / 10;
      return {
        title: `Apps page data: ${apps.toLocaleString('en')} apps in ${groups} groups, ${apps * 3} tasks (${runs} runs)`,
        rows: [
          { step: 'read Marathon (4 calls, parsed)', 'median ms': median(read), 'max ms': max(read) },
          { step: 'serve /api/marathon/apps (br)', 'median ms': median(serve), 'max ms': max(serve) },
          { step: 'parse + tree order in the page', 'median ms': median(tree), 'max ms': max(tree) },
          { step: 'change → data (goal < 1000 ms)', 'median ms': median(total), 'max ms': max(total) },
          {
            step: 'bytes per changed poll, br (goal < 100 kB)',
            'median ms': `${kB(median(bytes))} kB`,
            'max ms': `${kB(max(bytes))} kB`,
          },
          { step: 'bytes uncompressed', 'median ms': `${kB(rawBytes)} kB`, 'max ms': '' },
          {
            step: `unchanged poll (HTTP ${unchangedStatus})`,
            'median ms': `${unchangedBytes} bytes`,
            'max ms': '',
          },
        ],
        notes: [
          `${rows.toLocaleString('en')} rows (groups and apps) on the page`,
          'the read includes the fixture Marathon writing 1,000 apps with their tasks on the same 2 cores',
          'generated ids and commands repeat, so br compresses them better than real apps; uncompressed is the upper bound',
        ],
      };
    } finally {
      marathons.stop();
      await bff.close();
      await client.close();
      await marathon.close();
      await cluster.close();
    }
  },
};
