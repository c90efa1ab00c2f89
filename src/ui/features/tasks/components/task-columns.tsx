import { createColumnHelper } from '@tanstack/react-table';
import type { TaskGroup, TaskRow } from '../../../../bff/schemas/views';
import { ClusterText } from '../../../components/cluster-text/cluster-text';
import { revealBidiControls as reveal } from '../../../components/cluster-text/reveal-bidi';
import { CellLink } from '../../../components/data-table/cell-link';
import type { DataColumn } from '../../../components/data-table/data-table';
import { MesosId } from '../../../components/mesos-id';
import { RelativeTime, secondsToMs } from '../../../components/time/relative-time';
import { formatResource } from '../../../components/resources/format';
import { paths } from '../../../config/paths';
import { TaskHealth, TaskStateBadge } from '../../../components/badges/task-state-badge';
import { MarathonTaskAppLink } from '../../../components/marathon/task-app-link';

/** A task's ID, linking to its page. */
function TaskLink({ task }: { task: Pick<TaskRow, 'id' | 'frameworkId'> }) {
  return (
    <CellLink className="mono" to={paths.task.build(task.frameworkId, task.id)} title={reveal(task.id)}>
      <ClusterText text={task.id} max={Infinity} />
    </CellLink>
  );
}

const column = createColumnHelper<TaskRow>();

const frameworkId = column.accessor('frameworkId', {
  id: 'framework',
  header: 'Framework ID',
  meta: { priority: 'medium' },
  cell: (info) => <MesosId id={info.getValue()} to={paths.framework.build(info.getValue())} />,
});
const taskId = column.accessor('id', {
  id: 'id',
  header: 'Task ID',
  meta: { className: 'cell-truncate' },
  cell: ({ row }) => <TaskLink task={row.original} />,
});
const taskName = column.accessor('name', {
  id: 'name',
  header: 'Task Name',
  meta: { className: 'cell-truncate' },
  cell: ({ row, getValue }) => (
    <>
      <span title={reveal(getValue())}>
        <ClusterText text={getValue()} max={Infinity} />
      </span>{' '}
      <MarathonTaskAppLink task={row.original} label="app" />
    </>
  ),
});
const role = column.accessor('role', {
  id: 'role',
  header: 'Role',
  meta: { priority: 'low' },
  cell: (info) => {
    const value = info.getValue();
    return value === null ? <span className="muted">-</span> : <ClusterText text={value} max={Infinity} />;
  },
});
const state = column.accessor('state', {
  id: 'state',
  header: 'State',
  cell: (info) => <TaskStateBadge state={info.getValue()} />,
});
const health = column.accessor('healthy', {
  id: 'health',
  header: 'Health',
  meta: { priority: 'low' },
  cell: (info) => <TaskHealth healthy={info.getValue()} />,
});
const started = column.accessor('startTime', {
  id: 'start',
  header: 'Started',
  meta: { firstOrder: 'desc' },
  cell: (info) => <RelativeTime ms={secondsToMs(info.getValue())} />,
});
/** On the Tasks page, where Stopped says more of a finished task and the laptop screen is full. */
const startedOptional = { ...started, meta: { ...started.meta, priority: 'medium' as const } };
const stopped = column.accessor('finishTime', {
  id: 'finish',
  header: 'Stopped',
  meta: { firstOrder: 'desc' },
  cell: (info) => <RelativeTime ms={secondsToMs(info.getValue())} />,
});
const host = column.accessor('agentHostname', {
  id: 'host',
  header: 'Host',
  meta: { className: 'cell-truncate' },
  cell: ({ row }) =>
    row.original.agentHostname === null ? (
      <span className="muted">Agent offline</span>
    ) : (
      <CellLink to={paths.agent.build(row.original.agentId)} title={row.original.agentId}>
        <ClusterText text={row.original.agentHostname} max={Infinity} />
      </CellLink>
    ),
});
/** Beside a side column, where the page itself often says which agent. */
const hostOptional = { ...host, meta: { ...host.meta, priority: 'medium' as const } };
const agentId = column.accessor('agentId', {
  id: 'agent',
  header: 'Agent ID',
  enableSorting: false,
  cell: (info) => <MesosId id={info.getValue()} />,
});
const sandbox = column.display({
  id: 'sandbox',
  header: () => <span className="visually-hidden">Sandbox</span>,
  cell: ({ row }) => {
    const task = row.original;
    if (task.agentHostname === null) return <span className="muted">Sandbox</span>;
    return (
      <CellLink to={paths.taskSandbox.build(task.agentId, task.frameworkId, task.executorId, task.id)}>
        Sandbox
      </CellLink>
    );
  },
});

/** `REASON_COMMAND_EXECUTOR_FAILED` reads as "Command executor failed". */
function reasonText(reason: string): string {
  const words = reason
    .replace(/^REASON_/, '')
    .replaceAll('_', ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const note = column.accessor((row) => [row.reason, row.message].filter(Boolean).join(': '), {
  id: 'reason',
  header: 'Reason / message',
  enableSorting: false,
  meta: { className: 'cell-truncate cell-note' },
  cell: ({ row }) => {
    const { reason, message } = row.original;
    if (reason === null && message === null) return <span className="muted">-</span>;
    const title = [reason, message].filter(Boolean).join('\n');
    return (
      <span title={reveal(title)}>
        {reason !== null && <span className="note-reason">{reasonText(reason)}</span>}
        {reason !== null && message !== null && ': '}
        {message !== null && <ClusterText text={message} max={Infinity} />}
      </span>
    );
  },
});

const frameworkName = column.accessor((row) => row.frameworkName ?? row.frameworkId, {
  id: 'framework',
  header: 'Framework',
  meta: { className: 'cell-truncate' },
  cell: ({ row }) => (
    <CellLink to={paths.framework.build(row.original.frameworkId)} title={row.original.frameworkId}>
      <ClusterText text={row.original.frameworkName || row.original.frameworkId} max={Infinity} />
    </CellLink>
  ),
});
const resource = (kind: 'cpus' | 'mem', label: string) =>
  column.accessor((row) => row.resources[kind], {
    id: kind,
    header: label,
    meta: { numeric: true, firstOrder: 'desc', priority: 'low' },
    cell: (info) => formatResource(kind, info.getValue()),
  });

/** The Tasks page: every task of the cluster, whatever its group. */
export const allTaskColumns: DataColumn<TaskRow>[] = [
  taskId,
  taskName,
  frameworkName,
  state,
  note,
  health,
  role,
  host,
  startedOptional,
  stopped,
  resource('cpus', 'CPUs'),
  resource('mem', 'Mem'),
  sandbox,
];

/** The columns of each task table, as on the Mesos home and framework pages. */
export function taskColumns(
  group: TaskGroup,
  { withFramework }: { withFramework: boolean },
): DataColumn<TaskRow>[] {
  const lead = withFramework ? [frameworkId] : [];
  switch (group) {
    case 'active':
      return [...lead, taskId, taskName, role, state, health, started, hostOptional, sandbox];
    case 'unreachable':
      return [...lead, taskId, taskName, role, started, agentId];
    case 'completed':
      return [...lead, taskId, taskName, role, state, note, startedOptional, stopped, hostOptional, sandbox];
  }
}
