import { memo, useEffect, useMemo, useRef, useState, type ReactNode, type RefObject } from 'react';
import {
  Area,
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Line,
  ResponsiveContainer,
  XAxis,
  YAxis,
} from 'recharts';
import type { HistoryView } from '../../../../bff/schemas/wall';
import type { ResourceKind } from '../../../components/resources/format';
import { useFontPx } from '../hooks/use-font-px';
import { downsampleMinMax } from '../utils/downsample';
import { clockTime, dataStart, timeTicks } from '../utils/time-axis';
import { axisWidthPx, valueAxis, type AxisKind } from '../utils/value-axis';

interface ChartProps {
  history: HistoryView;
}

/** Width of an element (px), rounded down to steps so that a resize of a few pixels does not redraw the chart. */
function useWidthPx(ref: RefObject<HTMLElement | null>, step = 60, fallback = 600): number {
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === 'undefined') return undefined;
    const read = () => {
      const measured = element.getBoundingClientRect().width;
      if (measured > 0) setWidth(Math.max(step, Math.floor(measured / step) * step));
    };
    read();
    const observer = new ResizeObserver(read);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, step]);
  return width;
}

/** The chart's box: its font size, and how many points its width can show (about one per 3 px). */
function useChartBox() {
  const ref = useRef<HTMLDivElement>(null);
  const fontPx = useFontPx(ref);
  const maxPoints = Math.round(useWidthPx(ref) / 3);
  return { ref, fontPx, maxPoints };
}

/** The wall's charts (Recharts). Shared axis and frame: time on x over the whole window (gaps show as gaps), text sized by the container. */
function ChartFrame({
  box,
  history,
  from,
  to,
  children,
}: {
  box: ReturnType<typeof useChartBox>;
  history: HistoryView;
  from: number;
  to: number;
  children: (axes: { fontPx: number; tickProps: { fontSize: number; fill: string } }) => ReactNode;
}) {
  const { ref, fontPx } = box;
  return (
    <div className="chart-box" ref={ref} data-window={history.window}>
      {children({ fontPx, tickProps: { fontSize: Math.round(fontPx * 0.8), fill: 'var(--chart-axis)' } })}
      <span className="visually-hidden">
        from {clockTime(from)} to {clockTime(to)}
      </span>
    </div>
  );
}

/**
 * The y axis: round ticks up to the first one above the data (the top tick is the domain's top), and a width that
 * fits its longest label. Labels are estimated rather than measured in the DOM: Recharts's `width="auto"` measures
 * every label on every update, which was most of a poll's cost.
 */
function yAxisProps(kind: AxisKind, values: readonly (number | null)[], fontPx: number) {
  let max = 0;
  for (const value of values) if (value !== null && value > max) max = value;
  const axis = valueAxis(kind, max);
  const labelPx = fontPx * 0.8;
  return {
    ticks: axis.ticks,
    domain: [0, axis.ticks.at(-1) ?? 1] as [number, number],
    tickFormatter: axis.label,
    interval: 0 as const,
    allowDataOverflow: true,
    width: axisWidthPx(axis.ticks.map(axis.label), labelPx),
  };
}

/** Room above for half of the top tick's label (centred on it), and on the right for half of the last time label. */
function chartMargin(fontPx: number) {
  return { top: Math.ceil(fontPx * 0.6), right: Math.round(fontPx * 1.4), bottom: 0, left: 0 };
}

function firstTimes<T extends { t: number }>(rows: readonly T[], has: (row: T) => boolean): number[] {
  const row = rows.find(has);
  return row ? [row.t] : [];
}

function xAxis(from: number, to: number, fontPx: number, tick: { fontSize: number; fill: string }) {
  return (
    <XAxis
      dataKey="t"
      type="number"
      scale="time"
      domain={[from, to]}
      ticks={timeTicks(from, to)}
      interval={0}
      tickFormatter={clockTime}
      tick={tick}
      height={Math.round(fontPx * 1.6)}
      stroke="var(--chart-grid)"
      allowDataOverflow
    />
  );
}

