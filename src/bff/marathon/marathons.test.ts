import { afterEach, describe, expect, it } from 'vitest';
import type { Framework } from '../../mesos';
import type { ClusterSnapshot } from '../model/cluster-snapshot';
import { startFakeUpstream } from '../upstream/fake-upstream';
import type { FakeUpstream } from '../upstream/fake-upstream';
import { MarathonClient } from './marathon-client';
import { Marathons, webUiBase } from './marathons';

describe('webUiBase', () => {
  const base = (webui_url: string | undefined) => webUiBase({ id: 'fw-1', webui_url });

  it('takes an http(s) URL of a host name or address and port, as Marathon registers its web UI', () => {
    expect(base('http://10.66.1.156:8080')).toBe('http://10.66.1.156:8080');
    expect(base('http://marathon.example.com:8080/')).toBe('http://marathon.example.com:8080');
    expect(base('https://marathon.example.com')).toBe('https://marathon.example.com:443');
    expect(base('http://[::1]:8080')).toBe('http://[::1]:8080');
  });

  it('refuses anything the cluster could use to send mesoscope elsewhere or change what it asks', () => {
    for (const url of [
      undefined,
      '',
      'ftp://10.0.0.1:8080',
      'file:///etc/passwd',
      'http://user:pw@10.0.0.1:8080',
      'http://10.0.0.1:8080/v2/apps',
      'http://10.0.0.1:8080/?x=1',
      'http://10.0.0.1:8080/#frag',
      'http://exa mple:8080',
      'http://0x7f.1:8080',
      'javascript:alert(1)',
      '10.0.0.1:8080',
    ]) {
      expect(base(url), String(url)).toBeNull();
    }
  });
});

describe('finding Marathons among the frameworks', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A framework web UI that is not Marathon, and a cluster of one framework serving it. */
  async function notMarathon(): Promise<{ ui: FakeUpstream; snapshot: ClusterSnapshot }> {
    const ui = await startFakeUpstream((_req, res) => void res.writeHead(404).end());
    const framework = { id: 'fw-1', name: 'spark', active: true, webui_url: ui.url } as unknown as Framework;
    const snapshot = { state: { frameworks: [framework] } } as unknown as ClusterSnapshot;
    cleanups.push(() => ui.close());
    return { ui, snapshot };
  }

  it('asks the web UIs of a big cluster a few at a time', async () => {
    let inFlight = 0;
    let most = 0;
    let asked = 0;
    // Twenty frameworks, each serving a web UI of its own that is slow to say it is not Marathon.
    const uis = await Promise.all(
      Array.from({ length: 20 }, () =>
        startFakeUpstream((_req, res) => {
          inFlight += 1;
          asked += 1;
          most = Math.max(most, inFlight);
          setTimeout(() => {
            inFlight -= 1;
            res.writeHead(404).end();
          }, 20);
        }),
      ),
    );
    for (const ui of uis) cleanups.push(() => ui.close());
    const frameworks = uis.map((ui, i) => ({
      id: `fw-${i}`,
      name: `spark-${i}`,
      active: true,
      webui_url: ui.url,
    }));
    const client = new MarathonClient({ timeoutMs: 2_000, maxBodyBytes: 1 << 20 });
    cleanups.push(() => client.close());
    const marathons = new Marathons({ client, configured: [] });
    await marathons.discover({ state: { frameworks } } as unknown as ClusterSnapshot);
    expect(asked).toBe(20);
    expect(most).toBeLessThanOrEqual(8);
  });

  it('asks a web UI that is not Marathon again less and less often, and again once it is gone and back', async () => {
    const { ui, snapshot } = await notMarathon();
    const client = new MarathonClient({ timeoutMs: 2_000, maxBodyBytes: 1 << 20 });
    cleanups.push(() => client.close());
    let now = 0;
    const marathons = new Marathons({ client, configured: [], retryMs: 1_000, now: () => now });
    const asked = () => ui.requests.filter((request) => request.path === '/v2/info').length;
    const at = async (ms: number) => {
      now = ms;
      await marathons.discover(snapshot);
      return asked();
    };

    expect(await at(0)).toBe(1);
    expect(await at(999)).toBe(1);
    expect(await at(1_000)).toBe(2);
    // Missed twice: 2 s until the next ask, then 4 s.
    expect(await at(2_999)).toBe(2);
    expect(await at(3_000)).toBe(3);
    expect(await at(6_999)).toBe(3);
    expect(await at(7_000)).toBe(4);
    // The wait stops growing at 32 first waits.
    for (let misses = 4; misses < 10; misses++) await at(now + 32_000);
    expect(asked()).toBe(10);
    // A framework that left and came back is asked at once.
    now += 1;
    await marathons.discover({ state: { frameworks: [] } } as unknown as ClusterSnapshot);
    expect(await at(now + 1)).toBe(11);
  });
});
