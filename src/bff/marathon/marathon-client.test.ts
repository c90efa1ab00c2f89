import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MesosCredentials } from '../upstream/credentials';
import { startFakeUpstream } from '../upstream/fake-upstream';
import type { FakeUpstream } from '../upstream/fake-upstream';
import { MarathonClient } from './marathon-client';

describe('the Marathon client', () => {
  let marathon: FakeUpstream;
  const client = new MarathonClient({
    timeoutMs: 2_000,
    credentials: new MesosCredentials('ops', 's3cret'),
    maxBodyBytes: 1_000_000,
  });
  beforeAll(async () => {
    marathon = await startFakeUpstream((_req, res) => res.end('{}'));
  });
  afterAll(async () => {
    await client.close();
    await marathon.close();
  });

  it('sends the credentials to a Marathon the operator named, and never to one the cluster named', async () => {
    await client.getText(marathon.url, '/v2/info', true);
    await client.getText(marathon.url, '/v2/apps', false);
    expect(marathon.requests.map(({ path, headers }) => [path, headers.authorization ?? null])).toEqual([
      ['/v2/info', `Basic ${Buffer.from('ops:s3cret').toString('base64')}`],
      ['/v2/apps', null],
    ]);
  });
});
