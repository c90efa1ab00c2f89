import { readFileSync } from 'node:fs';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCertificates } from '../../cluster/ha/test-certificates';
import type { TestCertificates } from '../../cluster/ha/test-certificates';
import { parseCredentials } from './credentials';
import { json, startFakeUpstream } from './fake-upstream';
import type { FakeUpstream } from './fake-upstream';
import { MesosClient } from './mesos-client';
import { UpstreamError } from './upstream-error';

async function failure(call: Promise<unknown>): Promise<UpstreamError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof UpstreamError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('MesosClient over plain HTTP', () => {
  let fake: FakeUpstream;
  beforeAll(async () => {
    fake = await startFakeUpstream(json({}));
  });
  afterAll(() => fake?.close());

  it('gives up on a master that takes 5 s within its timeout, and says so', async () => {
    fake.answer((_req, res) => setTimeout(() => res.end('{}'), 5_000).unref());
    const client = new MesosClient({ timeoutMs: 500 });
    const started = Date.now();
    const error = await failure(client.getJson(fake.url, '/master/state'));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error.kind).toBe('timeout');
    expect(error.message).toMatch(/did not answer within 500 ms/);
    await client.close();
  });

  it('names malformed JSON and HTTP 500 as such', async () => {
    const client = new MesosClient({ timeoutMs: 1_000 });
    fake.answer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"slaves": ['),
    );
    expect(await failure(client.getJson(fake.url, '/master/state'))).toMatchObject({ kind: 'malformed' });
    fake.answer((_req, res) => res.writeHead(500).end('Internal Server Error'));
    expect(await failure(client.getJson(fake.url, '/master/state'))).toMatchObject({
      kind: 'http',
      status: 500,
    });
    await client.close();
  });

  it('sends the credentials on every request, also through its dispatcher (the passthrough)', async () => {
    fake.answer(json({ ok: true }));
    const client = new MesosClient({ timeoutMs: 1_000, credentials: parseCredentials('ops:s3cret', 'test') });
    const expected = `Basic ${Buffer.from('ops:s3cret').toString('base64')}`;
    await client.getJson(fake.url, '/master/state');
    await (await request(`${fake.url}/files/read?path=x`, { dispatcher: client.dispatcher })).body.dump();
    await (
      await request(`${fake.url}/slave(1)/state`, {
        dispatcher: client.dispatcher,
        headers: [
          ['authorization', 'Basic forged'],
          ['accept', 'application/json'],
        ],
      })
    ).body.dump();
    expect(fake.requests.slice(-3).map((r) => r.headers.authorization)).toEqual([
      expected,
      expected,
      expected,
    ]);
    await client.close();
  });

  it('explains 401 and 403 without ever showing the secret', async () => {
    fake.answer((_req, res) => res.writeHead(401, { 'www-authenticate': 'Basic realm="mesos"' }).end());
    const withCredentials = new MesosClient({
      timeoutMs: 1_000,
      credentials: parseCredentials('ops:hunter2', 't'),
    });
    const refused = await failure(withCredentials.getJson(fake.url, '/master/state'));
    expect(refused).toMatchObject({ kind: 'unauthorized', status: 401 });
    expect(refused.message).toBe("Mesos refused mesoscope's credentials (HTTP 401)");
    const anonymous = new MesosClient({ timeoutMs: 1_000 });
    expect((await failure(anonymous.getJson(fake.url, '/master/state'))).message).toMatch(
      /requires authentication \(HTTP 401\).*--credentials-file or MESOS_CREDENTIALS/,
    );
    fake.answer((_req, res) => res.writeHead(403).end());
    const forbidden = await failure(withCredentials.getJson(fake.url, '/master/state'));
    expect(forbidden.message).toMatch(/principal 'ops'.*HTTP 403/);
    for (const error of [refused, forbidden])
      expect(JSON.stringify(error) + error.message).not.toContain('hunter2');
    await withCredentials.close();
    await anonymous.close();
  });
});

describe('MesosClient over TLS', () => {
  let certs: TestCertificates;
  let server: FakeUpstream;
  let mutual: FakeUpstream;

  beforeAll(async () => {
    certs = createTestCertificates();
    server = await startFakeUpstream(json({ ok: true }), { key: certs.serverKey, cert: certs.serverCert });
    mutual = await startFakeUpstream(json({ ok: true }), {
      key: certs.serverKey,
      cert: certs.serverCert,
      ca: certs.ca,
      requestCert: true,
    });
  });
  afterAll(async () => {
    await server?.close();
    await mutual?.close();
    certs?.remove();
  });

  it('trusts a server signed by the CA it was given, and explains what to do otherwise', async () => {
    const trusting = new MesosClient({ timeoutMs: 2_000, tls: { ca: certs.ca } });
    expect(await trusting.getJson(server.url, '/master/state')).toEqual({ ok: true });

    const untrusting = new MesosClient({ timeoutMs: 2_000 });
    const unknownCa = await failure(untrusting.getJson(server.url, '/master/state'));
    expect(unknownCa.kind).toBe('tls');
    expect(unknownCa.message).toMatch(/certificate is not trusted.*--ca-file/);

    const wrongCa = new MesosClient({
      timeoutMs: 2_000,
      tls: { ca: readFileSync(certs.otherCaFile, 'utf8') },
    });
    expect((await failure(wrongCa.getJson(server.url, '/master/state'))).kind).toBe('tls');

    // A certificate for 127.0.0.1 and localhost only.
    const byOtherName = await failure(trusting.getJson(server.url.replace('127.0.0.1', '127.0.0.2'), '/x'));
    expect(byOtherName.kind === 'tls' || byOtherName.kind === 'unreachable').toBe(true);
    await Promise.all([trusting.close(), untrusting.close(), wrongCa.close()]);
  });

  it('presents a client certificate where the master asks for one', async () => {
    const withCert = new MesosClient({
      timeoutMs: 2_000,
      tls: {
        ca: certs.ca,
        cert: readFileSync(certs.clientCertFile, 'utf8'),
        key: readFileSync(certs.clientKeyFile, 'utf8'),
      },
    });
    expect(await withCert.getJson(mutual.url, '/master/state')).toEqual({ ok: true });
    const without = new MesosClient({ timeoutMs: 2_000, tls: { ca: certs.ca } });
    const refused = await failure(without.getJson(mutual.url, '/master/state'));
    expect(refused.message).toMatch(/client certificate.*--cert-file/);
    await Promise.all([withCert.close(), without.close()]);
  });

  it('talks https to agents known only by host:port when the masters are https', async () => {
    const client = new MesosClient({ timeoutMs: 2_000, tls: { ca: certs.ca }, httpsEverywhere: true });
    const agentAsMasterStateNamesIt = server.url.replace('https://', 'http://');
    expect(await client.getJson(agentAsMasterStateNamesIt, '/slave(1)/state')).toEqual({ ok: true });
    await client.close();
  });
});
