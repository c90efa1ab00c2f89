/** Endpoints named in metrics: a fixed vocabulary, so a hostile or odd path cannot grow the label set. */
const KNOWN_ENDPOINTS = [
  '/master/state',
  '/master/state.json',
  '/state',
  '/state.json',
  '/master/redirect',
  '/metrics/snapshot',
  '/master/roles',
  '/master/maintenance/status',
  '/master/maintenance/schedule',
  '/master/flags',
  '/flags',
  '/master/frameworks',
  '/master/slaves',
  '/master/tasks',
  '/monitor/statistics',
  '/containers',
  '/files/browse',
  '/files/read',
  '/files/download',
  '/files/debug',
  '/api/v1',
  '/version',
  '/health',
  '/slave(*)/state',
  '/slave(*)/state.json',
  '/slave(*)/flags',
  '/slave(*)/monitor/statistics',
  '/slave(*)/containers',
];
const KNOWN = new Set(KNOWN_ENDPOINTS);

/** `/slave(1)/state?x=y` → `/slave(*)/state`; `.json` kept; anything unknown → `other`. */
export function upstreamEndpoint(path: string): string {
  const bare = (path.split('?')[0] ?? '').replace(/^\/(slave|agent)\(\d+\)/, '/slave(*)').replace(/\/+$/, '');
  if (KNOWN.has(bare)) return bare;
  const withoutPrefix = stripProxyPrefix(bare);
  if (KNOWN.has(withoutPrefix)) return withoutPrefix;
  if (withoutPrefix.startsWith('/api/v1')) return '/api/v1';
  return 'other';
}

/** A `--master https://dcos.example.com/mesos` leader has a path prefix; the endpoint is what follows it. */
function stripProxyPrefix(path: string): string {
  const longestFirst = [...KNOWN_ENDPOINTS].sort((a, b) => b.length - a.length);
  for (const endpoint of longestFirst) {
    if (path.endsWith(endpoint)) return endpoint;
  }
  return path;
}
