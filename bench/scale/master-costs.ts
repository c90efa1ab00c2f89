/**
 * What the simulated master itself costs: one SUBSCRIBED served whole (time and size, read as a stream and
 * counted, never held), and the master process's resident memory meanwhile.
 */
import { request } from 'undici';
import { rssMb } from '../proc-usage';

export interface SubscribedCost {
  /** From the call to the last byte of the SUBSCRIBED record. */
  ms: number;
  bytes: number;
  /** The master's largest RSS seen while it rendered and wrote the record. */
  masterRssMaxMb: number;
}

/** Subscribes once to `masterUrl`'s operator API, reads SUBSCRIBED to its last byte, and hangs up. */
export async function readOneSubscribed(masterUrl: string, masterPid: number): Promise<SubscribedCost> {
  let masterRssMaxMb = rssMb(masterPid);
  const sampler = setInterval(() => {
    masterRssMaxMb = Math.max(masterRssMaxMb, rssMb(masterPid));
  }, 250);
  const started = performance.now();
  try {
    const response = await request(`${masterUrl}/api/v1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ type: 'SUBSCRIBE' }),
      headersTimeout: 600_000,
      bodyTimeout: 600_000,
    });
    if (response.statusCode !== 200) throw new Error(`SUBSCRIBE answered ${response.statusCode}`);
    let head = '';
    let want = -1;
    let read = 0;
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      let body = chunk;
      if (want < 0) {
        head += chunk.toString('latin1');
        const newline = head.indexOf('\n');
        if (newline < 0) continue;
        want = Number(head.slice(0, newline));
        body = Buffer.from(head.slice(newline + 1), 'latin1');
      }
      read += body.length;
      if (read >= want) break;
    }
    response.body.destroy();
    if (want < 0 || read < want) throw new Error(`SUBSCRIBED ended after ${read} of ${want} bytes`);
    return { ms: performance.now() - started, bytes: want, masterRssMaxMb };
  } finally {
    clearInterval(sampler);
  }
}
