import type { FrameworkRow } from '../../../../bff/schemas/views';
import { CopyButton } from '../../../components/copy-button';
import { formatResource, formatShare, RESOURCE_COLUMNS } from '../../../components/resources/format';
import { ErrorState, LoadingState } from '../../../components/states';
import { RelativeTime, secondsToMs } from '../../../components/time/relative-time';
import { TasksTable } from '../../tasks/components/tasks-table';
import { useFrameworks } from '../api/get-frameworks';
import { FrameworkHost, FrameworkRoles } from './framework-columns';

function findFramework(
  data: { active: FrameworkRow[]; inactive: FrameworkRow[]; completed: FrameworkRow[] },
  id: string,
): { framework: FrameworkRow; completed: boolean } | null {
  const completed = data.completed.find((framework) => framework.id === id);
  if (completed) return { framework: completed, completed: true };
  const live = [...data.active, ...data.inactive].find((framework) => framework.id === id);
  return live ? { framework: live, completed: false } : null;
}

/** One framework: its summary and its tasks (the Mesos framework page). */
export function FrameworkDetail({ frameworkId }: { frameworkId: string }) {
  const frameworks = useFrameworks();
  if (!frameworks.data) {
    return frameworks.isError ? (
      <ErrorState
        title="Could not load frameworks."
        error={frameworks.error}
        onRetry={() => frameworks.refetch()}
      />
    ) : (
      <LoadingState label="Loading the framework…" />
    );
  }
  const found = findFramework(frameworks.data, frameworkId);
  if (!found) return <ErrorState title={`No framework found with ID: ${frameworkId}`} />;
  const { framework, completed } = found;
  return (
    <div className="two-column">
      <aside className="side-column">
        {completed && (
          <p className="notice" role="status">
            This framework has terminated!
          </p>
        )}
        <section className="panel" aria-label="Framework">
          <dl className="info-list">
            <dt>ID</dt>
            <dd className="mono break">
              {framework.id} <CopyButton value={framework.id} />
            </dd>
            <dt>Name</dt>
            <dd>{framework.name}</dd>
            <dt>Host</dt>
            <dd>
              <FrameworkHost framework={framework} />
            </dd>
            <dt>User</dt>
            <dd>{framework.user ?? '-'}</dd>
            <dt>Roles</dt>
            <dd>
              <FrameworkRoles roles={framework.roles} />
            </dd>
            <dt>Principal</dt>
            <dd>{framework.principal ?? '-'}</dd>
            <dt>Registered</dt>
            <dd>
              <RelativeTime ms={secondsToMs(framework.registeredTime)} />
            </dd>
            <dt>Re-registered</dt>
            <dd>
              <RelativeTime ms={secondsToMs(framework.reregisteredTime)} />
            </dd>
            {completed && (
              <>
                <dt>Unregistered</dt>
                <dd>
                  <RelativeTime ms={secondsToMs(framework.unregisteredTime)} />
                </dd>
              </>
            )}
            <dt>Active tasks</dt>
            <dd>{framework.activeTasks}</dd>
            <dt>Max share</dt>
            <dd>{formatShare(framework.maxShare)}</dd>
          </dl>
        </section>
        <section className="panel" aria-label="Allocated resources">
          <h2>Allocated resources</h2>
          <table className="count-table">
            <tbody>
              {RESOURCE_COLUMNS.map((column) => (
                <tr key={column.kind}>
                  <th scope="row">{column.label}</th>
                  <td className="numeric">{formatResource(column.kind, framework.resources[column.kind])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </aside>
      <div className="main-column">
        <TasksTable group="active" frameworkId={framework.id} />
        <TasksTable group="unreachable" frameworkId={framework.id} />
        <TasksTable group="completed" frameworkId={framework.id} />
      </div>
    </div>
  );
}
