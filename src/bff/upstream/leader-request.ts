import type { LeaderDiscovery } from './leader-discovery';
import { redirectHost } from './leader-discovery';
import { isRedirect, origin } from './mesos-client';
import { UpstreamError } from './upstream-error';

/** What one attempt of a request to the leader gave: an answer, or a standby's redirect (its `Location`). */
export type LeaderAnswer<T> = { answer: T } | { redirect: string };

/**
 * The one way a request to the leading master deals with a standby (the poller, the event stream, the
 * operator calls and writes, and the passthrough all go through it). `send(base)` makes the request to `base`
 * and says whether the answer was a redirect (having released its body): a 307's `Location`, or the leader a
 * Mesos 0.2x standby names in its own state. A standby is followed once, and only to a master discovery
 * trusts (see {@link LeaderDiscovery.follow}), which then becomes the leader; anything else is an
 * UpstreamError naming the host, and nothing, credentials included, is sent there.
 */
export async function leaderRequest<T>(
  discovery: LeaderDiscovery,
  base: string,
  send: (base: string) => Promise<LeaderAnswer<T>>,
): Promise<{ base: string; answer: T }> {
  const first = await send(base);
  if ('answer' in first) return { base, answer: first.answer };
  const next = discovery.follow(base, first.redirect);
  const second = await send(next);
  if ('answer' in second) return { base: next, answer: second.answer };
  throw new UpstreamError(
    'redirect',
    `${origin(next)} is not the leader either (it points to ${redirectHost(next, second.redirect)}); mesoscope follows one redirect`,
  );
}

/** `answer`, unless the status is a redirect with a `Location` (the body is then the caller's to release). */
export function answerOrRedirect<T>(status: number, location: unknown, answer: T): LeaderAnswer<T> {
  return isRedirect(status) && typeof location === 'string' ? { redirect: location } : { answer };
}
