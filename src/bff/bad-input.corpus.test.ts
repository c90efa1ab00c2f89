/**
 * The bad-input corpus: hostile and malformed requests, sent over a real socket byte for byte (nothing
 * normalises them), to mesoscope and to the local cluster's own files endpoints. Each must get a clear 4xx
 * and nothing that should not be served. To add a case, add a row to a table below.
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster } from '../cluster';
import type { LaunchedTask, LocalCluster } from '../cluster';
import { rawFixture } from '../mesos/test-fixtures';
import type { TestBff } from './test-support';
import { buildTestBff } from './test-support';
import { parseCredentials } from './upstream/credentials';
import { startFakeUpstream } from './upstream/fake-upstream';
import type { FakeUpstream } from './upstream/fake-upstream';

/** What a corpus row expects: one status, or any of several (e.g. 404 or 400 both say "not that"). */
type Expected = number | readonly number[];

interface CorpusCase {
  name: string;
  /** The request target exactly as sent; `{agent}`, `{sandbox}`, `{outside}` and `{canary}` are filled in. */
  target: string | Buffer;
  expect: Expected;
  headers?: Record<string, string>;
  /** What the error message must name (the agent, the host a redirect pointed at). */
  says?: string;
}

const SECRET = `corpus-secret-${process.pid}-${Date.now()}`;
const LONG_ID = 'a'.repeat(600);

