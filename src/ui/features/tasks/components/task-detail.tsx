import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { TaskDetailView, TaskDnsView, TaskStatusView } from '../../../../bff/schemas/views';
import type { Label } from '../../../../mesos/schema-utils';
import { formatBytes, formatDecimal } from '../../../../mesos/resources';
import { shortState } from '../../../../mesos/task-state';
import { ClusterText } from '../../../components/cluster-text/cluster-text';
import { CopyButton } from '../../../components/copy-button';
import { ErrorState, LoadingState } from '../../../components/states';
import { RelativeTime, secondsToMs } from '../../../components/time/relative-time';
import { paths } from '../../../config/paths';
import { isApiError } from '../../../lib/api-client';
import { useSandbox } from '../../sandbox/api/get-sandbox';
import { useTask } from '../api/get-task';
import { useTaskDns } from '../api/get-task-dns';
import { RawTaskJson } from './raw-task-json';
import { MarathonAppField } from '../../../components/marathon/task-app-link';
import { Dash, KeyValueTable, Section, text } from '../../../components/detail/detail-parts';
import { TaskHealth, TaskStateBadge } from '../../../components/badges/task-state-badge';

const MB = 1024 * 1024;

function LabelsTable({ caption, labels }: { caption: string; labels: Label[] }) {
  if (labels.length === 0) return <p className="empty-state">No labels.</p>;
  return (
    <KeyValueTable
      caption={caption}
      monoKeys
      rows={labels.map((label) => [label.key, <span className="break">{text(label.value)}</span>])}
    />
  );
}

function SandboxLinks({ task }: { task: TaskDetailView }) {
  const { row } = task;
  const online = row.agentHostname !== null;
  const sandbox = useSandbox({
    agentId: row.agentId,
    frameworkId: row.frameworkId,
    executorId: row.executorId,
    taskId: row.id,
  });
  if (!online) return <span className="muted">Agent offline: no sandbox</span>;
  if (sandbox.isError) {
    return <span className="muted">Sandbox not found on the agent ({sandbox.error.message})</span>;
  }
  const directory = sandbox.data?.directory;
  if (!directory) return <span className="muted">Finding the sandbox…</span>;
  return (
    <nav className="link-list" aria-label="Sandbox">
      <Link to={paths.browse.build(row.agentId, directory)}>Sandbox</Link>
      <Link to={paths.fileView.build(row.agentId, `${directory}/stdout`)}>stdout</Link>
      <Link to={paths.fileView.build(row.agentId, `${directory}/stderr`)}>stderr</Link>
    </nav>
  );
}

function Summary({ task }: { task: TaskDetailView }) {
  const { row } = task;
  return (
    <Section title="Task" testId="task-summary">
      <dl className="info-list">
        <dt>ID</dt>
        <dd className="mono break">
          <ClusterText text={row.id} /> <CopyButton value={row.id} />
        </dd>
        <dt>Name</dt>
        <dd className="break">{text(row.name)}</dd>
        <dt>State</dt>
        <dd>
          <TaskStateBadge state={row.state} /> <span className="muted small">({task.group})</span>
        </dd>
        <dt>Health</dt>
        <dd>
          <TaskHealth healthy={row.healthy} />
        </dd>
        <dt>Framework</dt>
        <dd className="break">
          <Link to={paths.framework.build(row.frameworkId)}>
            <ClusterText text={row.frameworkName || row.frameworkId} />
          </Link>
        </dd>
        <MarathonAppField task={row} />
        <dt>Agent</dt>
        <dd className="break">
          {row.agentHostname === null ? (
            <span className="muted">Agent offline</span>
          ) : (
            <Link to={paths.agent.build(row.agentId)}>
              <ClusterText text={row.agentHostname} />
            </Link>
          )}{' '}
          <span className="mono muted small">
            <ClusterText text={row.agentId} />
          </span>
        </dd>
        <dt>Executor</dt>
        <dd className="mono break">
          <ClusterText text={row.executorId} />
        </dd>
        <dt>Role</dt>
        <dd>{text(row.role)}</dd>
        <dt>User</dt>
        <dd>{text(task.user)}</dd>
        <dt>Started</dt>
        <dd>
          <RelativeTime ms={secondsToMs(row.startTime)} />
        </dd>
        <dt>Stopped</dt>
        <dd>
          <RelativeTime ms={secondsToMs(row.finishTime)} />
        </dd>
        <dt>Files</dt>
        <dd>
          <SandboxLinks task={task} />
        </dd>
      </dl>
    </Section>
  );
}

