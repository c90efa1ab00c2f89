import { createColumnHelper } from '@tanstack/react-table';
import { ClusterText } from '../../../components/cluster-text/cluster-text';
import { Link } from 'react-router';
import type {
  InverseOfferView,
  MachineView,
  MaintenanceWindowView,
} from '../../../../bff/schemas/detail-views';
import type { DataColumn } from '../../../components/data-table/data-table';
import { UrlDataTable } from '../../../components/data-table/url-data-table';
import { FreshnessNotice } from '../../../components/freshness-notice';
import { RelativeTime, secondsToMs } from '../../../components/time/relative-time';
import { paths } from '../../../config/paths';
import { AgentStateBadge } from '../../../components/badges/agent-state-badge';
import { useMaintenance } from '../api/get-maintenance';

function MachineName({ machine }: { machine: MachineView }) {
  const detail = [machine.hostname, machine.ip].filter(Boolean).join(' / ');
  return (
    <span className="break clamp" title={detail}>
      {machine.label ? <ClusterText text={machine.label} /> : <span className="muted">(no name)</span>}
    </span>
  );
}

function MachineAgents({ machine }: { machine: MachineView }) {
  if (machine.agents.length === 0) return <span className="muted">No registered agents</span>;
  return (
    <ul className="inline-list">
      {machine.agents.map((agent) => (
        <li key={agent.id}>
          <Link to={paths.agent.build(agent.id)} title={agent.id}>
            {agent.id.split('-').at(-1)}
          </Link>{' '}
          <AgentStateBadge state={agent.state} />
        </li>
      ))}
    </ul>
  );
}

const ANSWER_TONE: Record<string, string> = { ACCEPT: 'ok', DECLINE: 'bad', UNKNOWN: 'neutral' };

function Answers({ statuses }: { statuses: InverseOfferView[] }) {
  if (statuses.length === 0) return <span className="muted">No answers</span>;
  return (
    <ul className="inline-list">
      {statuses.map((answer, index) => (
        <li key={`${answer.frameworkId ?? 'unknown'}-${index}`}>
          {answer.frameworkId ? (
            <Link to={paths.framework.build(answer.frameworkId)} title={answer.frameworkId} className="clamp">
              <ClusterText text={answer.frameworkName ?? answer.frameworkId} />
            </Link>
          ) : (
            <span className="muted">unknown framework</span>
          )}{' '}
          <span className={`badge tone-${ANSWER_TONE[answer.status] ?? 'neutral'}`}>{answer.status}</span>
        </li>
      ))}
    </ul>
  );
}

const windowColumn = createColumnHelper<MaintenanceWindowView>();
const windowColumns: DataColumn<MaintenanceWindowView>[] = [
  windowColumn.accessor('startTime', {
    id: 'begin',
    header: 'Begin',
    meta: { firstOrder: 'desc' },
    cell: (info) => <RelativeTime ms={secondsToMs(info.getValue())} />,
  }),
  windowColumn.accessor((row) => row.endTime ?? undefined, {
    id: 'end',
    header: 'End',
    sortUndefined: 'last',
    meta: { firstOrder: 'desc' },
    cell: (info) => <RelativeTime ms={secondsToMs(info.getValue())} />,
  }),
  windowColumn.accessor((row) => row.machines.map((machine) => machine.label).join(', '), {
    id: 'hosts',
    header: 'Hosts',
    meta: { className: 'cell-wrap' },
    cell: ({ row }) => (
      <ul className="inline-list">
        {row.original.machines.map((machine, index) => (
          <li key={`${machine.label}-${index}`}>
            <MachineName machine={machine} />
          </li>
        ))}
      </ul>
    ),
  }),
  windowColumn.accessor((row) => row.machines.reduce((n, machine) => n + machine.agents.length, 0), {
    id: 'agents',
    header: 'Agents',
    meta: { numeric: true, firstOrder: 'desc' },
  }),
];

interface DrainingRow {
  machine: MachineView;
  statuses: InverseOfferView[];
}

const drainingColumn = createColumnHelper<DrainingRow>();
const drainingColumns: DataColumn<DrainingRow>[] = [
  drainingColumn.accessor((row) => row.machine.label, {
    id: 'machine',
    header: 'Machine',
    meta: { className: 'cell-wrap' },
    cell: ({ row }) => <MachineName machine={row.original.machine} />,
  }),
  drainingColumn.accessor((row) => row.machine.ip ?? '', {
    id: 'ip',
    header: 'IP',
    meta: { className: 'cell-truncate' },
  }),
  drainingColumn.accessor((row) => row.machine.agents.length, {
    id: 'agents',
    header: 'Agents',
    meta: { className: 'cell-wrap' },
    cell: ({ row }) => <MachineAgents machine={row.original.machine} />,
  }),
  drainingColumn.accessor(
    (row) => row.statuses.map((s) => `${s.frameworkName ?? ''} ${s.status}`).join(' '),
    {
      id: 'answers',
      header: 'Inverse offers',
      meta: { className: 'cell-wrap' },
      cell: ({ row }) => <Answers statuses={row.original.statuses} />,
    },
  ),
];

const downColumn = createColumnHelper<MachineView>();
const downColumns: DataColumn<MachineView>[] = [
  downColumn.accessor('label', {
    id: 'machine',
    header: 'Machine',
    meta: { className: 'cell-wrap' },
    cell: ({ row }) => <MachineName machine={row.original} />,
  }),
  downColumn.accessor((row) => row.ip ?? '', {
    id: 'ip',
    header: 'IP',
    meta: { className: 'cell-truncate' },
  }),
  downColumn.accessor((row) => row.agents.length, {
    id: 'agents',
    header: 'Agents',
    meta: { className: 'cell-wrap' },
    cell: ({ row }) => <MachineAgents machine={row.original} />,
  }),
];

/** The maintenance schedule, and which machines are draining (with each framework's answer) or down. */
export function MaintenanceTables() {
  const maintenance = useMaintenance();
  const view = maintenance.data;
  return (
    <>
      <FreshnessNotice freshness={view} source="the leading master" />
      {view && !view.supported && (
        <p className="notice" role="status">
          This master has no maintenance endpoints (Mesos before 0.25): there is no schedule to show.
        </p>
      )}
      <UrlDataTable
        prefix="schedule"
        title="Maintenance Schedule"
        columns={windowColumns}
        rows={view?.windows}
        getRowId={(row) => String(row.startTime)}
        emptyMessage="No maintenance is scheduled."
        defaults={{ sort: 'begin', order: 'asc' }}
        error={maintenance.error}
      />
      <UrlDataTable
        prefix="draining"
        title="Draining Machines"
        columns={drainingColumns}
        rows={view?.draining}
        getRowId={(row) => row.machine.label}
        emptyMessage="No machine is draining."
        defaults={{ sort: 'machine', order: 'asc' }}
        error={maintenance.error}
      />
      <UrlDataTable
        prefix="down"
        title="Down Machines"
        columns={downColumns}
        rows={view?.down}
        getRowId={(row) => row.label}
        emptyMessage="No machine is down."
        defaults={{ sort: 'machine', order: 'asc' }}
        error={maintenance.error}
      />
    </>
  );
}