/** Requests to mesoscope. */
const BFF_CASES: CorpusCase[] = [
  // Path traversal through the passthrough, in every encoding.
  { name: '.. in the passthrough path', target: '/agent/{agent}/../../etc/passwd', expect: [400, 404] },
  { name: '%2e%2e in the passthrough path', target: '/agent/{agent}/%2e%2e/%2e%2e/etc/passwd', expect: 400 },
  { name: '%252e%252e in the passthrough path', target: '/agent/{agent}/%252e%252e/etc/passwd', expect: 400 },
  {
    name: '..%2f in the passthrough path',
    target: '/agent/{agent}/files/..%2f..%2fetc%2fpasswd',
    expect: 400,
  },
  {
    name: 'backslashes in the passthrough path',
    target: '/agent/{agent}/files\\..\\..\\etc\\passwd',
    expect: 400,
  },
  {
    name: '.. in files/read path',
    target: '/agent/{agent}/files/read?path={sandbox}/../../../../etc/passwd&offset=0',
    expect: 400,
  },
  {
    name: '%2e%2e in files/read path',
    target: '/agent/{agent}/files/read?path={sandbox}/%2e%2e/%2e%2e/%2e%2e/etc/passwd&offset=0',
    expect: 400,
  },
  {
    name: '%252e%252e in files/read path',
    target: '/agent/{agent}/files/read?path={sandbox}/%252e%252e/%252e%252e/etc/passwd&offset=0',
    expect: 404,
  },
  {
    name: 'absolute path outside sandboxes (read)',
    target: '/agent/{agent}/files/read?path=/etc/passwd&offset=0',
    expect: 404,
  },
  {
    name: 'absolute path outside sandboxes (download)',
    target: '/agent/{agent}/files/download?path={outside}',
    expect: 404,
  },
  {
    name: 'absolute path outside sandboxes (browse)',
    target: '/agent/{agent}/files/browse?path=/',
    expect: 404,
  },
  {
    name: 'symlink in a sandbox pointing out (read)',
    target: '/agent/{agent}/files/read?path={sandbox}/escape&offset=0',
    expect: 404,
  },
  {
    name: 'symlink in a sandbox pointing out (download)',
    target: '/agent/{agent}/files/download?path={sandbox}/escape',
    expect: 404,
  },
  {
    name: 'symlinked directory pointing out (browse)',
    target: '/agent/{agent}/files/browse?path={sandbox}/escape-dir',
    expect: 404,
  },
  {
    name: 'symlink pointing out (lines API)',
    target: '/api/files/lines?agent={agent}&path={sandbox}/escape&tail=1',
    expect: 404,
  },
  {
    name: '.. in the lines API',
    target: '/api/files/lines?agent={agent}&path={sandbox}/../../etc/passwd&tail=1',
    expect: 400,
  },
  {
    name: 'relative path in the lines API',
    target: '/api/files/lines?agent={agent}&path=etc/passwd&tail=1',
    expect: 400,
  },
  {
    name: 'master log path traversal',
    target: '/mesos/files/read?path=/master/log/../../etc/passwd&offset=0',
    expect: 400,
  },
  { name: 'master file outside attachments', target: '/mesos/files/download?path={outside}', expect: 404 },

  // Making the passthrough reach another host.
  { name: 'agent id that is a URL', target: '/agent/http:%2F%2F{canary}/files/read?path=/x', expect: 404 },
  { name: 'agent id that is host:port', target: '/agent/{canary}/files/read?path=/x', expect: 404 },
  { name: 'agent id with userinfo @', target: '/agent/x@{canary}/files/read?path=/x', expect: 404 },
  { name: 'agent id with CRLF', target: '/agent/{agent}%0d%0aHost:%20{canary}/state', expect: 404 },
  { name: 'agent id in unicode', target: '/agent/%EF%BD%85vil.example/state', expect: 404 },
  { name: 'agent id as IDN', target: '/agent/xn--vil-8ma.example/state', expect: 404 },
  { name: 'very long agent id', target: `/agent/${LONG_ID}/state`, expect: [404, 414] },
  { name: 'master path that is another host', target: '/mesos//{canary}/state', expect: 400 },
  { name: 'master path with a scheme', target: '/mesos/http://{canary}/state', expect: 400 },
  { name: 'master path with userinfo', target: '/mesos/@{canary}/state', expect: 400 },
  {
    name: 'CRLF in a passthrough query',
    target: '/mesos/master/state?x=%0d%0aHost:%20{canary}',
    expect: 400,
  },
  {
    name: 'file API agent that is a URL',
    target: '/api/files/lines?agent=http://{canary}&path=/x&tail=1',
    expect: 400,
  },
  {
    name: 'sandbox API agent that is host:port',
    target: '/api/sandbox?agent={canary}&framework=f&executor=e',
    expect: [400, 404],
  },
  {
    name: 'endpoint that changes things on GET',
    target: '/mesos/logging/toggle?level=3&duration=1secs',
    expect: 400,
  },
  { name: 'agent endpoint off the allowlist', target: '/agent/{agent}/profiler/start', expect: 400 },

  // Oversized input.
  { name: 'oversized query string', target: `/api/tasks?q=${'x'.repeat(20_000)}`, expect: [400, 414, 431] },
  {
    name: 'oversized passthrough URL',
    target: `/mesos/master/state?x=${'y'.repeat(9_000)}`,
    expect: [414, 431],
  },
  {
    name: 'oversized header',
    target: '/api/status',
    headers: { 'x-filler': 'z'.repeat(20_000) },
    expect: 431,
  },

  // Invalid UTF-8.
  { name: 'invalid UTF-8 (percent-encoded) in a query', target: '/api/tasks?q=%ff%fe', expect: 400 },
  { name: 'invalid UTF-8 (percent-encoded) in a path', target: '/api/%c0%af', expect: 400 },
  {
    name: 'invalid UTF-8 in a file path',
    target: '/api/files/lines?agent={agent}&path=/%ff&tail=1',
    expect: 400,
  },
  {
    name: 'invalid UTF-8 (raw bytes) in a path',
    target: Buffer.from([...Buffer.from('/api/'), 0xff, 0xfe]),
    expect: 400,
  },
  { name: 'malformed percent-encoding', target: '/api/tasks?q=%zz%', expect: 400 },

  // Numbers.
  {
    name: 'NaN offset (lines after)',
    target: '/api/files/lines?agent={agent}&path={sandbox}/stdout&after=NaN',
    expect: 400,
  },
  {
    name: 'negative offset (lines after)',
    target: '/api/files/lines?agent={agent}&path={sandbox}/stdout&after=-1',
    expect: 400,
  },
  {
    name: 'huge offset (lines at)',
    target: '/api/files/lines?agent={agent}&path={sandbox}/stdout&at=1e400',
    expect: 400,
  },
  {
    name: 'huge page (lines bytes)',
    target: '/api/files/lines?agent={agent}&path={sandbox}/stdout&tail=1&bytes=99999999999',
    expect: 400,
  },
  {
    name: 'negative length (line-text)',
    target: '/api/files/line-text?agent={agent}&path={sandbox}/stdout&offset=0&length=-5',
    expect: 400,
  },
  {
    name: 'NaN offset (passthrough read)',
    target: '/agent/{agent}/files/read?path={sandbox}/stdout&offset=NaN',
    expect: 400,
  },
  {
    name: 'negative offset (passthrough read)',
    target: '/agent/{agent}/files/read?path={sandbox}/stdout&offset=-7',
    expect: 400,
  },
  {
    name: 'negative length (passthrough read)',
    target: '/agent/{agent}/files/read?path={sandbox}/stdout&offset=0&length=-9',
    expect: 400,
  },
  {
    name: 'huge offset (passthrough read)',
    target: '/agent/{agent}/files/read?path={sandbox}/stdout&offset=1e400',
    expect: 400,
  },
  {
    name: 'fractional length (passthrough read)',
    target: '/agent/{agent}/files/read?path={sandbox}/stdout&offset=0&length=1.5',
    expect: 400,
  },

  // Every view endpoint's parameters.
  { name: 'tasks: unknown group', target: '/api/tasks?group=everything', expect: 400 },
  { name: 'marathon app: no id', target: '/api/marathon/app', expect: 400 },
  { name: 'marathon app: id with ..', target: '/api/marathon/app?id=/prod/../v2/info', expect: 400 },
  { name: 'marathon app: id with a space', target: '/api/marathon/app?id=/prod/my%20app', expect: 400 },
  { name: 'marathon app: id with a NUL', target: '/api/marathon/app?id=/prod%00', expect: 400 },
  { name: 'marathon versions: id with ..', target: '/api/marathon/versions?id=/a/..', expect: 400 },
  {
    name: 'marathon app: 5,000-character id',
    target: `/api/marathon/app?id=/${'a'.repeat(5_000)}`,
    expect: 400,
  },
  { name: 'marathon apps: none known', target: '/api/marathon/apps', expect: 404 },
  {
    name: 'marathon apps: unknown Marathon',
    target: '/api/marathon/apps?marathon=evil.example:80',
    expect: 404,
  },
  {
    name: 'marathon apps: 2,000-character Marathon key',
    target: `/api/marathon/apps?marathon=${'m'.repeat(2_000)}`,
    expect: 400,
  },
  { name: 'tasks: negative limit', target: '/api/tasks?limit=-1', expect: 400 },
  { name: 'tasks: huge limit', target: '/api/tasks?limit=1000000000', expect: 400 },
  { name: 'tasks: NaN offset', target: '/api/tasks?offset=NaN', expect: 400 },
  { name: 'tasks: unknown sort key', target: '/api/tasks?sort=__proto__', expect: 400 },
  { name: 'tasks: unknown order', target: '/api/tasks?order=sideways', expect: 400 },
  { name: 'search: empty query', target: '/api/search?q=', expect: 400 },
  { name: 'search: huge query', target: `/api/search?q=${'q'.repeat(5_000)}`, expect: 400 },
  { name: 'history: unknown window', target: '/api/history?window=forever', expect: 400 },
  { name: 'sandbox: missing parameters', target: '/api/sandbox', expect: 400 },
  {
    name: 'sandbox: traversal in ids',
    target: '/api/sandbox?agent={agent}&framework=..&executor=..%2F..',
    expect: [400, 404],
  },
  { name: 'task: unknown ids', target: '/api/tasks/no-such-framework/no-such-task', expect: 404 },
  { name: 'framework: very long id', target: `/api/frameworks/${LONG_ID}`, expect: [404, 414] },
  { name: 'agent: unknown id', target: '/api/agents/no-such-agent', expect: 404 },
  {
    name: 'file search: empty pattern',
    target: '/api/files/search?agent={agent}&path={sandbox}/stdout&q=',
    expect: 400,
  },
  {
    name: 'file search: bad regex',
    target: '/api/files/search?agent={agent}&path={sandbox}/stdout&q=(&regex=1',
    expect: 400,
  },
  { name: 'file instances: nothing named', target: '/api/files/instances', expect: 400 },

  // A parameter given twice: a check of one value while Mesos reads the other (it keeps the last).
  {
    name: 'repeated path (master read)',
    target: '/mesos/files/read?path=/master/log&path=/master/../../etc/passwd&offset=0',
    expect: 400,
  },
  {
    name: 'repeated path, second name percent-encoded',
    target: '/mesos/files/read?path=/master/log&%70ath=/etc/passwd&offset=0',
    expect: 400,
  },
  {
    name: 'repeated path, second value percent-encoded',
    target: '/mesos/files/read?path=/master/log&path=%2Fetc%2Fpasswd&offset=0',
    expect: 400,
  },
  {
    name: 'repeated path (agent read)',
    target: '/agent/{agent}/files/read?path={sandbox}/stdout&path={outside}&offset=0',
    expect: 400,
  },
  {
    name: 'repeated path (agent download)',
    target: '/agent/{agent}/files/download?path={sandbox}/stdout&path={outside}',
    expect: 400,
  },
  {
    name: 'repeated path (agent browse)',
    target: '/agent/{agent}/files/browse?path={sandbox}&path=/',
    expect: 400,
  },
  {
    name: 'repeated offset (agent read)',
    target: '/agent/{agent}/files/read?path={sandbox}/stdout&offset=0&offset=-1',
    expect: 400,
  },
  {
    name: 'repeated length (agent read)',
    target: '/agent/{agent}/files/read?path={sandbox}/stdout&offset=0&length=1&length=99999999',
    expect: 400,
  },
  {
    name: 'repeated path (lines API)',
    target: '/api/files/lines?agent={agent}&path={sandbox}/stdout&path={outside}&tail=1',
    expect: 400,
  },
  {
    name: 'repeated path, encoded name (lines API)',
    target: '/api/files/lines?agent={agent}&path={sandbox}/stdout&%70ath={outside}&tail=1',
    expect: 400,
  },
  {
    name: 'repeated agent (line-text API)',
    target: '/api/files/line-text?agent={agent}&agent=x&path={sandbox}/stdout&offset=0&length=5',
    expect: 400,
  },
  {
    name: 'repeated offset (line-text API)',
    target: '/api/files/line-text?agent={agent}&path={sandbox}/stdout&offset=0&offset=5&length=5',
    expect: 400,
  },
  {
    name: 'repeated path (search API)',
    target: '/api/files/search?agent={agent}&path={sandbox}/stdout&path={outside}&q=corpus',
    expect: 400,
  },
  {
    name: 'repeated path (locate API)',
    target: '/api/files/locate?agent={agent}&path={sandbox}/stdout&path={outside}&line=1',
    expect: 400,
  },
  { name: 'repeated limit (tasks API)', target: '/api/tasks?limit=1&limit=2', expect: 400 },

  // Files endpoints that show host paths.
  { name: 'master files/debug', target: '/mesos/files/debug', expect: 400 },
  { name: 'master files/debug.json', target: '/mesos/files/debug.json', expect: 400 },
  { name: 'master files%2Fdebug', target: '/mesos/files%2Fdebug', expect: 400 },
  { name: 'master files/%64ebug', target: '/mesos/files/%64ebug', expect: 400 },
  { name: 'agent files/debug', target: '/agent/{agent}/files/debug', expect: 400 },
  { name: 'agent files%2Fdebug', target: '/agent/{agent}/files%2Fdebug', expect: 400 },
  { name: 'agent files/debug.json', target: '/agent/{agent}/files/debug.json', expect: 400 },

  // Host names mesoscope is not served as (DNS rebinding: a page whose name now points at 127.0.0.1).
  { name: 'foreign Host', target: '/api/status', headers: { Host: 'rebind.example' }, expect: 421 },
  {
    name: 'foreign Host with our port',
    target: '/api/tasks',
    headers: { Host: 'rebind.example:{port}' },
    expect: 421,
  },
  {
    name: 'foreign Host on a sandbox read',
    target: '/agent/{agent}/files/read?path={sandbox}/stdout&offset=0',
    headers: { Host: 'rebind.example:{port}' },
    expect: 421,
  },
  {
    name: 'foreign Host on the passthrough',
    target: '/mesos/master/state',
    headers: { Host: 'rebind.example' },
    expect: 421,
  },
  {
    name: 'Host that starts with localhost',
    target: '/api/status',
    headers: { Host: 'localhost.rebind.example' },
    expect: 421,
  },
  {
    name: 'Host with userinfo',
    target: '/api/status',
    headers: { Host: 'localhost@rebind.example' },
    expect: 421,
  },
  {
    name: 'Host that is an IPv6 address not ours',
    target: '/api/status',
    headers: { Host: '[fe80::1]' },
    expect: 421,
  },
  { name: 'Host 127.0.0.2', target: '/api/status', headers: { Host: '127.0.0.2:{port}' }, expect: 421 },
  { name: 'empty Host', target: '/api/status', headers: { Host: '' }, expect: [400, 421] },

  // Unknown routes and methods.
  { name: 'unknown API route', target: '/api/no-such-view', expect: 404 },
  { name: 'unknown top-level route without a UI', target: '/etc/passwd', expect: 404 },
  { name: 'traversal above the root', target: '/../../../../etc/passwd', expect: [400, 404] },
  { name: 'encoded traversal above the root', target: '/%2e%2e/%2e%2e/etc/passwd', expect: [400, 404] },
];