function StatusItem({ status }: { status: TaskStatusView }) {
  return (
    <li className="timeline-item">
      <div className="timeline-head">
        <span className="badge-slot">
          <TaskStateBadge state={status.state} />
        </span>
        <RelativeTime ms={secondsToMs(status.timestamp)} />
        {status.healthy !== null && <TaskHealth healthy={status.healthy} />}
      </div>
      <dl className="timeline-details">
        {status.source && (
          <>
            <dt>Source</dt>
            <dd className="mono">{text(status.source)}</dd>
          </>
        )}
        {status.reason && (
          <>
            <dt>Reason</dt>
            <dd className="mono">{text(status.reason)}</dd>
          </>
        )}
        {status.message && (
          <>
            <dt>Message</dt>
            <dd className="break">{text(status.message)}</dd>
          </>
        )}
        {status.labels.length > 0 && (
          <>
            <dt>Labels</dt>
            <dd className="break">
              <ClusterText text={status.labels.map((l) => `${l.key}=${l.value ?? ''}`).join(', ')} />
            </dd>
          </>
        )}
      </dl>
    </li>
  );
}

function Timeline({ statuses }: { statuses: TaskStatusView[] }) {
  return (
    <Section title="Status updates" testId="task-timeline">
      {statuses.length === 0 ? (
        <p className="empty-state">No status updates yet (the task is staging).</p>
      ) : (
        <ol className="timeline" aria-label={`${statuses.length} status updates, oldest first`}>
          {statuses.map((status, index) => (
            <StatusItem key={`${status.state}-${status.timestamp ?? index}-${index}`} status={status} />
          ))}
        </ol>
      )}
    </Section>
  );
}

function formatAmount(name: string, value: number | string | undefined): ReactNode {
  if (value === undefined) return <Dash />;
  if (typeof value === 'string') return <span className="mono break">{value}</span>;
  if (name === 'mem' || name === 'disk') return formatBytes(value * MB);
  return formatDecimal(value);
}

