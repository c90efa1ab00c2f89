import { Link, useSearchParams } from 'react-router';

const DAY = 86_400_000;
export const RANGES = [
  { value: 'now', label: 'Now' },
  { value: '24h', label: '24 h' },
  { value: '7d', label: '7 d' },
  { value: '30d', label: '30 d' },
  { value: 'custom', label: 'From–to' },
] as const;
type RangeName = (typeof RANGES)[number]['value'];

const SPANS: Record<string, number> = { '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY };

/** The `from`/`to` query of a range (`custom` takes them from the URL as dates). */
export function rangeQuery(params: URLSearchParams, now: number): { from: string; to: string } {
  const range = params.get('range') ?? '24h';
  if (range === 'custom') {
    const from = Date.parse(params.get('from') ?? '');
    const to = Date.parse(params.get('to') ?? '');
    return {
      from: Number.isFinite(from) ? String(from) : String(now - DAY),
      to: Number.isFinite(to) ? String(to + DAY - 1) : String(now),
    };
  }
  // Rounded to the minute, so the query (and its cache) stays the same while the page is open.
  const to = Math.ceil(now / 60_000) * 60_000;
  return { from: String(to - (SPANS[range] ?? DAY)), to: String(to) };
}

/**
 * Now | 24 h | 7 d | 30 d | From–to, in the URL (`range`, `from`, `to`). "Now" is what the master holds (the
 * Tasks page as it always was); the others read the task history. `nowHref` is where Now leads.
 */
export function TimeRange({ nowHref, historyHref }: { nowHref: string; historyHref: string }) {
  const [params, setParams] = useSearchParams();
  const current = params.get('range') ?? (historyHref === '' ? 'now' : '24h');
  const hrefFor = (range: RangeName) => {
    if (range === 'now') return nowHref;
    const next = new URLSearchParams(historyHref === '' ? '' : params);
    next.set('range', range);
    next.delete('cursor');
    if (range !== 'custom') {
      next.delete('from');
      next.delete('to');
    }
    return `${historyHref || '/tasks/history'}?${next.toString()}`;
  };
  return (
    <div className="filter-field">
      <span id="time-range-label">Time</span>
      <div className="segmented-control" role="group" aria-labelledby="time-range-label">
        {RANGES.map((option) => (
          <Link
            key={option.value}
            to={hrefFor(option.value)}
            className="segmented-link"
            aria-current={current === option.value ? 'true' : undefined}
          >
            {option.label}
          </Link>
        ))}
      </div>
      {current === 'custom' && (
        <>
          <label className="visually-hidden" htmlFor="range-from">
            From
          </label>
          <input
            id="range-from"
            type="date"
            className="input"
            value={params.get('from') ?? ''}
            onChange={(event) => {
              const next = new URLSearchParams(params);
              next.set('from', event.target.value);
              next.delete('cursor');
              setParams(next);
            }}
          />
          <label className="visually-hidden" htmlFor="range-to">
            To
          </label>
          <input
            id="range-to"
            type="date"
            className="input"
            value={params.get('to') ?? ''}
            onChange={(event) => {
              const next = new URLSearchParams(params);
              next.set('to', event.target.value);
              next.delete('cursor');
              setParams(next);
            }}
          />
        </>
      )}
    </div>
  );
}
