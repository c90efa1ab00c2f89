import type { ChronosJobRow } from '../../../../bff/schemas/views';
import { ClusterText } from '../../../components/cluster-text/cluster-text';
import { Dash, Section } from '../../../components/detail/detail-parts';
import { RelativeTime } from '../../../components/time/relative-time';
import { useChronosJobs } from '../api/get-chronos-jobs';
import { formatCount } from '../../../components/counts/format-count';

function LastResult({ job }: { job: ChronosJobRow }) {
  if (job.lastResult === null) return <span className="muted">never ran</span>;
  const ok = job.lastResult === 'success';
  return (
    <span className={ok ? undefined : 'tone-text-bad'}>
      {ok ? 'succeeded' : 'failed'}{' '}
      <RelativeTime ms={Date.parse((ok ? job.lastSuccess : job.lastError) ?? '')} />
    </span>
  );
}

/** A Chronos's jobs (schedule, next run, last result, parents), when its webui_url answers Chronos's API. */
export function FrameworkJobs({ frameworkId, name }: { frameworkId: string; name: string }) {
  const isChronos = /chronos/i.test(name);
  const query = useChronosJobs(frameworkId, isChronos);
  const view = query.data;
  if (!isChronos || !view) return null;
  if (!view.available) {
    return (
      <Section title="Chronos jobs" testId="framework-chronos-jobs">
        <p className="muted small">Its jobs cannot be listed: {view.reason}.</p>
      </Section>
    );
  }
  return (
    <Section title="Chronos jobs" testId="framework-chronos-jobs">
      <p className="muted small">
        Read from the Chronos API at <ClusterText text={view.url} />.
      </p>
      {view.jobs.length === 0 ? (
        <p className="empty-state">No jobs.</p>
      ) : (
        <table className="data-table compact-table">
          <caption className="visually-hidden">Chronos jobs</caption>
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Schedule or parents</th>
              <th scope="col">Next run</th>
              <th scope="col">Last result</th>
              <th scope="col" className="numeric">
                Successes
              </th>
              <th scope="col" className="numeric">
                Errors
              </th>
            </tr>
          </thead>
          <tbody>
            {view.jobs.map((job) => (
              <tr key={job.name}>
                <td className="cell-wrap">
                  <ClusterText text={job.name} />
                  {job.disabled && <span className="muted"> (disabled)</span>}
                </td>
                <td className="mono cell-wrap">
                  {job.schedule ? (
                    <>
                      <ClusterText text={job.schedule} />
                      {job.scheduleTimeZone && <span className="muted"> {job.scheduleTimeZone}</span>}
                    </>
                  ) : (
                    <span>after {job.parents.join(', ')}</span>
                  )}
                </td>
                <td>{job.nextRun ? <RelativeTime ms={Date.parse(job.nextRun)} /> : <Dash />}</td>
                <td>
                  <LastResult job={job} />
                </td>
                <td className="numeric">{formatCount(job.successCount)}</td>
                <td className={`numeric${job.errorCount > 0 ? ' tone-text-bad' : ''}`}>
                  {formatCount(job.errorCount)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}
