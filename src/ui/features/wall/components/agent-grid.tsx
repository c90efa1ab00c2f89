import { memo, useRef } from 'react';
import type { AgentCell, WallView } from '../../../../bff/schemas/wall';
import { useElementSize } from '../hooks/use-element-size';
import { useFontPx } from '../hooks/use-font-px';
import { agentGridLayout, allocationColor } from '../utils/agent-grid-layout';
import { TileWaiting, WallTile } from './wall-tile';
import { formatCount } from '../../../components/counts/format-count';

const STATUS_TEXT: Record<AgentCell['status'], string> = {
  active: 'active',
  unreachable: 'unreachable',
  draining: 'draining',
  drained: 'drained',
  deactivated: 'deactivated',
};

/** Cells at least this many times the font size wide carry the hostname and percentage. */
const LABEL_CELL_EMS = 5;
/** Big cells in small clusters would look like buttons; they stop growing here (in ems). */
const MAX_CELL_EMS = 9;

const Cell = memo(function Cell({
  cell,
  size,
  labelled,
}: {
  cell: AgentCell;
  size: number;
  labelled: boolean;
}) {
  const percent = Math.round(cell.share * 100);
  const style =
    cell.status === 'active'
      ? { width: size, height: size, background: allocationColor(cell.share) }
      : { width: size, height: size };
  return (
    <div
      className={`agent-cell status-${cell.status}`}
      style={style}
      title={`${cell.hostname}: ${percent}% allocated, ${STATUS_TEXT[cell.status]}`}
      data-status={cell.status}
    >
      {labelled && (
        <>
          <span className="agent-cell-host">{cell.hostname}</span>
          <span className="agent-cell-share">
            {cell.status === 'active' ? `${percent}%` : STATUS_TEXT[cell.status]}
          </span>
        </>
      )}
    </div>
  );
});

function Legend({ wall }: { wall: WallView }) {
  const { agents } = wall;
  return (
    <div className="agent-legend">
      <span className="agent-legend-ramp">
        0%
        <span
          className="agent-legend-gradient"
          style={{
            background: `linear-gradient(to right, ${allocationColor(0)}, ${allocationColor(0.5)}, ${allocationColor(1)})`,
          }}
        />
        100% allocated
      </span>
      <span className="agent-legend-item">
        <span className="agent-cell status-unreachable agent-legend-swatch" /> unreachable{' '}
        {agents.unreachable}
        {agents.unlisted > 0 ? ` (+${agents.unlisted} no longer listed)` : ''}
      </span>
      <span className="agent-legend-item">
        <span className="agent-cell status-draining agent-legend-swatch" /> draining {agents.draining}
      </span>
      <span className="agent-legend-item">
        <span className="agent-cell status-drained agent-legend-swatch" /> drained / deactivated{' '}
        {agents.drained + agents.deactivated}
      </span>
    </div>
  );
}

/** One cell per agent, coloured by its allocated share, marked when unreachable, draining or drained. */
export function AgentGrid({ wall }: { wall: WallView | undefined }) {
  const boxRef = useRef<HTMLDivElement>(null);
  const { width, height } = useElementSize(boxRef);
  const fontPx = useFontPx(boxRef);
  const count = wall?.agentCells.length ?? 0;
  const gap = count > 400 ? 2 : Math.max(2, Math.round(fontPx / 4));
  const layout = agentGridLayout(count, width, height, gap);
  const cell = Math.min(layout.cell, Math.round(fontPx * MAX_CELL_EMS));
  const labelled = cell >= fontPx * LABEL_CELL_EMS;
  return (
    <WallTile
      title="Agents"
      testId="tile-agents"
      figure={
        wall ? `${formatCount(wall.agents.active)} / ${formatCount(wall.agents.total)} active` : undefined
      }
    >
      <div className="agent-grid-box" ref={boxRef}>
        {!wall ? (
          <TileWaiting />
        ) : count === 0 ? (
          <TileWaiting what="No agents registered" />
        ) : (
          <div
            className="agent-grid"
            data-testid="agent-grid"
            style={{ gridTemplateColumns: `repeat(${layout.columns}, ${cell}px)`, gap }}
          >
            {wall.agentCells.map((agent) => (
              <Cell key={agent.id} cell={agent} size={cell} labelled={labelled} />
            ))}
          </div>
        )}
      </div>
      {wall && <Legend wall={wall} />}
    </WallTile>
  );
}
