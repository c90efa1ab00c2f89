/**
 * An operator's write (DRAIN_AGENT, TEARDOWN, START_MAINTENANCE...) sent to the leading master's v1 API with
 * mesoscope's Mesos credentials. Unlike the reads in operator-calls.ts, the master's answer is kept whatever
 * its status: an operator needs Mesos's own words when it refuses ("No framework found with specified ID").
 */
import { request } from 'undici';
import type { LeaderAnswer } from './leader-request';
import { answerOrRedirect, leaderRequest } from './leader-request';
import type { LeaderDiscovery } from './leader-discovery';
import type { MesosClient } from './mesos-client';
import { origin } from './mesos-client';
import { UpstreamError, toUpstreamError } from './upstream-error';

/** Longest part of a master's answer kept for the operator and the audit log. */
const MAX_ANSWER_TEXT = 2_000;

interface OperatorWriteAnswer {
  /** The leader the call went to (as configured). */
  master: string;
  status: number;
  /** The answer's text (empty for Mesos's usual `200 OK` with no body), cut to a readable length. */
  text: string;
}

/** POSTs `call` (a v1 `Call` in JSON) to the leader; throws UpstreamError when no master answers. */
export async function sendOperatorWrite(
  client: MesosClient,
  discovery: LeaderDiscovery,
  call: { type: string } & Record<string, unknown>,
): Promise<OperatorWriteAnswer> {
  const send = async (base: string): Promise<LeaderAnswer<{ status: number; text: string }>> => {
    try {
      const response = await request(`${base}/api/v1`, {
        method: 'POST',
        dispatcher: client.dispatcher,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(call),
        // A drain or a machine brought down waits for tasks to be killed before the master answers.
        signal: AbortSignal.timeout(client.options.timeoutMs * 4),
      });
      const redirect = answerOrRedirect(response.statusCode, response.headers['location'], null);
      if ('redirect' in redirect) {
        await response.body.dump();
        return redirect;
      }
      const body = await client.readBody(response, `${origin(base)}/api/v1 ${call.type}`);
      return { answer: { status: response.statusCode, text: answerText(body.toString('utf8')) } };
    } catch (error) {
      if (error instanceof UpstreamError) throw error;
      const name = (error as { name?: string }).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new UpstreamError('timeout', `${origin(base)} did not answer ${call.type} in time`);
      }
      throw toUpstreamError(error, origin(base));
    }
  };
  const namedBefore = discovery.namedByWatch;
  const leader = await discovery.find();
  try {
    const { base, answer } = await leaderRequest(discovery, leader, send);
    return { master: base, ...answer };
  } catch (error) {
    discovery.forget(namedBefore);
    throw error;
  }
}

function answerText(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > MAX_ANSWER_TEXT ? `${trimmed.slice(0, MAX_ANSWER_TEXT)}…` : trimmed;
}
