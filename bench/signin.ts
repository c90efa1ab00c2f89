/**
 * `npm run bench -- signin [--smoke]`: what password guessing gets an attacker and costs everyone else.
 * mesoscope runs as operators run it (server.ts, its own process, `--htpasswd` with a cost-10 bcrypt entry)
 * over a fake master. 20 guessers, each from its own loopback address (all of 127.0.0.0/8 is this machine),
 * send wrong passwords as fast as they are answered, never waiting for Retry-After, while one signed-in user
 * reads /api/status in a loop. Then 200 requests for a whole 8 MiB line at once, and the process's peak RSS.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { LINE_AGENT_ID, LINE_BYTES, memoryMiB, startLineServer } from '../src/bff/testing/line-server';
import { startBffProcess } from '../src/testing/bff-process';
import type { Bench, BenchResult } from './bench-table';

const GUESSERS = 20;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** One GET on a kept-alive connection of `agent`; resolves with the status once the body is read. */
function get(url: string, authorization: string, agent: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent, headers: { authorization } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', reject);
  });
}

interface Round {
  checked: number;
  throttled: number;
  latencies: number[];
}

/** `count` guessers on `userOf(i)` for `seconds`, and the signed-in user's request times meanwhile. */
async function guessRound(
  base: string,
  seconds: number,
  count: number,
  userOf: (guesser: number) => string,
  signedIn: string,
  firstAddress: number,
): Promise<Round> {
  const until = Date.now() + seconds * 1000;
  const round: Round = { checked: 0, throttled: 0, latencies: [] };
  const guessers = Array.from({ length: count }, async (_, i) => {
    const agent = new http.Agent({
      keepAlive: true,
      maxSockets: 1,
      localAddress: `127.0.${firstAddress}.${i + 1}`,
    });
    let n = 0;
    while (Date.now() < until) {
      const status = await get(`${base}/api/status`, basic(userOf(i), `guess-${i}-${(n += 1)}`), agent);
      if (status === 401) round.checked += 1;
      else if (status === 429) round.throttled += 1;
      else throw new Error(`a wrong password got HTTP ${status}`);
    }
    agent.destroy();
  });
  const user = (async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    while (Date.now() < until) {
      const started = performance.now();
      const status = await get(`${base}/api/status`, signedIn, agent);
      if (status !== 200) throw new Error(`the signed-in user got HTTP ${status}`);
      round.latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    agent.destroy();
  })();
  await Promise.all([...guessers, user]);
  return round;
}

export const signinBench: Bench = {
  name: 'signin',
  description:
    'guesses/second 20 concurrent password guessers get, a signed-in user meanwhile, and peak RSS under a line-text flood',
  async run({ smoke }): Promise<BenchResult> {
    const seconds = smoke ? 5 : 30;
    const flood = smoke ? 20 : 200;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mesoscope-signin-'));
    const htpasswd = path.join(dir, 'users');
    writeFileSync(htpasswd, `admin:${bcrypt.hashSync('the right one', 10)}\n`);
    const fake = await startLineServer();
    const bff = await startBffProcess(
      [
        '--master',
        fake.url,
        '--data-dir',
        path.join(dir, 'data'),
        '--log-level',
        'warn',
        '--htpasswd',
        htpasswd,
      ],
      { cleanEnv: true, waitFor: 'readyz', timeoutMs: 60_000 },
    );
    try {
      const signedIn = basic('admin', 'the right one');
      const alone = await guessRound(bff.baseUrl, seconds, 0, () => 'admin', signedIn, 0);
      const oneUser = await guessRound(bff.baseUrl, seconds, GUESSERS, () => 'admin', signedIn, 10);
      const manyUsers = await guessRound(bff.baseUrl, seconds, GUESSERS, (i) => `user-${i}`, signedIn, 20);

      const before = memoryMiB(bff.child.pid!);
      const started = Date.now();
      const statuses = await Promise.all(
        Array.from({ length: flood }, async () => {
          const response = await fetch(
            `${bff.baseUrl}/api/files/line-text?agent=${LINE_AGENT_ID}&path=/var/log/long.log&offset=0&length=${LINE_BYTES}`,
            { headers: { authorization: signedIn, 'accept-encoding': 'identity' } },
          );
          await response.arrayBuffer();
          return response.status;
        }),
      );
      const floodSeconds = (Date.now() - started) / 1000;
      const peak = memoryMiB(bff.child.pid!).peak;
      const row = (name: string, round: Round) => ({
        attack: name,
        'guesses checked/s': round.checked / seconds,
        'refused (429)/s': round.throttled / seconds,
        'user p50 ms': percentile(round.latencies, 50),
        'user p99 ms': percentile(round.latencies, 99),
        'user requests': round.latencies.length,
      });
      return {
        title: `Sign-in under ${GUESSERS} concurrent guessers (${seconds} s each), and a line-text flood`,
        rows: [
          row('none (the user alone)', alone),
          row(`${GUESSERS} addresses, one user`, oneUser),
          row(`${GUESSERS} addresses, ${GUESSERS} users`, manyUsers),
        ],
        notes: [
          'Guessers never wait for Retry-After; "checked" guesses are the ones bcrypt looked at (401), the rest got 429.',
          `Line-text flood: ${flood} requests for a whole ${LINE_BYTES / 2 ** 20} MiB line at once: ${statuses.filter((s) => s === 200).length} answered 200 in ${floodSeconds.toFixed(0)} s; RSS ${before.rss.toFixed(0)} MiB before, peak (VmHWM) ${peak.toFixed(0)} MiB.`,
        ],
      };
    } finally {
      bff.child.kill('SIGTERM');
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