/**
 * Agents a hostile master lists, by id: each pid or hostname tries to point mesoscope at the canary, or to
 * change the path it sends to a real agent (`{agentHost}`). `{canaryIp}`/`{canaryPort}` are the canary's parts.
 */
const HOSTILE_AGENTS: Record<string, { pid?: string; hostname?: string; port?: number | string }> = {
  'hostile-pid-path': { pid: 'slave(1)@{canary}/evil?' },
  'hostile-pid-query': { pid: 'slave(1)@{canary}?x=:5051' },
  'hostile-pid-fragment': { pid: 'slave(1)@{canary}#' },
  'hostile-pid-userinfo': { pid: 'slave(1)@user:secret@{canary}' },
  'hostile-pid-process': { pid: '../../evil?x=@{agentHost}' },
  'hostile-pid-number': { pid: 'slave(1)@2130706433:{canaryPort}' },
  'hostile-hostname-path': { hostname: '{canary}/evil?', port: 5051 },
  'hostile-hostname-userinfo': { hostname: 'x@{canaryIp}', port: '{canaryPort}' },
  'hostile-hostname-encoded': { hostname: '{canaryIp}%2fevil', port: '{canaryPort}' },
};

/**
 * Requests to a mesoscope whose master is hostile: it lists the agents above, and answers every passthrough
 * path but its state with a redirect to the canary (`?status=302` and `?status=308` choose the status).
 * `{hostile}` is filled with the id of each agent in turn for the rows that say `perAgent`.
 */
