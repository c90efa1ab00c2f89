import { useId } from 'react';
import { useSearchParams } from 'react-router';
import type { HistoryPoint, HistoryView, HistoryWindow } from '../../../../bff/schemas/wall';
import { ErrorState, LoadingState } from '../../../components/states';
import { useHistory } from '../api/get-history';
import { wallAmount } from '../utils/wall-format';
import {
  AllocationChart,
  failuresInWindow,
  FailuresChart,
  RESOURCE_LABELS,
  RunningTasksChart,
} from './history-charts';
import '../wall.css';

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
            {data.samples.toLocaleString('en')} samples
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
                  <AllocationChart history={data} kind={kind} interactive />
                </div>
              </figure>
            );
          })}
          <figure className="overview-chart">
            <figcaption>
              <span>Running tasks</span>
            </figcaption>
            <div className="overview-chart-box">
              <RunningTasksChart history={data} interactive />
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
              <FailuresChart history={data} interactive />
            </div>
          </figure>
        </div>
      )}
    </section>
  );
}
