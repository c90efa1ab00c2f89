/**
 * Mesos-DNS's HTTP API (mesos-dns `resolver.go`, `configureHTTP`): `/v1/version`, `/v1/config`,
 * `/v1/hosts/{host}`, `/v1/hosts/{host}/ports`, `/v1/services/{service}` and `/v1/enumerate`, with its JSON
 * shapes: a port is a string, and a name with no record answers one empty entry rather than an empty list.
 */
import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { RecordSet } from './records';
import { splitHostPort } from './records';

export interface MesosDnsHttpOptions {
  records(): RecordSet;
  version: string;
  config(): Record<string, unknown>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Lowercased, wildcard-free, with a trailing dot, as mesos-dns cleans a name it is asked for. */
function cleanName(raw: string): string {
  const name = raw.toLowerCase().replace(/\*/g, '');
  return name.endsWith('.') ? name : `${name}.`;
}

export function createMesosDnsHttp(options: MesosDnsHttpOptions): Server {
  return createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, { error: `${req.method ?? ''} is not allowed; the API is read-only` });
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://mesos-dns').pathname);
    } catch {
      send(res, 400, { error: 'the path is not valid percent-encoding' });
      return;
    }
    const records = options.records();
    if (path === '/v1/version') {
      send(res, 200, {
        Service: 'Mesos-DNS',
        URL: 'https://github.com/mesosphere/mesos-dns',
        Version: options.version,
      });
      return;
    }
    if (path === '/v1/config') {
      send(res, 200, options.config());
      return;
    }
    if (path === '/v1/enumerate') {
      send(res, 200, { frameworks: records.frameworks });
      return;
    }
    const ports = /^\/v1\/hosts\/([^/]+)\/ports$/.exec(path);
    if (ports) {
      // Like mesos-dns: the ports of the SRV records whose target is this host.
      const host = cleanName(ports[1]!);
      const found: { host: string; port: string; service: string }[] = [];
      for (const [service, values] of records.srv)
        for (const value of values) {
          const target = splitHostPort(value);
          if (target?.host === host) found.push({ host, port: target.port, service });
        }
      send(res, 200, found);
      return;
    }
    const host = /^\/v1\/hosts\/([^/]+)$/.exec(path);
    if (host) {
      const name = cleanName(host[1]!);
      const found = [...(records.a.get(name) ?? []), ...(records.aaaa.get(name) ?? [])].map((ip) => ({
        host: name,
        ip,
      }));
      send(res, 200, found.length > 0 ? found : [{ host: '', ip: '' }]);
      return;
    }
    const service = /^\/v1\/services\/([^/]+)$/.exec(path);
    if (service) {
      const asked = service[1]!;
      const found: { service: string; host: string; ip: string; port: string }[] = [];
      for (const value of records.srv.get(cleanName(asked)) ?? []) {
        const target = splitHostPort(value);
        if (!target) continue;
        const a = records.a.get(target.host)?.values().next().value;
        if (a) found.push({ service: asked, host: target.host, ip: a, port: target.port });
        const aaaa = records.aaaa.get(target.host)?.values().next().value;
        if (aaaa) found.push({ service: asked, host: target.host, ip: aaaa, port: target.port });
      }
      send(res, 200, found.length > 0 ? found : [{ service: '', host: '', ip: '', port: '' }]);
      return;
    }
    send(res, 404, { error: `no such endpoint: ${path}` });
  });
}
