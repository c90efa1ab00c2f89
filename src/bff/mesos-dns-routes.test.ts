import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster } from '../cluster';
import type { LocalCluster } from '../cluster';
import type { TaskDnsView, TaskPage } from './schemas/views';
import type { TestBff } from './test-support';
import { buildTestBff } from './test-support';
import { MesosDnsClient, parseMesosDnsUrl } from './upstream/mesos-dns-client';

describe("a task's Mesos-DNS names on the task page", () => {
  let cluster: LocalCluster;
  let withDns: TestBff;
  let withoutDns: TestBff;
  let liar: ReturnType<typeof createServer>;
  let withLiar: TestBff;

  beforeAll(async () => {
    cluster = await startCluster({ agents: 2, mesosDns: { refreshMs: 300 } });
    withDns = await buildTestBff(
      [cluster.masterUrl],
      2000,
      {},
      {
        mesosDns: new MesosDnsClient(cluster.mesosDns!.httpUrl),
      },
    );
    withoutDns = await buildTestBff([cluster.masterUrl]);
    // A server that answers the Mesos-DNS paths with something else entirely.
    liar = createServer((_req, res) => res.end(JSON.stringify({ hosts: 'everything resolves' })));
    await new Promise<void>((resolve) => liar.listen(0, '127.0.0.1', resolve));
    withLiar = await buildTestBff(
      [cluster.masterUrl],
      2000,
      {},
      {
        mesosDns: new MesosDnsClient(`http://127.0.0.1:${(liar.address() as AddressInfo).port}`),
      },
    );
  }, 60_000);
  afterAll(async () => {
    await Promise.all([withDns?.close(), withoutDns?.close(), withLiar?.close()]);
    liar?.close();
    await cluster?.close();
  });

  const runningWeb = async (bff: TestBff) => {
    for (let i = 0; i < 80; i++) {
      await bff.poller.pollOnce();
      const page = (await bff.app.inject({ url: '/api/tasks?group=all&limit=500' })).json<TaskPage>();
      const web = page.rows.find((row) => row.name === 'web' && row.state === 'TASK_RUNNING');
      if (web) return web;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error('the demo web task never ran');
  };

  it('says whether each name resolves now, asking the configured Mesos-DNS', async () => {
    const web = await runningWeb(withDns);
    await cluster.mesosDns!.refresh();
    const view = (
      await withDns.app.inject({ url: `/api/tasks/${web.frameworkId}/${encodeURIComponent(web.id)}/dns` })
    ).json<TaskDnsView>();
    if (!view.configured) throw new Error('expected a configured Mesos-DNS');
    expect(view.error).toBeNull();
    expect(view.server).toBe(cluster.mesosDns!.httpUrl);
    const byName = new Map(view.names.map((entry) => [entry.name, entry]));
    expect(byName.get('web.marathon.mesos')?.answers.length).toBeGreaterThan(0);
    expect(byName.get('web.marathon.slave.mesos')?.answers).toEqual(['127.0.0.1']);
    const named = byName.get('_http._web._tcp.marathon.mesos');
    expect(named?.type).toBe('SRV');
    expect(named?.answers[0]).toMatch(/^web-[a-z0-9]{5}-s\d\.marathon\.mesos\.:\d+$/);
    // The canonical names the server lists for this task are there too, and resolve.
    const canonical = view.names.find((entry) => /^web-[a-z0-9]{5}-s\d\.marathon\.mesos$/.test(entry.name));
    expect(canonical?.answers.length).toBeGreaterThan(0);
  });

  it('says no Mesos-DNS is configured when none is', async () => {
    const web = await runningWeb(withoutDns);
    const response = await withoutDns.app.inject({
      url: `/api/tasks/${web.frameworkId}/${encodeURIComponent(web.id)}/dns`,
    });
    expect(response.json()).toEqual({ configured: false });
    expect((await withoutDns.app.inject({ url: `/api/tasks/${web.frameworkId}/nope/dns` })).statusCode).toBe(
      404,
    );
  });

  it('trusts no answer of the wrong shape: the names are listed as not resolving, with the reason', async () => {
    const web = await runningWeb(withLiar);
    const view = (
      await withLiar.app.inject({ url: `/api/tasks/${web.frameworkId}/${encodeURIComponent(web.id)}/dns` })
    ).json<TaskDnsView>();
    if (!view.configured) throw new Error('expected a configured Mesos-DNS');
    expect(view.error).toMatch(/is not what Mesos-DNS sends/);
    expect(view.names.length).toBeGreaterThan(0);
    expect(view.names.every((entry) => entry.answers.length === 0)).toBe(true);
  });

  it('accepts only an http(s) origin as --mesos-dns', () => {
    expect(parseMesosDnsUrl('http://127.0.0.1:8123')).toBe('http://127.0.0.1:8123');
    expect(() => parseMesosDnsUrl('file:///etc/passwd')).toThrow(/http:\/\/ or https:\/\//);
    expect(() => parseMesosDnsUrl('http://user:pw@dns:8123')).toThrow(/just a scheme, host and port/);
    expect(() => parseMesosDnsUrl('not a url')).toThrow(/is not a URL/);
  });
});
