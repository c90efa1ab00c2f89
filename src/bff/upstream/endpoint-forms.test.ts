import { afterEach, describe, expect, it } from 'vitest';
import { EndpointForms } from './endpoint-forms';
import { startFakeUpstream } from './fake-upstream';
import type { FakeUpstream } from './fake-upstream';
import { MesosClient } from './mesos-client';

const started: { close(): Promise<void> | void }[] = [];
afterEach(async () => {
  for (const thing of started.splice(0).reverse()) await thing.close();
});

/** A master that serves `/master/state` in the forms listed (changed by reassigning `served`). */
async function master(served: { forms: string[] }): Promise<FakeUpstream> {
  const fake = await startFakeUpstream((req, res) =>
    served.forms.includes(req.url ?? '') ? res.end('{}') : res.writeHead(404).end(),
  );
  started.push(fake);
  return fake;
}

describe('EndpointForms', () => {
  it('remembers per master which form answered, and notices when that master changes version', async () => {
    const client = new MesosClient({ timeoutMs: 1_000 });
    started.push({ close: () => client.close() });
    const forms = new EndpointForms();
    const v022 = { forms: ['/master/state.json'] };
    const v1 = { forms: ['/master/state'] };
    const [old, current] = [await master(v022), await master(v1)];
    const read = (fake: FakeUpstream) =>
      forms.read(fake.url, '/master/state', (path) => client.getText(fake.url, path));

    for (let i = 0; i < 3; i++) expect((await read(old)).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await read(current)).status).toBe(200);
    expect(old.requests.map((r) => r.path)).toEqual([
      '/master/state',
      '/master/state.json',
      '/master/state.json',
      '/master/state.json',
    ]);
    expect(current.requests.map((r) => r.path)).toEqual(['/master/state', '/master/state']);

    // The old master is upgraded past 1.0 (no .json forms any more): read in the plain form from then on.
    v022.forms = ['/master/state'];
    expect((await read(old)).status).toBe(200);
    expect((await read(old)).status).toBe(200);
    expect(old.requests.slice(4).map((r) => r.path)).toEqual([
      '/master/state.json',
      '/master/state',
      '/master/state',
    ]);

    // Neither form: the 404 of the form asked first is the answer.
    v022.forms = [];
    expect((await read(old)).status).toBe(404);
  });
});
