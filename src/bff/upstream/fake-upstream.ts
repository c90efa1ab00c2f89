import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** A tiny programmable HTTP(S) server standing in for a misbehaving Mesos in tests. */
export interface FakeUpstream {
  url: string;
  /** What every request so far asked for, with its headers. */
  requests: { path: string; headers: IncomingHttpHeaders }[];
  answer(handler: FakeHandler): void;
  close(): Promise<void>;
}

export type FakeHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Answers JSON with the given status. */
export const json =
  (body: unknown, status = 200): FakeHandler =>
  (_req, res) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

export async function startFakeUpstream(
  handler: FakeHandler,
  tls?: { key: string; cert: string; ca?: string; requestCert?: boolean },
): Promise<FakeUpstream> {
  let current = handler;
  const requests: FakeUpstream['requests'] = [];
  const listener: RequestListener = (req, res) => {
    requests.push({ path: req.url ?? '/', headers: req.headers });
    current(req, res);
  };
  const server = tls
    ? createTlsServer({ ...tls, rejectUnauthorized: Boolean(tls.requestCert) }, listener)
    : createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    answer: (next) => (current = next),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
