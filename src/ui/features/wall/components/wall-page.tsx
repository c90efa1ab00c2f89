import { useMemo, useRef } from 'react';
import { useSearchParams } from 'react-router';
import type { HistoryView, WallView } from '../../../../bff/schemas/wall';
import { useTime } from '../../../components/time/time-context';
import { useStatus } from '../../status/api/get-status';
import { useHistory } from '../api/get-history';
import { useWall } from '../api/get-wall';
import { useElementSize } from '../hooks/use-element-size';
import { useUnattended } from '../hooks/use-kiosk';
import { wallFreshness } from '../utils/freshness';
import { layoutTiles } from '../utils/tile-layout';
import { clockTime } from '../utils/time-axis';
import { wholeNumber } from '../utils/wall-format';
import { parseWallOptions, type WallTileId } from '../utils/wall-options';
import { AgentGrid } from './agent-grid';
import { AllocationGauges } from './allocation-gauges';
import { FailedTasks } from './failed-tasks';
import { HealthTile } from './health-tile';
import { AllocationChart, FailuresChart, RunningTasksChart } from './history-charts';
import { StaleMarker } from './stale-marker';
import { TopFrameworks } from './top-frameworks';
import { TileWaiting, WallTile } from './wall-tile';
import { failuresInWindow, RESOURCE_LABELS } from '../utils/history-summary';
import '../wall.css';

const RESOURCE_TILES = { cpu: 'cpus', mem: 'mem', disk: 'disk', gpu: 'gpus' } as const;

function Tile({
  id,
  wall,
  history,
  masterReachable,
}: {
  id: WallTileId;
  wall: WallView | undefined;
  history: HistoryView | undefined;
  masterReachable: boolean;
}) {
  switch (id) {
    case 'health':
      return <HealthTile wall={wall} masterReachable={masterReachable} />;
    case 'gauges':
      return <AllocationGauges wall={wall} />;
    case 'agents':
      return <AgentGrid wall={wall} />;
    case 'frameworks':
      return <TopFrameworks wall={wall} />;
    case 'failed':
      return <FailedTasks wall={wall} />;
    case 'tasks':
      return (
        <WallTile
          title={`Running tasks · ${history?.window ?? ''}`}
          testId="tile-tasks"
          figure={wall ? wholeNumber(wall.tasks.running) : undefined}
        >
          {history ? <RunningTasksChart history={history} /> : <TileWaiting />}
        </WallTile>
      );
    case 'failures':
      return (
        <WallTile
          title={`Failures / min · ${history?.window ?? ''}`}
          testId="tile-failures"
          figure={history ? `${failuresInWindow(history)} in ${history.window}` : undefined}
        >
          {history ? <FailuresChart history={history} /> : <TileWaiting />}
        </WallTile>
      );
    default: {
      const kind = RESOURCE_TILES[id];
      const total = wall?.resources.total[kind] ?? 0;
      const share = total > 0 ? Math.round(((wall?.resources.allocated[kind] ?? 0) / total) * 100) : null;
      return (
        <WallTile
          title={`${RESOURCE_LABELS[kind]} · ${history?.window ?? ''}`}
          testId={`tile-${id}`}
          figure={wall ? (share === null ? 'none' : `${share}%`) : undefined}
        >
          {!history ? (
            <TileWaiting />
          ) : total === 0 && !history.points.some((point) => (point[`${kind}Total`] ?? 0) > 0) ? (
            <TileWaiting what={`No ${RESOURCE_LABELS[kind]}s in this cluster`} />
          ) : (
            <AllocationChart history={history} kind={kind} />
          )}
        </WallTile>
      );
    }
  }
}

/**
 * The wall display: no navigation, fills the screen exactly, never scrolls. Every tile keeps its last data
 * through outages; the header says since when it is stale and why.
 */
export function WallPage() {
  const [params] = useSearchParams();
  const options = useMemo(() => parseWallOptions(params), [params]);
  const rotationProblems = useUnattended(true);
  const status = useStatus();
  const wall = useWall(options.refreshMs);
  const history = useHistory(options.window, options.refreshMs);
  const { now } = useTime();
  const gridRef = useRef<HTMLDivElement>(null);
  const { width, height } = useElementSize(gridRef);
  // The GPU tile only in a cluster with GPUs, unless the URL asks for it by name.
  const hasGpus =
    (wall.data?.resources.total.gpus ?? 0) > 0 ||
    (history.data?.points.some((point) => (point.gpusTotal ?? 0) > 0) ?? false);
  const gpuAsked = params.get('tiles')?.split(',').includes('gpu') ?? false;
  const tiles = useMemo(
    () => options.tiles.filter((id) => id !== 'gpu' || hasGpus || gpuAsked),
    [options.tiles, hasGpus, gpuAsked],
  );
  const layout = useMemo(
    () => layoutTiles(tiles, width > 0 && height > 0 ? width / height : 16 / 9),
    [tiles, width, height],
  );

  const freshness = wallFreshness({
    status: status.data,
    statusFailed: status.isError,
    dataAt: wall.data?.snapshotAt ?? null,
    now,
    refreshMs: options.refreshMs,
  });
  const masterReachable = status.data?.connected !== false || status.data.lastAttemptAt === null;
  const problems = [...options.problems, ...rotationProblems];
  const title = options.title ?? wall.data?.cluster.name ?? 'Mesos cluster';

  return (
    <div className="wall" data-theme={options.theme} data-testid="wall">
      <header className="wall-header">
        <h1 className="wall-title">{title}</h1>
        {problems.length > 0 && (
          <span className="wall-problems" title={problems.join('; ')}>
            URL options ignored: {problems.join('; ')}
          </span>
        )}
        <StaleMarker freshness={freshness} now={now} />
        <span className="wall-clock">{clockTime(now)}</span>
      </header>
      <main
        ref={gridRef}
        className={freshness.state === 'stale' ? 'wall-grid is-stale' : 'wall-grid'}
        style={{
          gridTemplateColumns: `repeat(${layout.columns}, minmax(0, 1fr))`,
          gridTemplateRows: `repeat(${layout.rows}, minmax(0, 1fr))`,
        }}
      >
        {layout.tiles.map((tile) => (
          <section
            key={tile.id}
            className="wall-tile"
            style={{ gridColumn: `${tile.column} / span ${tile.w}`, gridRow: `${tile.row} / span ${tile.h}` }}
          >
            <Tile id={tile.id} wall={wall.data} history={history.data} masterReachable={masterReachable} />
          </section>
        ))}
      </main>
    </div>
  );
}
