/**
 * Which upstream paths the read-only passthrough forwards. An allowlist, not a denylist: libprocess serves
 * endpoints that change things on GET (e.g. /logging/toggle, /profiler/start), and those must never be
 * reachable through mesoscope.
 */
/** `/files/debug` is left out: it maps every virtual path to the real path on the host's disk. */
const FILES = String.raw`files/(browse|read|download)(\.json)?`;
const MASTER_PATHS = new RegExp(
  String.raw`^(master/)?(state(\.json)?|state-summary|frameworks|slaves|tasks|roles|flags|health|version|` +
    String.raw`maintenance/(schedule|status)|quota|weights)$|^metrics/snapshot$|^${FILES}$|^version$`,
);
const AGENT_PATHS = new RegExp(
  String.raw`^(slave\(\d+\)/)?(state(\.json)?|flags|health|monitor/statistics(\.json)?|containers)$|` +
    String.raw`^metrics/snapshot$|^${FILES}$|^version$`,
);

type ProxyPathCheck = { ok: true; path: string; query: string } | { ok: false; reason: string };

/** Query parameters never forwarded: JSONP would make Mesos answer with executable script on our origin. */
const DROPPED_PARAMS = new Set(['jsonp', 'callback']);
const MAX_URL_LENGTH = 8_192;

/**
 * Validates the part of a request URL after `/mesos/` or `/agent/<id>/` and returns the path and query to send
 * upstream. The raw (still percent-encoded) path is checked, and so is every decoding of it, so that
 * `%2e%2e` and `%252e%252e` are refused like `..`.
 */
export function checkProxyPath(rawRest: string, target: 'master' | 'agent'): ProxyPathCheck {
  if (rawRest.length > MAX_URL_LENGTH) return { ok: false, reason: 'URL too long' };
  const queryStart = rawRest.indexOf('?');
  const rawPath = queryStart === -1 ? rawRest : rawRest.slice(0, queryStart);
  const rawQuery = queryStart === -1 ? '' : rawRest.slice(queryStart + 1);

  const decoding = decodeProxyPath(rawPath);
  if (!decoding.ok) return decoding;
  const { decoded } = decoding;
  const allowed = target === 'master' ? MASTER_PATHS : AGENT_PATHS;
  if (!allowed.test(decoded))
    return { ok: false, reason: `/${decoded} is not a read-only Mesos endpoint mesoscope forwards` };

  const params = new URLSearchParams(rawQuery);
  const repeated = repeatedParam(params);
  if (repeated !== null) return { ok: false, reason: repeatedParamMessage(repeated) };
  for (const name of DROPPED_PARAMS) params.delete(name);
  for (const [, value] of params) {
    if (hasControlCharacters(value)) return { ok: false, reason: 'control characters in query' };
  }
  // Agents refuse paths outside their sandboxes themselves; refusing `..` here too costs nothing.
  const filePath = params.get('path');
  if (filePath !== null && /(^|\/)\.\.(\/|$)/.test(filePath))
    return { ok: false, reason: "'..' is not allowed in path" };
  const query = params.toString();
  return { ok: true, path: `/${decoded}`, query: query ? `?${query}` : '' };
}

/**
 * A passthrough path decoded until it no longer changes (`%252e` is refused like `.`), checked for dot
 * segments, backslashes and control characters at every round.
 */
export function decodeProxyPath(
  rawPath: string,
): { ok: true; decoded: string } | { ok: false; reason: string } {
  let decoded = rawPath;
  for (let round = 0; round < 3; round += 1) {
    if (/(^|\/)\.\.?(\/|$)|\\/.test(decoded) || hasControlCharacters(decoded)) {
      return { ok: false, reason: 'path not allowed' };
    }
    let next: string;
    try {
      next = decodeURIComponent(decoded);
    } catch {
      return { ok: false, reason: 'malformed percent-encoding in path' };
    }
    if (next === decoded) break;
    decoded = next;
  }
  return { ok: true, decoded };
}

/**
 * The first parameter name given more than once, after decoding (`path` and `%70ath` are one name). Mesos
 * keeps one value per name (the last), so a check of any other value would check something Mesos never reads.
 */
export function repeatedParam(params: Iterable<[string, string]>): string | null {
  const seen = new Set<string>();
  for (const [name] of params) {
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return null;
}

/** Refusal text for a repeated parameter, worded like Mesos's own query errors. */
export function repeatedParamMessage(name: string): string {
  return `Failed to parse query: '${name}' is given more than once (it takes one value)`;
}

function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
