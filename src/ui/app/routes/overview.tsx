import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { LoadingState } from '../../components/states';
import { OverviewMarathon } from '../../features/marathon/components/overview-marathon';
import { OverviewSummary } from '../../features/overview/components/overview-summary';
import { getTasksQueryOptions } from '../../features/tasks/api/get-tasks';
import { groupQueryAt, TasksTable } from '../../features/tasks/components/tasks-table';
import { useDocumentTitle } from './use-document-title';

// The charts load and first render after the tables: the tasks are what an operator opens the Overview for.
const OverviewCharts = lazy(() =>
  import('../../features/wall/components/overview-charts').then((m) => ({ default: m.OverviewCharts })),
);

/**
 * Whether the active tasks have come in (or failed to) and been painted: the charts' code is loaded and their first
 * render (five charts' axes and paths) run only then, so that it does not hold back the tasks an operator opens
 * the Overview for.
 */
function useTasksShown(): boolean {
  const [params] = useSearchParams();
  const { data: arrived = false, isError } = useQuery({
    ...getTasksQueryOptions(groupQueryAt('active', params)),
    // The same query as the table's: only whether it has an answer, so later polls do not re-render the page;
    // the table polls it, not this.
    select: answered,
    refetchInterval: false,
  });
  const [shown, setShown] = useState(false);
  const settled = arrived || isError;
  useEffect(() => {
    if (!settled || shown) return;
    // After the frame that paints the rows.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => (timer = setTimeout(() => setShown(true))));
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [settled, shown]);
  return shown;
}

const answered = () => true;

const chartsPlaceholder = (
  <section className="panel overview-charts-placeholder">
    <LoadingState label="Loading history…" />
  </section>
);

export function OverviewRoute() {
  useDocumentTitle('Overview');
  const tasksShown = useTasksShown();
  return (
    <div className="two-column">
      <aside className="side-column" aria-label="Cluster summary">
        <OverviewSummary />
        <OverviewMarathon />
      </aside>
      <div className="main-column">
        {tasksShown ? (
          <Suspense fallback={chartsPlaceholder}>
            <OverviewCharts />
          </Suspense>
        ) : (
          chartsPlaceholder
        )}
        <TasksTable group="active" />
        <TasksTable group="unreachable" />
        <TasksTable group="completed" />
      </div>
    </div>
  );
}
