import { LoadingState, ErrorState } from '../../../components/states';
import { useOverview } from '../api/get-overview';
import { AgentCounts } from './agent-counts';
import { ClusterInfo } from './cluster-info';
import { ResourcesTable } from './resources-table';
import { TaskCountsTable } from '../../../components/counts/task-counts';

/** The left column of the overview: the master, agent and task counters, cluster resources. */
export function OverviewSummary() {
  const overview = useOverview();
  const data = overview.data;
  return (
    <>
      <section className="panel" aria-label="Master">
        {data ? (
          <ClusterInfo master={data.master} />
        ) : overview.isError ? (
          <ErrorState title="Could not load the cluster overview." error={overview.error} />
        ) : (
          <LoadingState label="Loading the cluster overview…" lines={6} />
        )}
      </section>
      <AgentCounts agents={data?.agents} />
      <TaskCountsTable tasks={data?.tasks} />
      <ResourcesTable resources={data?.resources} />
    </>
  );
}
