import { useId } from 'react';
import { useSearchParams } from 'react-router';
import type { FailurePoint, HistoryPoint, HistoryView, HistoryWindow } from '../../../../bff/schemas/wall';
import type { ResourceKind } from '../../../components/resources/format';
import { ErrorState, LoadingState } from '../../../components/states';
import { useHistory } from '../api/get-history';
import { failuresInWindow, RESOURCE_LABELS } from '../utils/history-summary';
import { dataStart } from '../utils/time-axis';
import { wallAmount } from '../utils/wall-format';
import { SvgChart, type ChartSeries } from './svg-chart';
import '../wall.css';
import { formatCount } from '../../../components/counts/format-count';

const WINDOWS: HistoryWindow[] = ['1h', '6h', '24h'];
const PARAM = 'history';

/** The newest point that holds a sample. */
function latestPoint(history: HistoryView): HistoryPoint | null {
  for (let i = history.points.length - 1; i >= 0; i -= 1) {
    const point = history.points[i];
    if (point && point.cpusTotal !== null) return point;
  }
  return null;
}

interface AllocationSpec {
  series: ChartSeries<HistoryPoint>[];
  keys: readonly (keyof HistoryPoint & string)[];
  totalKey: keyof HistoryPoint & string;
}

/** Allocated (filled) against total (dashed line) of a resource. */
function allocationSpec(kind: ResourceKind): AllocationSpec {
  const totalKey = `${kind}Total` as const;
  const allocatedKey = `${kind}Allocated` as const;
  const format = (value: number) => wallAmount(kind, value);
  return {
    series: [
      {
        name: 'Allocated',
        value: (point) => point[allocatedKey],
        shape: 'area',
        color: 'var(--chart-allocated)',
        fillOpacity: 0.35,
        format,
      },
      {
        name: 'Total',
        value: (point) => point[totalKey],
        shape: 'line',
        color: 'var(--chart-total)',
        dashed: true,
        format,
      },
    ],
    keys: [totalKey, allocatedKey],
    totalKey,
  };
}

// Made once, so that the charts' memos hold from poll to poll.
const ALLOCATION: Record<ResourceKind, AllocationSpec> = {
  cpus: allocationSpec('cpus'),
  mem: allocationSpec('mem'),
  disk: allocationSpec('disk'),
  gpus: allocationSpec('gpus'),
};

const count = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
const RUNNING: ChartSeries<HistoryPoint>[] = [
  {
    name: 'Running tasks',
    value: (point) => point.running,
    shape: 'area',
    color: 'var(--chart-running)',
    fillOpacity: 0.3,
    format: (value) => count.format(value),
  },
];
const RUNNING_KEYS = ['running'] as const;

const FAILURES: ChartSeries<FailurePoint>[] = [
  {
    name: 'Failures',
    value: (bar) => bar.perMinute,
    shape: 'bars',
    color: 'var(--chart-failures)',
    format: (value) => `${count.format(value)}/min`,
  },
];

/** Where the time axis starts: where the first row with a value is, when that is later than the window's start. */
function startOf<T extends { t: number }>(
  rows: readonly T[],
  windowFrom: number,
  to: number,
  has: (row: T) => boolean,
) {
  const first = rows.find(has);
  return dataStart(windowFrom, to, first ? [first.t] : []);
}

/** The wall's history charts, small, on the Overview page; the window is in the URL (`?history=6h`). */
export function OverviewCharts() {
  const headingId = useId();
  const [params, setParams] = useSearchParams();
  const asked = params.get(PARAM);
  const window: HistoryWindow = WINDOWS.includes(asked as HistoryWindow) ? (asked as HistoryWindow) : '1h';
  const history = useHistory(window);
  const data = history.data;
  const hasGpus = data?.points.some((point) => (point.gpusTotal ?? 0) > 0) ?? false;

  const choose = (next: HistoryWindow) =>
    setParams(
      (previous) => {
        const updated = new URLSearchParams(previous);
        if (next === '1h') updated.delete(PARAM);
        else updated.set(PARAM, next);
        return updated;
      },
      { replace: true },
    );

  return (
    <section className="panel" aria-labelledby={headingId} data-testid="overview-charts">
      <div className="overview-charts-header">
        <h2 id={headingId}>History</h2>
        {data && (
          <span className="muted small">
            {formatCount(data.samples)} samples
            {data.persistence === 'memory' ? ' (not kept on disk)' : ''}
          </span>
        )}
        <div className="segmented overview-charts-windows" role="group" aria-label="History window">
          {WINDOWS.map((option) => (
            <button
              key={option}
              type="button"
              className={option === window ? 'segment segment-active' : 'segment'}
              aria-pressed={option === window}
              onClick={() => choose(option)}
            >
              {option}
            </button>
          ))}
        </div>
      </div>
      {!data ? (
        history.isError ? (
          <ErrorState title="History unavailable" error={history.error} />
        ) : (
          <LoadingState label="Loading history…" />
        )
      ) : (
        <div className="overview-charts-grid">
          {(['cpus', 'mem', 'disk', ...(hasGpus ? (['gpus'] as const) : [])] as const).map((kind) => {
            const point = latestPoint(data);
            const allocated = point?.[`${kind}Allocated`] ?? null;
            const total = point?.[`${kind}Total`] ?? null;
            const chart = ALLOCATION[kind];
            return (
              <figure key={kind} className="overview-chart">
                <figcaption>
                  <span>{RESOURCE_LABELS[kind]} allocated</span>
                  <span>
                    {allocated === null || total === null
                      ? ''
                      : `${wallAmount(kind, allocated)} / ${wallAmount(kind, total)}`}
                  </span>
                </figcaption>
                <div className="overview-chart-box">
                  <SvgChart
                    rows={data.points}
                    series={chart.series}
                    downsampleKeys={chart.keys}
                    from={startOf(data.points, data.from, data.to, (p) => p[chart.totalKey] !== null)}
                    to={data.to}
                    axis={kind}
                  />
                </div>
              </figure>
            );
          })}
          <figure className="overview-chart">
            <figcaption>
              <span>Running tasks</span>
            </figcaption>
            <div className="overview-chart-box">
              <SvgChart
                rows={data.points}
                series={RUNNING}
                downsampleKeys={RUNNING_KEYS}
                from={startOf(data.points, data.from, data.to, (p) => p.running !== null)}
                to={data.to}
                axis="count"
              />
            </div>
          </figure>
          <figure className="overview-chart">
            <figcaption>
              <span>Failures per minute</span>
              <span>
                {failuresInWindow(data)} in {data.window}
              </span>
            </figcaption>
            <div className="overview-chart-box">
              <FailuresChart history={data} />
            </div>
          </figure>
        </div>
      )}
    </section>
  );
}

/** FAILED + LOST + ERROR per minute, as bars of a minute each. */
function FailuresChart({ history }: { history: HistoryView }) {
  const to = (history.failures.at(-1)?.t ?? history.to - history.failureStepMs) + history.failureStepMs;
  const from = startOf(
    history.failures,
    history.failures[0]?.t ?? history.from,
    to,
    (bar) => bar.perMinute !== null,
  );
  return (
    <SvgChart
      rows={history.failures}
      series={FAILURES}
      stepMs={history.failureStepMs}
      from={from}
      to={to}
      axis="count"
    />
  );
}