const HOSTILE_CASES: (CorpusCase & { perAgent?: boolean })[] = [
  { name: 'agent passthrough', target: '/agent/{hostile}/slave(1)/state', expect: 502, perAgent: true },
  {
    name: 'agent files passthrough',
    target: '/agent/{hostile}/files/read?path=/x&offset=0',
    expect: 502,
    perAgent: true,
  },
  { name: 'agent page', target: '/api/agents/{hostile}', expect: 502, perAgent: true },
  {
    name: 'agent framework page',
    target: '/api/agents/{hostile}/frameworks/f',
    expect: 502,
    perAgent: true,
  },
  {
    name: 'lines API',
    target: '/api/files/lines?agent={hostile}&path=/x&tail=1',
    expect: 502,
    perAgent: true,
  },
  {
    name: 'line-text API',
    target: '/api/files/line-text?agent={hostile}&path=/x&offset=0&length=10',
    expect: 502,
    perAgent: true,
  },
  {
    name: 'file search',
    target: '/api/files/search?agent={hostile}&path=/x&q=a',
    expect: 502,
    perAgent: true,
  },
  {
    name: 'sandbox API',
    target: '/api/sandbox?agent={hostile}&framework=f&executor=e',
    expect: 502,
    perAgent: true,
  },
  {
    name: 'master passthrough, 307 to the canary',
    target: '/mesos/master/flags',
    expect: 502,
    says: '{canary}',
  },
  {
    name: 'master passthrough, 302 to the canary (host only)',
    target: '/mesos/master/state?status=302',
    expect: 502,
    says: '{canary}',
  },
  {
    name: 'master passthrough, 308 to the canary',
    target: '/mesos/metrics/snapshot?status=308',
    expect: 502,
    says: '{canary}',
  },
  {
    name: 'master files passthrough, 307 to the canary',
    target: '/mesos/files/read?path=/master/log&offset=0',
    expect: 502,
    says: '{canary}',
  },
  {
    name: 'master log through the lines API',
    target: '/api/files/lines?path=/master/log&tail=1',
    expect: 502,
  },
  {
    name: 'well-formed agent redirecting its files (passthrough)',
    target: '/agent/good/files/read?path=/x&offset=0',
    expect: 502,
  },
  {
    name: 'well-formed agent redirecting its files (lines API)',
    target: '/api/files/lines?agent=good&path=/x&tail=1',
    expect: 502,
  },
  {
    name: 'well-formed agent redirecting its files (file search)',
    target: '/api/files/search?agent=good&path=/x&q=a',
    expect: 502,
  },
  { name: 'roles page (read from the leader)', target: '/api/roles', expect: 502, says: '{canary}' },
  {
    name: 'maintenance page (read from the leader)',
    target: '/api/maintenance',
    expect: 502,
    says: '{canary}',
  },
];

