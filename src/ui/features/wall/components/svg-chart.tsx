import { memo, useEffect, useId, useMemo, useRef, useState, type PointerEvent, type RefObject } from 'react';
import { useFontPx } from '../hooks/use-font-px';
import { downsampleMinMax } from '../utils/downsample';
import { barRects, linearScale, nearestIndex, plotSeries } from '../utils/chart-geometry';
import { clockTime, timeTicks } from '../utils/time-axis';
import { axisWidthPx, valueAxis, type AxisKind } from '../utils/value-axis';

/** One series of a chart: a filled area, a (dashed) line, or bars of `stepMs` each. */
export interface ChartSeries<T> {
  name: string;
  value: (row: T) => number | null;
  shape: 'area' | 'line' | 'bars';
  /** A CSS colour, usually a theme variable (`var(--chart-allocated)`). */
  color: string;
  dashed?: boolean;
  fillOpacity?: number;
  /** How the tooltip shows a value. */
  format: (value: number) => string;
}

export interface SvgChartProps<T extends { t: number }> {
  rows: readonly T[];
  series: readonly ChartSeries<T>[];
  /** The time axis's span (ms). */
  from: number;
  to: number;
  /** What the value axis counts, for its round ticks and labels. */
  axis: AxisKind;
  /** Bars span [t, t + stepMs). */
  stepMs?: number;
  /**
   * Series keys to thin the rows by (`downsampleMinMax`) to about one point per 3 px of the chart's width, so
   * that a day of samples is not thousands of path points.
   */
  downsampleKeys?: readonly (keyof T & string)[];
}

interface Size {
  width: number;
  height: number;
}

