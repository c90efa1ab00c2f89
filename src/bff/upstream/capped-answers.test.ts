/** Chronos and Mesos-DNS answers are read whole only up to a bound: a bigger one is refused, not held. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readChronosJobs } from './chronos-client';
import { startFakeUpstream } from './fake-upstream';
import type { FakeUpstream } from './fake-upstream';
import { MesosDnsClient } from './mesos-dns-client';

const MiB = 1024 * 1024;
let upstream: FakeUpstream;
beforeAll(async () => {
  upstream = await startFakeUpstream((_req, res) => res.end('[]'));
});
afterAll(() => upstream.close());

/** Answers `[` then `bytes` of spaces then `]`, with or without announcing its length. */
function answerJsonOf(bytes: number, announced: boolean): void {
  upstream.answer((_req, res) => {
    res.writeHead(200, {
      'content-type': 'application/json',
      ...(announced ? { 'content-length': String(bytes + 2) } : {}),
    });
    res.write('[');
    for (let sent = 0; sent < bytes; sent += MiB) res.write(' '.repeat(Math.min(MiB, bytes - sent)));
    res.end(']');
  });
}

describe('an answer bigger than its bound', () => {
  it.each([true, false])('from Chronos is refused (length announced: %s)', async (announced) => {
    answerJsonOf(3 * MiB, announced);
    expect(await readChronosJobs(upstream.url)).toEqual([]);
    answerJsonOf(5 * MiB, announced);
    await expect(readChronosJobs(upstream.url)).rejects.toThrow(
      `${upstream.url}/v1/scheduler/jobs is larger than ${4 * MiB} bytes`,
    );
  });

  it.each([true, false])('from Mesos-DNS is refused (length announced: %s)', async (announced) => {
    const dns = new MesosDnsClient(upstream.url);
    answerJsonOf(7 * MiB, announced);
    expect(await dns.hosts('web.marathon.mesos')).toEqual([]);
    answerJsonOf(9 * MiB, announced);
    await expect(dns.hosts('web.marathon.mesos')).rejects.toThrow(
      `Mesos-DNS's answer to /v1/hosts/web.marathon.mesos is larger than ${8 * MiB} bytes`,
    );
  });
});
