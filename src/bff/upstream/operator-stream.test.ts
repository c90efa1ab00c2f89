/**
 * The event stream's stall check over a real socket to a master in another process: that master keeps its
 * own clock and goes on sending while mesoscope's thread is held.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import type { OperatorEvent } from '../../mesos';
import { MesosClient } from './mesos-client';
import { OperatorStream } from './operator-stream';
import type { StreamEnd } from './operator-stream';

const HEARTBEAT_SECONDS = 0.1;

/** A master answering SUBSCRIBE with SUBSCRIBED, then a heartbeat every interval, or nothing more. */
const MASTER = `
const http = require('node:http');
const beating = process.argv[1] === 'beating';
const record = (event) => { const json = JSON.stringify(event); return Buffer.byteLength(json) + '\\n' + json; };
const server = http.createServer((req, res) => {
  req.resume();
  res.writeHead(200, { 'content-type': 'application/recordio' });
  res.write(record({ type: 'SUBSCRIBED', subscribed: { get_state: {}, heartbeat_interval_seconds: ${HEARTBEAT_SECONDS} } }));
  if (!beating) return;
  const beat = setInterval(() => res.write(record({ type: 'HEARTBEAT' })), ${HEARTBEAT_SECONDS * 1000});
  res.on('close', () => clearInterval(beat));
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

const masters: ChildProcess[] = [];
afterEach(() => {
  for (const master of masters.splice(0)) master.kill();
});

async function startMaster(mode: 'beating' | 'silent'): Promise<string> {
  const master = spawn(process.execPath, ['-e', MASTER, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  masters.push(master);
  const [line] = (await once(master.stdout!, 'data')) as [Buffer];
  return `http://127.0.0.1:${line.toString().trim()}`;
}

/** Holds this thread (as a publish of a big cluster does) for `ms`. */
function holdThread(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy
  }
}

/** Subscribes; the first event after SUBSCRIBED holds the thread for 8 heartbeat intervals. */
function subscribe(base: string, after: 'SUBSCRIBED' | 'HEARTBEAT') {
  const events: OperatorEvent['type'][] = [];
  let held = false;
  const stream = new OperatorStream({
    client: new MesosClient({ timeoutMs: 2_000 }),
    base,
    heartbeatSeconds: HEARTBEAT_SECONDS,
    onEvent: (event) => {
      events.push(event.type);
      if (event.type === after && !held) {
        held = true;
        holdThread(HEARTBEAT_SECONDS * 8_000);
      }
    },
  });
  let end: StreamEnd | null = null;
  void stream.done.then((e) => (end = e));
  return { stream, events, ended: () => end, isHeld: () => held };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('an event stream whose reader holds the thread longer than two heartbeats', () => {
  it('is not called stalled while the master kept sending', async () => {
    const { stream, events, ended, isHeld } = subscribe(await startMaster('beating'), 'HEARTBEAT');
    while (!isHeld()) await wait(20);
    const beatsAfterHold = events.length;
    // Several more intervals: the heartbeats sent while the thread was held, then new ones.
    await wait(HEARTBEAT_SECONDS * 6_000);
    expect(ended()).toBeNull();
    expect(events.length).toBeGreaterThan(beatsAfterHold + 2);
    expect(stream.heldLoops).toBeGreaterThanOrEqual(1);
    stream.close();
    expect(await stream.done).toEqual({ kind: 'closed' });
  });

  it('is still called stalled when the master sent nothing meanwhile', async () => {
    const { stream, events } = subscribe(await startMaster('silent'), 'SUBSCRIBED');
    const end = await stream.done;
    expect(events).toEqual(['SUBSCRIBED']);
    expect(end.kind).toBe('failed');
    expect(end.kind === 'failed' && end.error.message).toMatch(/stalled: nothing for 2 heartbeat intervals/);
  });
});