/** The size of an element's box, following it as it changes. */
function useBoxSize(ref: RefObject<HTMLElement | null>): Size | null {
  const [size, setSize] = useState<Size | null>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return undefined;
    const read = () => {
      const { width, height } = element.getBoundingClientRect();
      if (width > 0 && height > 0)
        setSize((old) => (old?.width === width && old.height === height ? old : { width, height }));
    };
    read();
    if (typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(read);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return size;
}

const TICK_PX = 6;

/** The largest known value of any series, for the value axis's top. */
function maxValue<T>(rows: readonly T[], series: readonly ChartSeries<T>[]): number {
  let max = 0;
  for (const one of series)
    for (const row of rows) {
      const value = one.value(row);
      if (value !== null && value > max) max = value;
    }
  return max;
}

/**
 * A small time-series chart in plain SVG: round value ticks with grid lines, clock-time ticks, one path per
 * series (areas, dashed lines, bars), and a tooltip for the pointer. Only what changed is recomputed: a new
 * poll's rows redraw each series' path once; moving the pointer redraws the cursor and tooltip alone.
 */
function SvgChartInner<T extends { t: number }>({
  rows: allRows,
  series,
  from,
  to,
  axis: kind,
  stepMs = 0,
  downsampleKeys,
}: SvgChartProps<T>) {
  const boxRef = useRef<HTMLDivElement>(null);
  const size = useBoxSize(boxRef);
  const fontPx = useFontPx(boxRef);
  // Rounded down to steps of 60 px, so that a resize of a few pixels does not thin the rows again.
  const maxPoints = Math.round(Math.max(60, Math.floor((size?.width ?? 600) / 60) * 60) / 3);
  const rows = useMemo(
    () => (downsampleKeys ? downsampleMinMax(allRows, downsampleKeys, maxPoints) : allRows),
    [allRows, downsampleKeys, maxPoints],
  );
  const [hover, setHover] = useState<number | null>(null);
  // An id usable in `url(#...)`.
  const clipId = `svg-chart-clip${useId().replace(/[^\w-]/g, '')}`;
  const labelPx = Math.round(fontPx * 0.8);

  const frame = useMemo(() => {
    if (!size) return null;
    const axis = valueAxis(kind, maxValue(rows, series));
    const top = axis.ticks.at(-1) ?? 1;
    const labels = axis.ticks.map(axis.label);
    const left = axisWidthPx(labels, labelPx);
    // Room above for half of the top tick's label, on the right for half of the last time label.
    const plotTop = Math.ceil(fontPx * 0.6);
    const right = size.width - Math.round(fontPx * 1.4);
    const bottom = size.height - Math.round(fontPx * 1.6);
    const x = linearScale(from, to, left, right);
    const y = linearScale(0, top, bottom, plotTop);
    return { axis, labels, left, right, plotTop, bottom, x, y };
  }, [size, kind, rows, series, labelPx, fontPx, from, to]);

  const drawn = useMemo(() => {
    if (!frame) return null;
    const { x, y, bottom, left, right } = frame;
    const time = (row: T) => row.t;
    // Points outside the time axis are cut at its edges, as the axis's own ends are.
    return (
      <>
        <defs>
          <clipPath id={clipId}>
            <rect x={left} y={0} width={Math.max(0, right - left)} height={bottom} />
          </clipPath>
        </defs>
        <g clipPath={`url(#${clipId})`}>
          {series.map((one) => {
            if (one.shape === 'bars') {
              return (
                <g key={one.name} fill={one.color} className="svg-chart-bars">
                  {barRects(rows, time, one.value, stepMs, x, y).map((bar) => (
                    <rect key={bar.x} x={bar.x} y={bar.y} width={bar.width} height={bar.height} />
                  ))}
                </g>
              );
            }
            const plotted = plotSeries(rows, time, one.value, x, y, bottom);
            const strokeWidth = Math.max(1.5, fontPx / (one.shape === 'area' ? 8 : 10));
            return (
              <g key={one.name} className={`svg-chart-${one.shape}`}>
                {one.shape === 'area' &&
                  plotted.areas.map((d, index) => (
                    <path
                      key={index}
                      d={d}
                      fill={one.color}
                      fillOpacity={one.fillOpacity ?? 0.3}
                      stroke="none"
                    />
                  ))}
                {plotted.lines.map((d, index) => (
                  <path
                    key={index}
                    d={d}
                    fill="none"
                    stroke={one.color}
                    strokeWidth={strokeWidth}
                    strokeDasharray={one.dashed ? '6 4' : undefined}
                    strokeLinejoin="round"
                  />
                ))}
                {plotted.dots.map((dot) => (
                  <circle key={dot.x} cx={dot.x} cy={dot.y} r={strokeWidth * 1.5} fill={one.color} />
                ))}
              </g>
            );
          })}
        </g>
      </>
    );
  }, [frame, rows, series, stepMs, fontPx, clipId]);

  const axes = useMemo(() => {
    if (!frame) return null;
    const { axis, labels, left, right, bottom, x, y } = frame;
    const times = timeTicks(from, to);
    return (
      <g fontSize={labelPx} fill="var(--chart-axis)">
        <g className="svg-chart-grid" stroke="var(--chart-grid)">
          {axis.ticks.map((tick) => (
            <line key={tick} x1={left} x2={right} y1={y(tick)} y2={y(tick)} />
          ))}
        </g>
        <g className="svg-chart-y-axis" stroke="var(--chart-grid)">
          <line x1={left} x2={left} y1={frame.plotTop} y2={bottom} />
          {axis.ticks.map((tick, index) => (
            <g key={tick}>
              <line x1={left - TICK_PX} x2={left} y1={y(tick)} y2={y(tick)} />
              <text x={left - TICK_PX - 2} y={y(tick)} dy="0.355em" textAnchor="end" stroke="none">
                {labels[index]}
              </text>
            </g>
          ))}
        </g>
        <g className="svg-chart-x-axis" stroke="var(--chart-grid)">
          <line x1={left} x2={right} y1={bottom} y2={bottom} />
          {times.map((tick) => (
            <g key={tick}>
              <line x1={x(tick)} x2={x(tick)} y1={bottom} y2={bottom + TICK_PX} />
              <text x={x(tick)} y={bottom + TICK_PX + 2} dy="0.71em" textAnchor="middle" stroke="none">
                {clockTime(tick)}
              </text>
            </g>
          ))}
        </g>
      </g>
    );
  }, [frame, from, to, labelPx]);

  const hovered = hover === null ? undefined : rows[hover];
  const onPointerMove = (event: PointerEvent<SVGSVGElement>) => {
    if (!frame) return;
    const px = event.clientX - event.currentTarget.getBoundingClientRect().left;
    if (px < frame.left || px > frame.right) return setHover(null);
    const t = from + ((px - frame.left) / (frame.right - frame.left)) * (to - from);
    const index = nearestIndex(rows, (row) => row.t, t - stepMs / 2);
    setHover(index < 0 ? null : index);
  };

  return (
    <div className="chart-box svg-chart" ref={boxRef}>
      {size && frame && (
        <svg
          width={size.width}
          height={size.height}
          role="img"
          aria-label={series.map((one) => one.name).join(', ')}
          onPointerMove={onPointerMove}
          onPointerLeave={() => setHover(null)}
        >
          {axes}
          {drawn}
          {hovered && (
            <line
              className="svg-chart-cursor"
              x1={frame.x(hovered.t + stepMs / 2)}
              x2={frame.x(hovered.t + stepMs / 2)}
              y1={frame.plotTop}
              y2={frame.bottom}
              stroke="var(--chart-axis)"
              strokeOpacity={0.6}
            />
          )}
          {hovered &&
            series.map((one) => {
              const value = one.value(hovered);
              if (one.shape === 'bars' || value === null) return null;
              return (
                <circle
                  key={one.name}
                  className="svg-chart-active-dot"
                  cx={frame.x(hovered.t)}
                  cy={frame.y(value)}
                  r={4}
                  fill={one.color}
                  stroke="var(--bg-elevated)"
                  strokeWidth={2}
                />
              );
            })}
        </svg>
      )}
      {hovered && frame && (
        <div
          className="svg-chart-tooltip"
          role="tooltip"
          style={tooltipPlace(frame.x(hovered.t + stepMs / 2), size?.width ?? 0)}
        >
          <div className="svg-chart-tooltip-time">{clockTime(hovered.t)}</div>
          {series.map((one) => {
            const value = one.value(hovered);
            return (
              <div key={one.name} style={{ color: one.color }}>
                {one.name}: {value === null ? 'no data' : one.format(value)}
              </div>
            );
          })}
        </div>
      )}
      <span className="visually-hidden">
        from {clockTime(from)} to {clockTime(to)}
      </span>
    </div>
  );
}

/** Beside the cursor, on whichever side has room. */
function tooltipPlace(cursorX: number, width: number) {
  return cursorX > width / 2 ? { right: width - cursorX + 8 } : { left: cursorX + 8 };
}

export const SvgChart = memo(SvgChartInner) as typeof SvgChartInner;