/**
 * Requests that reach a rate-limited endpoint under another spelling of its path. Each must count against that
 * endpoint's limit: with a limit of 1 a minute, the first is served (or refused by the endpoint itself) and the
 * second gets 429. Before limits matched the routed path, the encoded spellings were never limited.
 */
const LIMITED_SPELLINGS: { name: string; target: string }[] = [
  { name: 'download', target: '/mesos/files/download?path=/master/log' },
  { name: 'download, %2F', target: '/mesos/files%2Fdownload?path=/master/log' },
  { name: 'download, %2f', target: '/mesos/files%2fdownload?path=/master/log' },
  { name: 'download, %252F', target: '/mesos/files%252Fdownload?path=/master/log' },
  { name: 'download, %64', target: '/mesos/files/%64ownload?path=/master/log' },
  { name: 'download.json', target: '/mesos/files/download.json?path=/master/log' },
  { name: 'download, trailing slash', target: '/mesos/files/download/?path=/master/log' },
  { name: 'agent download, %2F', target: '/agent/{agent}/files%2Fdownload?path={sandbox}/stdout' },
  { name: 'agent download, %66', target: '/agent/{agent}/%66iles/download?path={sandbox}/stdout' },
  { name: 'agent read, %2F', target: '/agent/{agent}/files%2Fread?path={sandbox}/stdout&offset=0' },
  { name: 'search', target: '/api/files/search?agent={agent}&path={sandbox}/stdout&q=corpus' },
  { name: 'search, %73', target: '/api/files/%73earch?agent={agent}&path={sandbox}/stdout&q=corpus' },
  { name: 'search, %73%65', target: '/api/files/%73%65arch?agent={agent}&path={sandbox}/stdout&q=corpus' },
  {
    name: 'search, trailing slash',
    target: '/api/files/search/?agent={agent}&path={sandbox}/stdout&q=corpus',
  },
  { name: 'search, %61pi', target: '/%61pi/files/search?agent={agent}&path={sandbox}/stdout&q=corpus' },
  { name: 'lines', target: '/api/files/lines?agent={agent}&path={sandbox}/stdout&tail=1' },
  { name: 'lines, %6c', target: '/api/files/%6cines?agent={agent}&path={sandbox}/stdout&tail=1' },
  { name: 'line-text', target: '/api/files/line-text?agent={agent}&path={sandbox}/stdout&offset=0&length=5' },
  {
    name: 'line-text, %2D',
    target: '/api/files/line%2Dtext?agent={agent}&path={sandbox}/stdout&offset=0&length=5',
  },
];