function ResourcesSection({ task }: { task: TaskDetailView }) {
  const names = [...new Set([...Object.keys(task.resources), ...Object.keys(task.limits ?? {})])];
  const order = ['cpus', 'gpus', 'mem', 'disk', 'ports'];
  names.sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b));
  return (
    <Section title="Resources">
      <table className="data-table compact-table">
        <caption className="visually-hidden">Resources and limits</caption>
        <thead>
          <tr>
            <th scope="col">Resource</th>
            <th scope="col" className="numeric">
              Allocated
            </th>
            <th scope="col" className="numeric">
              Limit
            </th>
          </tr>
        </thead>
        <tbody>
          {names.map((name) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td className="numeric">{formatAmount(name, task.resources[name])}</td>
              <td className="numeric">{task.limits ? formatAmount(name, task.limits[name]) : <Dash />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}

function ContainerSection({ task }: { task: TaskDetailView }) {
  const container = task.container;
  return (
    <Section
      title="Container"
      testId="task-container"
      empty={container ? undefined : "None: the task runs in the agent's default container."}
    >
      {!container ? null : (
        <div className="stack-tight">
          <KeyValueTable
            caption="Container"
            rows={[
              ['Type', text(container.type)],
              ['Image', <span className="mono break">{text(container.image)}</span>],
              ['Network', text(container.network)],
              ['Hostname', text(container.hostname)],
              ['Privileged', text(container.privileged)],
              ['Force pull', text(container.forcePullImage)],
            ]}
          />
          {container.portMappings.length > 0 && (
            <table className="data-table compact-table">
              <caption>Port mappings</caption>
              <thead>
                <tr>
                  <th scope="col" className="numeric">
                    Host port
                  </th>
                  <th scope="col" className="numeric">
                    Container port
                  </th>
                  <th scope="col">Protocol</th>
                </tr>
              </thead>
              <tbody>
                {container.portMappings.map((mapping, index) => (
                  <tr key={index}>
                    <td className="numeric">{text(mapping.hostPort)}</td>
                    <td className="numeric">{text(mapping.containerPort)}</td>
                    <td>{text(mapping.protocol)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {container.volumes.length > 0 && (
            <table className="data-table compact-table">
              <caption>Volumes</caption>
              <thead>
                <tr>
                  <th scope="col">Container path</th>
                  <th scope="col">Host path</th>
                  <th scope="col">Mode</th>
                </tr>
              </thead>
              <tbody>
                {container.volumes.map((volume, index) => (
                  <tr key={index}>
                    <td className="mono cell-wrap">{text(volume.containerPath)}</td>
                    <td className="mono cell-wrap">{text(volume.hostPath ?? volume.source)}</td>
                    <td>{text(volume.mode)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {container.parameters.length > 0 && (
            <KeyValueTable
              caption="Docker parameters"
              monoKeys
              rows={container.parameters.map((p) => [p.key, <span className="mono break">{p.value}</span>])}
            />
          )}
        </div>
      )}
    </Section>
  );
}

function HealthCheckSection({ task }: { task: TaskDetailView }) {
  const check = task.healthCheck;
  const seconds = (value: number | null) => (value === null ? <Dash /> : `${formatDecimal(value)} s`);
  return (
    <Section title="Health check" testId="task-health-check" empty={check ? undefined : 'None.'}>
      {!check ? null : (
        <KeyValueTable
          caption="Health check"
          rows={[
            ['Type', check.type],
            ['Checks', <span className="mono break">{text(check.target)}</span>],
            ['Last result', <TaskHealth healthy={task.row.healthy} />],
            ['Delay', seconds(check.delaySeconds)],
            ['Interval', seconds(check.intervalSeconds)],
            ['Timeout', seconds(check.timeoutSeconds)],
            ['Grace period', seconds(check.gracePeriodSeconds)],
            ['Consecutive failures', text(check.consecutiveFailures)],
          ]}
        />
      )}
    </Section>
  );
}

function DiscoverySection({ task }: { task: TaskDetailView }) {
  const discovery = task.discovery;
  return (
    <Section title="Discovery" testId="task-discovery">
      {!discovery ? (
        <p className="empty-state">No discovery info.</p>
      ) : (
        <div className="stack-tight">
          <KeyValueTable
            caption="Discovery info"
            rows={[
              ['Name', text(discovery.name)],
              ['Visibility', text(discovery.visibility)],
              ['Environment', text(discovery.environment)],
              ['Location', text(discovery.location)],
              ['Version', text(discovery.version)],
            ]}
          />
          {discovery.ports.length > 0 && (
            <table className="data-table compact-table">
              <caption>Discovery ports</caption>
              <thead>
                <tr>
                  <th scope="col" className="numeric">
                    Port
                  </th>
                  <th scope="col">Name</th>
                  <th scope="col">Protocol</th>
                  <th scope="col">Visibility</th>
                </tr>
              </thead>
              <tbody>
                {discovery.ports.map((port, index) => (
                  <tr key={index}>
                    <td className="numeric">{port.number}</td>
                    <td>{text(port.name)}</td>
                    <td>{text(port.protocol)}</td>
                    <td>{text(port.visibility)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {discovery.labels.length > 0 && (
            <LabelsTable caption="Discovery labels" labels={discovery.labels} />
          )}
        </div>
      )}
    </Section>
  );
}

/** What the configured Mesos-DNS answers now for each of the task's names. */
function ServedDnsNames({
  view,
  running,
}: {
  view: Extract<TaskDnsView, { configured: true }>;
  running: boolean;
}) {
  const resolving = view.names.filter((entry) => entry.answers.length > 0).length;
  return (
    <>
      <p className="muted small">
        {view.error ? (
          <span role="alert">{view.error}</span>
        ) : (
          `Asked of the Mesos-DNS at ${view.server}: ${resolving} of ${view.names.length} names resolve now${running ? '' : ' (it serves a task only while it is running)'}.`
        )}
      </p>
      {view.names.length === 0 ? (
        <p className="empty-state">The task or framework name leaves no valid DNS name.</p>
      ) : (
        <table className="data-table compact-table" data-testid="task-dns-served">
          <caption className="visually-hidden">Mesos-DNS names and what they resolve to now</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Resolves now</th>
              <th scope="col">Answer</th>
            </tr>
          </thead>
          <tbody>
            {view.names.map((entry) => (
              <tr key={`${entry.type} ${entry.name}`}>
                <td className="mono cell-wrap">
                  <ClusterText text={entry.name} /> <CopyButton value={entry.name} />
                </td>
                <td>{entry.type}</td>
                <td>{entry.answers.length > 0 ? 'yes' : 'no'}</td>
                <td className="mono cell-wrap">
                  {entry.answers.length === 0 ? <Dash /> : <ClusterText text={entry.answers.join(', ')} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function NetworkSection({ task }: { task: TaskDetailView }) {
  const { dns } = task;
  const served = useTaskDns(task.row.frameworkId, task.row.id).data;
  const running = task.row.state === 'TASK_RUNNING';
  return (
    <Section title="Network" testId="task-network">
      <KeyValueTable
        caption="Addresses"
        rows={[
          [
            'IP addresses',
            task.ipAddresses.length === 0 ? (
              <Dash />
            ) : (
              <ul className="plain-list">
                {task.ipAddresses.map((address) => (
                  <li key={address.ip} className="mono">
                    <ClusterText text={address.ip} />
                    {address.protocol && <span className="muted"> {address.protocol}</span>}
                    {address.network && <span className="muted"> on {address.network}</span>}
                  </li>
                ))}
              </ul>
            ),
          ],
          [
            'Host ports',
            task.hostPorts.length === 0 ? (
              <Dash />
            ) : (
              <span className="mono">{task.hostPorts.join(', ')}</span>
            ),
          ],
        ]}
      />
      <h3 className="subheading">Mesos-DNS</h3>
      {served?.configured ? (
        <ServedDnsNames view={served} running={running} />
      ) : !dns ? (
        <p className="empty-state">The task or framework name leaves no valid DNS name.</p>
      ) : (
        <>
          <p className="muted small">
            {running
              ? 'The names Mesos-DNS would publish for this task, if the cluster runs Mesos-DNS: it serves them while the task is running.'
              : `The names Mesos-DNS would publish for this task, if the cluster runs Mesos-DNS: it serves them only while the task is running (it is ${shortState(task.row.state)}).`}
          </p>
          <table className="data-table compact-table" data-testid="task-dns">
            <caption className="visually-hidden">Mesos-DNS names</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Points to</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td className="mono cell-wrap">
                  <ClusterText text={dns.a} /> <CopyButton value={dns.a} />
                </td>
                <td>A</td>
                <td className="muted">the task (its container IP, else its agent)</td>
              </tr>
              <tr>
                <td className="mono cell-wrap">
                  <ClusterText text={dns.agentA} /> <CopyButton value={dns.agentA} />
                </td>
                <td>A</td>
                <td className="muted">the agent running the task</td>
              </tr>
              {dns.srv.map((record) => (
                <tr key={`${record.name} ${record.port}`}>
                  <td className="mono cell-wrap">
                    <ClusterText text={record.name} /> <CopyButton value={record.name} />
                  </td>
                  <td>SRV</td>
                  <td className="mono cell-wrap">
                    <ClusterText text={`${record.target}:${record.port}`} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Section>
  );
}

/** One task: summary, status timeline, resources, labels, container, health check, discovery, network. */
export function TaskDetail({
  frameworkId,
  taskId,
  whenForgotten,
}: {
  frameworkId: string;
  taskId: string;
  /** Shown instead of "no such task" when the master does not list it (the task history's copy). */
  whenForgotten?: ReactNode;
}) {
  const query = useTask(frameworkId, taskId);
  if (!query.data) {
    if (query.isError) {
      const notFound = isApiError(query.error) && query.error.isNotFound;
      // The master forgets ended tasks; the task history may still have it.
      if (notFound && whenForgotten) return whenForgotten;
      return (
        <ErrorState
          title={notFound ? `No task '${taskId}' in framework '${frameworkId}'.` : 'Could not load the task.'}
          error={notFound ? undefined : query.error}
          onRetry={notFound ? undefined : () => void query.refetch()}
        />
      );
    }
    return <LoadingState label="Loading the task…" />;
  }
  const task = query.data;
  return (
    <div className="task-detail">
      <div className="task-grid">
        <div className="stack">
          <Summary task={task} />
          <ResourcesSection task={task} />
          <Section title="Labels" testId="task-labels">
            <LabelsTable caption="Task labels" labels={task.labels} />
          </Section>
          <HealthCheckSection task={task} />
        </div>
        <div className="stack">
          <Timeline statuses={task.statuses} />
          <ContainerSection task={task} />
          <NetworkSection task={task} />
          <DiscoverySection task={task} />
        </div>
      </div>
      <RawTaskJson frameworkId={frameworkId} taskId={taskId} compact={task.raw} />
    </div>
  );
}
