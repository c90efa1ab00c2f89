import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { paths } from '../../config/paths';
import { CellLink } from '../data-table/cell-link';
import { useMarathonFrameworks } from '../../features/status/api/get-status';
import { marathonAppOfTask } from './task-app';

type KnownMarathons = ReturnType<typeof useMarathonFrameworks>;

/** The known Marathons, read once for a page's many task rows (each row reading the status is a query each). */
const MarathonsContext = createContext<{ marathons: KnownMarathons } | null>(null);

/** Gives the task rows under it the known Marathons. */
export function KnownMarathonsProvider({ children }: { children: ReactNode }) {
  const marathons = useMarathonFrameworks();
  const value = useMemo(() => ({ marathons }), [marathons]);
  return <MarathonsContext value={value}>{children}</MarathonsContext>;
}

interface TaskAppLinkProps {
  task: { id: string; frameworkId: string };
  /** The link's text (default: the app id). */
  label?: string;
}

/** A link to the Marathon app a Mesos task is an instance of; nothing when it is not a known Marathon's. */
export function MarathonTaskAppLink(props: TaskAppLinkProps) {
  const provided = useContext(MarathonsContext);
  return provided ? (
    <TaskAppLink {...props} marathons={provided.marathons} />
  ) : (
    <TaskAppLinkFromStatus {...props} />
  );
}

function TaskAppLinkFromStatus(props: TaskAppLinkProps) {
  return <TaskAppLink {...props} marathons={useMarathonFrameworks()} />;
}

function TaskAppLink({ task, label, marathons }: TaskAppLinkProps & { marathons: KnownMarathons }) {
  const app = marathonAppOfTask(task, marathons);
  if (!app) return null;
  const several = (marathons?.length ?? 0) > 1;
  return (
    <CellLink
      className="marathon-app-link mono"
      to={paths.marathonApp.build(app.appId, several ? app.marathon : null)}
      title={`Marathon app ${app.appId}`}
    >
      {label ?? app.appId}
    </CellLink>
  );
}

/** The `Marathon app` line of a task's summary (a `<dt>` and `<dd>`), when the task is a Marathon app's. */
export function MarathonAppField({ task }: { task: { id: string; frameworkId: string } }) {
  const marathons = useMarathonFrameworks();
  if (!marathonAppOfTask(task, marathons)) return null;
  return (
    <>
      <dt>Marathon app</dt>
      <dd className="break" data-testid="task-marathon-app">
        <MarathonTaskAppLink task={task} />
      </dd>
    </>
  );
}