/** Requests to the local cluster's agent (`{agentUrl}`) and master (`{masterUrl}`) files endpoints. */
const CLUSTER_CASES: CorpusCase[] = [
  {
    name: 'agent: .. out of the sandbox',
    target: '/files/read?path={sandbox}/../../../../etc/passwd&offset=0',
    expect: 404,
  },
  {
    name: 'agent: %2e%2e out of the sandbox',
    target: '/files/read?path={sandbox}/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd&offset=0',
    expect: 404,
  },
  {
    name: 'agent: %252e%252e',
    target: '/files/read?path={sandbox}/%252e%252e/etc/passwd&offset=0',
    expect: 404,
  },
  { name: 'agent: absolute path outside', target: '/files/read?path=/etc/passwd&offset=0', expect: 404 },
  { name: 'agent: file next to the sandboxes', target: '/files/download?path={outside}', expect: 404 },
  { name: 'agent: browse /', target: '/files/browse?path=/', expect: 404 },
  {
    name: 'agent: symlink pointing out (read)',
    target: '/files/read?path={sandbox}/escape&offset=0',
    expect: 404,
  },
  {
    name: 'agent: symlink pointing out (download)',
    target: '/files/download?path={sandbox}/escape',
    expect: 404,
  },
  {
    name: 'agent: symlinked dir pointing out',
    target: '/files/browse?path={sandbox}/escape-dir',
    expect: 404,
  },
  {
    name: 'agent: file through a symlinked dir',
    target: '/files/read?path={sandbox}/escape-dir/secret.txt&offset=0',
    expect: 404,
  },
  {
    name: 'agent: NUL in path',
    target: '/files/read?path={sandbox}/stdout%00.txt&offset=0',
    expect: [400, 404],
  },
  {
    name: 'agent: invalid UTF-8 in path',
    target: '/files/read?path={sandbox}/%ff%fe&offset=0',
    expect: [400, 404],
  },
  { name: 'agent: NaN offset', target: '/files/read?path={sandbox}/stdout&offset=NaN', expect: 400 },
  { name: 'agent: negative offset', target: '/files/read?path={sandbox}/stdout&offset=-7', expect: 400 },
  {
    name: 'agent: negative length',
    target: '/files/read?path={sandbox}/stdout&offset=0&length=-9',
    expect: 400,
  },
  { name: 'agent: huge offset', target: '/files/read?path={sandbox}/stdout&offset=1e400', expect: 400 },
  { name: 'agent: missing path', target: '/files/read?offset=0', expect: 400 },
  {
    name: 'agent: oversized header',
    target: '/files/read?path={sandbox}/stdout',
    headers: { 'x-filler': 'z'.repeat(20_000) },
    expect: 431,
  },
  {
    name: 'master: .. out of its log',
    target: '/files/read?path=/master/log/../../etc/passwd&offset=0',
    expect: 404,
  },
  { name: 'master: absolute path outside', target: '/files/download?path=/etc/passwd', expect: 404 },
];

interface RawAnswer {
  status: number;
  text: string;
}

/**
 * Sends one request with its target byte for byte and reads the whole answer (the server closes). A `Host`
 * in `headers` replaces the one naming the server.
 */
function rawRequest(
  base: string,
  target: Buffer,
  headers: Record<string, string> = {},
  localAddress?: string,
): Promise<RawAnswer> {
  const { hostname, port } = new URL(base);
  const { Host: host = `${hostname}:${port}`, ...others } = headers;
  const head = Buffer.concat([
    Buffer.from('GET '),
    target,
    Buffer.from(
      ` HTTP/1.1\r\nHost: ${host}\r\n${Object.entries(others)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('')}Connection: close\r\n\r\n`,
    ),
  ]);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port: Number(port), host: hostname, localAddress });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text });
    });
    socket.setTimeout(15_000, () => socket.destroy(new Error('no answer within 15 s')));
    // Not end(): a half-closed socket may be dropped before a slow answer; the server closes (Connection: close).
    socket.write(head);
  });
}

let cluster: LocalCluster;
let bff: TestBff;
let bffUrl: string;
let task: LaunchedTask;
let secretDir: string;
let outsideFile: string;
let canary: http.Server;
let canaryHost: string;
const canaryHits: string[] = [];
/** Requests to the canary that carried credentials (there must be none). */
const canaryCredentials: string[] = [];

