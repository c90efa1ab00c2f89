import type { WallView } from '../../../../bff/schemas/wall';
import type { ResourceKind } from '../../../components/resources/format';
import { wallAmount } from '../utils/wall-format';
import { RESOURCE_LABELS } from '../utils/history-summary';
import { TileWaiting, WallTile } from './wall-tile';

const KINDS: ResourceKind[] = ['cpus', 'mem', 'disk', 'gpus'];
const RADIUS = 40;
const CIRCUMFERENCE = 2 * Math.PI * RADIUS;

function Gauge({ kind, used, total }: { kind: ResourceKind; used: number; total: number }) {
  const share = total > 0 ? Math.min(1, used / total) : 0;
  const percent = Math.round(share * 100);
  const label = RESOURCE_LABELS[kind];
  const tone = share >= 0.9 ? 'bad' : share >= 0.75 ? 'warn' : 'ok';
  return (
    <figure className="gauge" data-testid={`gauge-${kind}`}>
      <svg
        viewBox="0 0 100 100"
        role="img"
        aria-label={`${label}: ${total > 0 ? `${percent}% allocated` : 'none'}`}
      >
        <circle className="gauge-track" cx="50" cy="50" r={RADIUS} />
        {total > 0 && (
          <circle
            className={`gauge-value wall-tone-${tone}`}
            cx="50"
            cy="50"
            r={RADIUS}
            strokeDasharray={`${share * CIRCUMFERENCE} ${CIRCUMFERENCE}`}
            transform="rotate(-90 50 50)"
          />
        )}
        <text x="50" y="50" className="gauge-percent" dominantBaseline="central" textAnchor="middle">
          {total > 0 ? `${percent}%` : '–'}
        </text>
      </svg>
      <figcaption>
        <span className="gauge-label">{label}</span>
        <span className="gauge-usage">
          {total > 0 ? `${wallAmount(kind, used)} / ${wallAmount(kind, total)}` : 'none in cluster'}
        </span>
      </figcaption>
    </figure>
  );
}

/** Allocated share of CPU, memory, disk and (in a cluster that has them) GPU as ring gauges. */
export function AllocationGauges({ wall }: { wall: WallView | undefined }) {
  return (
    <WallTile title="Allocation now" testId="tile-gauges">
      {wall ? (
        <div className="gauges">
          {KINDS.filter((kind) => kind !== 'gpus' || wall.resources.total.gpus > 0).map((kind) => (
            <Gauge
              key={kind}
              kind={kind}
              used={wall.resources.allocated[kind]}
              total={wall.resources.total[kind]}
            />
          ))}
        </div>
      ) : (
        <TileWaiting />
      )}
    </WallTile>
  );
}
