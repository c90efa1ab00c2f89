import { useRef, type ReactNode } from 'react';
import {
  Area,
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { HistoryView } from '../../../../bff/schemas/wall';
import type { ResourceKind } from '../../../components/resources/format';
import { useFontPx } from '../hooks/use-font-px';
import { clockTime, timeTicks } from '../utils/time-axis';
import { axisAmount, wallAmount } from '../utils/wall-format';

export const RESOURCE_LABELS: Record<ResourceKind, string> = {
  cpus: 'CPU',
  mem: 'Memory',
  disk: 'Disk',
  gpus: 'GPU',
};

interface ChartProps {
  history: HistoryView;
  /** Tooltips for a mouse; the wall has none. */
  interactive?: boolean;
}

/** Shared axis and frame: time on x over the whole window (gaps show as gaps), text sized by the container. */
function ChartFrame({
  history,
  from,
  to,
  children,
}: {
  history: HistoryView;
  from: number;
  to: number;
  children: (axes: { fontPx: number; tickProps: { fontSize: number; fill: string } }) => ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const fontPx = useFontPx(ref);
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
 * The y axis's width from its longest label, estimated rather than measured: Recharts's `width="auto"` and
 * label-collision checks measure every label in the DOM on every update, which was most of a poll's cost.
 */
function yAxisWidth(values: readonly (number | null)[], format: (value: number) => string, fontPx: number) {
  let max = 0;
  for (const value of values) if (value !== null && value > max) max = value;
  // 'auto' domains round up to a nice tick, which can be one digit longer than the largest value.
  const chars = Math.max(format(max * 1.25).length, format(max).length, 1);
  return Math.ceil(chars * fontPx * 0.8 * 0.62 + fontPx * 0.8);
}

/** Room on the right for half of the last time label, which is centred on its tick. */
function chartMargin(fontPx: number) {
  return { top: 4, right: Math.round(fontPx * 1.4), bottom: 0, left: 0 };
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
export function AllocationChart({ history, kind, interactive = false }: ChartProps & { kind: ResourceKind }) {
  const totalKey = `${kind}Total` as const;
  const allocatedKey = `${kind}Allocated` as const;
  const format = (value: number) => wallAmount(kind, value);
  return (
    <ChartFrame history={history} from={history.from} to={history.to}>
      {({ fontPx, tickProps }) => (
        <ResponsiveContainer width="100%" height="100%" debounce={50}>
          <ComposedChart data={history.points} margin={chartMargin(fontPx)}>
            <CartesianGrid stroke="var(--chart-grid)" vertical={false} />
            {xAxis(history.from, history.to, fontPx, tickProps)}
            <YAxis
              width={yAxisWidth(
                history.points.map((p) => p[totalKey]),
                (v) => axisAmount(kind, v),
                fontPx,
              )}
              interval={0}
              tick={tickProps}
              tickFormatter={(value: number) => axisAmount(kind, value)}
              domain={[0, 'auto']}
              allowDecimals={kind !== 'gpus'}
              stroke="var(--chart-grid)"
            />
            {interactive && (
              <Tooltip labelFormatter={(t) => clockTime(Number(t))} formatter={(v) => format(Number(v))} />
            )}
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
}

/** Running tasks over the window. */
export function RunningTasksChart({ history, interactive = false }: ChartProps) {
  return (
    <ChartFrame history={history} from={history.from} to={history.to}>
      {({ fontPx, tickProps }) => (
        <ResponsiveContainer width="100%" height="100%" debounce={50}>
          <ComposedChart data={history.points} margin={chartMargin(fontPx)}>
            <CartesianGrid stroke="var(--chart-grid)" vertical={false} />
            {xAxis(history.from, history.to, fontPx, tickProps)}
            <YAxis
              width={yAxisWidth(
                history.points.map((p) => p.running),
                (v) => axisAmount('count', v),
                fontPx,
              )}
              interval={0}
              tick={tickProps}
              tickFormatter={(value: number) => axisAmount('count', value)}
              domain={[0, 'auto']}
              allowDecimals={false}
              stroke="var(--chart-grid)"
            />
            {interactive && <Tooltip labelFormatter={(t) => clockTime(Number(t))} />}
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
}

/** FAILED + LOST + ERROR per minute, as bars. */
export function FailuresChart({ history, interactive = false }: ChartProps) {
  const from = history.failures[0]?.t ?? history.from;
  const to = (history.failures.at(-1)?.t ?? history.to - history.failureStepMs) + history.failureStepMs;
  return (
    <ChartFrame history={history} from={from} to={to}>
      {({ fontPx, tickProps }) => (
        <ResponsiveContainer width="100%" height="100%" debounce={50}>
          <BarChart data={history.failures} margin={chartMargin(fontPx)} barCategoryGap={0}>
            <CartesianGrid stroke="var(--chart-grid)" vertical={false} />
            {xAxis(from, to, fontPx, tickProps)}
            <YAxis
              width={yAxisWidth(
                history.failures.map((bar) => bar.perMinute),
                (v) => String(v),
                fontPx,
              )}
              interval={0}
              tick={tickProps}
              domain={[0, 'auto']}
              stroke="var(--chart-grid)"
            />
            {interactive && (
              <Tooltip
                labelFormatter={(t) => clockTime(Number(t))}
                formatter={(v) => [`${String(v)}/min`, 'Failures']}
              />
            )}
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
}

/** Failures in the window, from the per-minute rates. */
export function failuresInWindow(history: HistoryView): number {
  const minutes = history.failureStepMs / 60_000;
  return Math.round(history.failures.reduce((sum, bar) => sum + (bar.perMinute ?? 0) * minutes, 0));
}