beforeAll(async () => {
  cluster = await startCluster({ agents: 1, scenario: 'empty' });
  task = await cluster.control.launchTask({ name: 'corpus', cmd: 'echo corpus-output; sleep 600' });
  // Something outside every sandbox, reachable only by escaping one.
  secretDir = mkdtempSync(path.join(tmpdir(), 'mesoscope-secret-'));
  writeFileSync(path.join(secretDir, 'secret.txt'), SECRET);
  symlinkSync(path.join(secretDir, 'secret.txt'), path.join(task.directory, 'escape'));
  symlinkSync(secretDir, path.join(task.directory, 'escape-dir'));
  outsideFile = path.join(cluster.workDir, 'outside-secret.txt');
  writeFileSync(outsideFile, SECRET);

  canary = http.createServer((req, res) => {
    canaryHits.push(req.url ?? '');
    if (req.headers.authorization) canaryCredentials.push(req.url ?? '');
    res.end(SECRET);
  });
  await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', resolve));
  canaryHost = `127.0.0.1:${(canary.address() as AddressInfo).port}`;

  bff = await buildTestBff([cluster.masterUrl]);
  await bff.poller.pollOnce();
  bffUrl = await bff.app.listen({ port: 0, host: '127.0.0.1' });
}, 60_000);

afterAll(async () => {
  await bff?.close();
  await new Promise((resolve) => canary?.close(resolve));
  await cluster?.close();
  if (secretDir) rmSync(secretDir, { recursive: true, force: true });
});

function fill(target: string | Buffer): Buffer {
  if (Buffer.isBuffer(target)) return target;
  return Buffer.from(
    target
      .replaceAll('{agent}', task.agentId)
      .replaceAll('{sandbox}', task.directory)
      .replaceAll('{outside}', outsideFile)
      .replaceAll('{canary}', canaryHost)
      .replaceAll('{port}', new URL(bffUrl).port),
    'latin1',
  );
}

function expectRefused(answer: RawAnswer, expected: Expected, name: string): void {
  const allowed = typeof expected === 'number' ? [expected] : expected;
  expect(allowed, `${name}: got HTTP ${answer.status}\n${answer.text.slice(0, 600)}`).toContain(
    answer.status,
  );
  expect(answer.text, name).not.toContain(SECRET);
  expect(answer.text, name).not.toMatch(/root:x?:0:0:/);
  expect(answer.text, name).not.toContain('corpus-output');
}

describe('bad input to mesoscope', () => {
  it.each(BFF_CASES)('$name', async ({ target, expect: expected, headers }) => {
    const filled =
      headers &&
      Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, fill(value).toString()]));
    const answer = await rawRequest(bffUrl, fill(target), filled);
    expectRefused(answer, expected, String(target).slice(0, 120));
    if (answer.status !== 431 && answer.status !== 414 && answer.text.includes('\r\n\r\n{')) {
      // A clear error: the one JSON shape the SPA understands, with a message.
      expect(answer.text).toMatch(/"message":"[^"]+"/);
    }
  });

  it('never connected to a host a request named', () => {
    expect(canaryHits).toEqual([]);
  });

  it('still serves, and the sandbox itself is readable (the corpus refused only what it should)', async () => {
    const fine = await rawRequest(bffUrl, fill('/agent/{agent}/files/read?path={sandbox}/stdout&offset=0'));
    expect(fine.status).toBe(200);
    expect(fine.text).toContain('corpus-output');
    expect((await rawRequest(bffUrl, Buffer.from('/healthz'))).status).toBe(200);
  });
});