/** Allocated (filled) against total (dashed line) of one resource over the window. */
export const AllocationChart = memo(function AllocationChart({
  history,
  kind,
}: ChartProps & { kind: ResourceKind }) {
  const totalKey = `${kind}Total` as const;
  const allocatedKey = `${kind}Allocated` as const;
  const box = useChartBox();
  const points = useMemo(
    () => downsampleMinMax(history.points, [totalKey, allocatedKey], box.maxPoints),
    [history.points, totalKey, allocatedKey, box.maxPoints],
  );
  const from = dataStart(
    history.from,
    history.to,
    firstTimes(history.points, (p) => p[totalKey] !== null),
  );
  return (
    <ChartFrame box={box} history={history} from={from} to={history.to}>
      {({ fontPx, tickProps }) => (
        <ResponsiveContainer width="100%" height="100%" debounce={50}>
          <ComposedChart data={points} margin={chartMargin(fontPx)}>
            <CartesianGrid stroke="var(--chart-grid)" vertical={false} />
            {xAxis(from, history.to, fontPx, tickProps)}
            <YAxis
              {...yAxisProps(
                kind,
                points.map((p) => p[totalKey]),
                fontPx,
              )}
              tick={tickProps}
              stroke="var(--chart-grid)"
            />
            <Area
              dataKey={allocatedKey}
              name="Allocated"
              type="linear"
              stroke="var(--chart-allocated)"
              strokeWidth={Math.max(1.5, fontPx / 8)}
              fill="var(--chart-allocated)"
              fillOpacity={0.35}
              isAnimationActive={false}
              connectNulls={false}
            />
            <Line
              dataKey={totalKey}
              name="Total"
              type="linear"
              stroke="var(--chart-total)"
              strokeWidth={Math.max(1.5, fontPx / 10)}
              strokeDasharray="6 4"
              dot={false}
              isAnimationActive={false}
              connectNulls={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      )}
    </ChartFrame>
  );
});

/** Running tasks over the window. */
export const RunningTasksChart = memo(function RunningTasksChart({ history }: ChartProps) {
  const box = useChartBox();
  const points = useMemo(
    () => downsampleMinMax(history.points, ['running'], box.maxPoints),
    [history.points, box.maxPoints],
  );
  const from = dataStart(
    history.from,
    history.to,
    firstTimes(history.points, (p) => p.running !== null),
  );
  return (
    <ChartFrame box={box} history={history} from={from} to={history.to}>
      {({ fontPx, tickProps }) => (
        <ResponsiveContainer width="100%" height="100%" debounce={50}>
          <ComposedChart data={points} margin={chartMargin(fontPx)}>
            <CartesianGrid stroke="var(--chart-grid)" vertical={false} />
            {xAxis(from, history.to, fontPx, tickProps)}
            <YAxis
              {...yAxisProps(
                'count',
                points.map((p) => p.running),
                fontPx,
              )}
              tick={tickProps}
              stroke="var(--chart-grid)"
            />
            <Area
              dataKey="running"
              name="Running tasks"
              type="linear"
              stroke="var(--chart-running)"
              strokeWidth={Math.max(1.5, fontPx / 8)}
              fill="var(--chart-running)"
              fillOpacity={0.3}
              isAnimationActive={false}
              connectNulls={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      )}
    </ChartFrame>
  );
});

/** FAILED + LOST + ERROR per minute, as bars. */
export const FailuresChart = memo(function FailuresChart({ history }: ChartProps) {
  const box = useChartBox();
  const to = (history.failures.at(-1)?.t ?? history.to - history.failureStepMs) + history.failureStepMs;
  const from = dataStart(
    history.failures[0]?.t ?? history.from,
    to,
    firstTimes(history.failures, (bar) => bar.perMinute !== null),
  );
  return (
    <ChartFrame box={box} history={history} from={from} to={to}>
      {({ fontPx, tickProps }) => (
        <ResponsiveContainer width="100%" height="100%" debounce={50}>
          <BarChart data={history.failures} margin={chartMargin(fontPx)} barCategoryGap={0}>
            <CartesianGrid stroke="var(--chart-grid)" vertical={false} />
            {xAxis(from, to, fontPx, tickProps)}
            <YAxis
              {...yAxisProps(
                'count',
                history.failures.map((bar) => bar.perMinute),
                fontPx,
              )}
              tick={tickProps}
              stroke="var(--chart-grid)"
            />
            <Bar
              dataKey="perMinute"
              name="Failures per minute"
              fill="var(--chart-failures)"
              isAnimationActive={false}
            />
          </BarChart>
        </ResponsiveContainer>
      )}
    </ChartFrame>
  );
});
