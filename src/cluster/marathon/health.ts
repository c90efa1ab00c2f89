/** HTTP and TCP health probes, run by the service as Marathon runs its own (non-MESOS_) checks. */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';

/** Undefined when healthy, else why not. */
export function probe(
  protocol: string,
  host: string,
  port: number,
  path: string,
  timeoutMs: number,
  ignoreHttp1xx: boolean,
): Promise<string | undefined> {
  if (protocol.endsWith('TCP')) return probeTcp(host, port, timeoutMs);
  const https = protocol.endsWith('HTTPS');
  return new Promise((resolve) => {
    const send = https ? httpsRequest : httpRequest;
    const req = send(
      { host, port, path, method: 'GET', timeout: timeoutMs, rejectUnauthorized: false },
      (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        if ((status >= 200 && status < 400) || (ignoreHttp1xx && status >= 100 && status < 200))
          resolve(undefined);
        else resolve(`Got status ${status}`);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on('error', (error) => resolve(error.message));
    req.end();
  });
}

function probeTcp(host: string, port: number, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(`timed out after ${timeoutMs} ms`);
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      resolve(error.message);
    });
  });
}