describe('hostile answers from the cluster', () => {
  const MESOS_SECRET = `corpus-mesos-secret-${process.pid}`;
  let master: FakeUpstream;
  let agent: FakeUpstream;
  let hostile: TestBff;
  let hostileUrl: string;

  const fillHostile = (text: string) => {
    const [canaryIp, canaryPort] = canaryHost.split(':');
    return text
      .replaceAll('{canary}', canaryHost)
      .replaceAll('{canaryIp}', canaryIp ?? '')
      .replaceAll('{canaryPort}', canaryPort ?? '')
      .replaceAll('{agentHost}', new URL(agent.url).host);
  };

  beforeAll(async () => {
    // A well-formed agent whose file endpoints redirect to the canary; everything else is not found.
    agent = await startFakeUpstream((req, res) =>
      req.url?.startsWith('/files/')
        ? res.writeHead(307, { location: `http://${canaryHost}${req.url}` }).end()
        : res.writeHead(404).end(),
    );
    const fixtureState = rawFixture('v0.27.1-capgemini/master-state.json') as { slaves: object[] };
    const template = fixtureState.slaves[0] ?? {};
    master = await startFakeUpstream((req, res) => {
      const url = new URL(req.url ?? '/', 'http://master');
      const self = new URL(master.url).host;
      if (url.pathname === '/master/redirect') return res.writeHead(307, { location: `//${self}` }).end();
      if (url.pathname === '/master/state' && !url.search) {
        const slaves = [
          { ...template, id: 'good', hostname: '127.0.0.1', pid: `slave(1)@${new URL(agent.url).host}` },
          ...Object.entries(HOSTILE_AGENTS).map(([id, fields]) => {
            const { pid, hostname, port } = fields;
            const { pid: _pid, port: _port, ...rest } = template as { pid?: string; port?: number };
            return {
              ...rest,
              id,
              hostname: fillHostile(hostname ?? 'agent.example'),
              ...(pid === undefined ? {} : { pid: fillHostile(pid) }),
              ...(port === undefined ? {} : { port: Number(fillHostile(String(port))) }),
            };
          }),
        ];
        const state = { ...fixtureState, pid: `master@${self}`, leader: `master@${self}`, slaves };
        return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(state));
      }
      if (url.pathname === '/api/v1') return res.writeHead(404).end();
      const status = Number(url.searchParams.get('status') ?? 307);
      const location = status === 302 ? `//${canaryHost}` : `http://${canaryHost}${req.url ?? '/'}`;
      return res.writeHead(status, { location }).end();
    });
    hostile = await buildTestBff(
      [master.url],
      1_000,
      { credentials: parseCredentials(`mesoscope:${MESOS_SECRET}`, 'test') },
      { read: 'poll' },
    );
    await hostile.poller.pollOnce();
    hostileUrl = await hostile.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await hostile?.close();
    await master?.close();
    await agent?.close();
  });

  const rows = HOSTILE_CASES.flatMap((row) =>
    row.perAgent
      ? Object.keys(HOSTILE_AGENTS).map((id) => ({
          ...row,
          name: `${row.name}: ${id}`,
          target: String(row.target).replaceAll('{hostile}', id),
          says: row.says ?? `agent ${id}`,
        }))
      : [row],
  );

  it.each(rows)('$name', async ({ target, expect: expected, says }) => {
    const answer = await rawRequest(hostileUrl, fill(target));
    expectRefused(answer, expected, String(target));
    expect(answer.text).toMatch(/"message":"[^"]+"/);
    if (says) expect(answer.text).toContain(fill(says).toString('latin1'));
    expect(answer.text).not.toContain(MESOS_SECRET);
  });

  it('sent nothing to the canary, credentials least of all, and no path a state chose to the agent', () => {
    expect(agent.requests.some((r) => r.path.startsWith('/files/'))).toBe(true);
    expect(canaryHits).toEqual([]);
    expect(canaryCredentials).toEqual([]);
    expect(agent.requests.filter((r) => r.path.includes('evil'))).toEqual([]);
  });

  it('still reads the well-formed agent (the refusals are about the values, not the master)', async () => {
    const good = await rawRequest(hostileUrl, fill('/agent/good/slave(1)/state'));
    // The fake agent answers 404; that it was asked, with credentials, is the point.
    expect(good.status).toBe(404);
    expect(agent.requests.map((r) => r.path)).toContain('/slave(1)/state');
    expect(agent.requests.every((r) => r.headers.authorization?.startsWith('Basic '))).toBe(true);
  });
});

describe('rate limits under every spelling of the path', () => {
  let limited: TestBff;
  let limitedUrl: string;
  beforeAll(async () => {
    limited = await buildTestBff(
      [cluster.masterUrl],
      2_000,
      {},
      {
        rateLimits: {
          searchPerMinute: 1,
          downloadsPerMinute: 1,
          agentFilesPerMinute: 1,
          linesPerMinute: 1,
          lineTextPerMinute: 1,
        },
      },
    );
    await limited.poller.pollOnce();
    limitedUrl = await limited.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await limited?.close();
  });

  // Each spelling from its own client address (all of 127.0.0.0/8 is this machine), so its bucket is its own.
  it.each(LIMITED_SPELLINGS.map((row, index) => ({ ...row, from: `127.0.1.${index + 1}` })))(
    '$name',
    async ({ target, from }) => {
      const first = await rawRequest(limitedUrl, fill(target), {}, from);
      expect(first.status, first.text.slice(0, 400)).not.toBe(429);
      // It reached the endpoint (whose own answer may be a refusal), not mesoscope's "no such endpoint".
      expect(first.text).not.toMatch(/No such endpoint/);
      const second = await rawRequest(limitedUrl, fill(target), {}, from);
      expect(second.status, second.text.slice(0, 400)).toBe(429);
      expect(second.text).toMatch(/retry-after: \d+/i);
    },
  );
});

describe('bad input to the local cluster', () => {
  it.each(CLUSTER_CASES)('$name', async ({ name, target, expect: expected, headers }) => {
    const base = name.startsWith('master:') ? cluster.masterUrl : cluster.agents[0]!.url;
    const answer = await rawRequest(base, fill(target), headers);
    expectRefused(answer, expected, name);
  });
});
