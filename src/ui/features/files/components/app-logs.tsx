import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { AppInstance } from '../../../../bff/schemas/files';
import { ErrorState, LoadingState } from '../../../components/states';
import { paths } from '../../../config/paths';
import { useAppInstances } from '../api/get-app-instances';
import { useLogWindow } from '../hooks/use-log-window';
import { useViewerSettings } from '../hooks/use-viewer-settings';
import { ansiSegments, plainText } from '../utils/ansi';
import type { WindowLine } from '../utils/log-window';
import { mergeByTime } from '../utils/merge-lines';
import '../log-viewer.css';
import { ViewerSettingsControls } from './file-viewer';
import { LogList } from './log-list';
import { segmentsOf } from '../utils/line-segments';
import { LogPane } from './log-pane';
import { LogRow } from './log-row';
import { formatCount } from '../../../components/counts/format-count';

/** Instances shown by default (the most recently started running ones). */
const DEFAULT_SHOWN = 4;
/** Lines kept per instance, and in the merged stream. */
const FEED_LINES = 3_000;
const MERGED_LINES = 10_000;

type Layout = 'columns' | 'merged';

function shortId(taskId: string): string {
  const dot = taskId.lastIndexOf('.');
  const tail = dot >= 0 ? taskId.slice(dot + 1) : taskId;
  return tail.slice(0, 8);
}

function InstanceBadge({ index, instance }: { index: number; instance: AppInstance }) {
  return (
    <span
      className={`instance-badge instance-${index % 8}`}
      title={`${instance.taskId} on ${instance.agentHostname ?? instance.agentId}`}
    >
      #{index + 1}
    </span>
  );
}

/** Follows one instance's file without showing it, and reports its lines (for the merged stream). */
function InstanceFeed({
  instance,
  file,
  onLines,
}: {
  instance: AppInstance & { directory: string };
  file: string;
  onLines: (taskId: string, lines: WindowLine[], problem: string | null) => void;
}) {
  const view = useLogWindow({
    source: { kind: 'agent', agentId: instance.agentId },
    path: `${instance.directory}/${file}`,
    openAt: { kind: 'tail' },
    following: true,
    limits: { maxLines: FEED_LINES, maxChars: 2_000_000 },
  });
  const lines = view.window?.lines;
  const partial = view.window?.partial;
  const problem = view.waiting ? 'waiting for the file' : (view.problem?.message ?? null);
  useEffect(() => {
    onLines(instance.taskId, [...(lines ?? []), ...(partial ? [partial] : [])], problem);
  }, [instance.taskId, lines, partial, problem, onLines]);
  return null;
}

/** Every shown instance's lines in one stream, by time (see merge-lines.ts for the rules). */
function MergedLogs({
  instances,
  file,
  wrap,
}: {
  instances: (AppInstance & { directory: string })[];
  file: string;
  wrap: boolean;
}) {
  const [feeds, setFeeds] = useState<Record<string, { lines: WindowLine[]; problem: string | null }>>({});
  const [following, setFollowing] = useState(true);
  const onLines = useCallback((taskId: string, lines: WindowLine[], problem: string | null) => {
    setFeeds((current) => ({ ...current, [taskId]: { lines, problem } }));
  }, []);
  const merged = useMemo(
    () =>
      mergeByTime(
        instances.map((instance) => ({ id: instance.taskId, lines: feeds[instance.taskId]?.lines ?? [] })),
        {
          limit: MERGED_LINES,
          currentYear: new Date().getUTCFullYear(),
          plain: (text) => plainText(ansiSegments(text)),
        },
      ),
    [instances, feeds],
  );
  const keys = useMemo(() => merged.map((row) => row.key), [merged]);
  const problems = instances.flatMap((instance, index) => {
    const problem = feeds[instance.taskId]?.problem;
    return problem ? [`#${index + 1}: ${problem}`] : [];
  });
  return (
    <section className="log-pane" aria-label={`${file} of every instance, merged by time`}>
      {instances.map((instance) => (
        <InstanceFeed key={instance.taskId} instance={instance} file={file} onLines={onLines} />
      ))}
      <div className="log-toolbar">
        <span
          className={following ? 'follow-state follow-on' : 'follow-state follow-off'}
          data-testid="file-follow-state"
        >
          {following ? 'following' : 'paused'}
        </span>
        {!following && (
          <button type="button" className="button button-primary" onClick={() => setFollowing(true)}>
            Follow
          </button>
        )}
        <span className="muted">
          {formatCount(merged.length)} lines, ordered by the timestamp each line starts with, else by when it
          arrived
        </span>
      </div>
      {problems.length > 0 && (
        <p className="file-viewer-error" role="alert">
          {problems.join(' · ')}
        </p>
      )}
      <div className="log-body">
        <LogList
          keys={keys}
          wrap={wrap}
          following={following}
          onAtBottomChange={setFollowing}
          label={`${file} of every instance, merged`}
          testId="file-content"
          renderRow={(index) => {
            const row = merged[index];
            const instance = row ? instances[row.feed] : undefined;
            if (!row || !instance) return null;
            return (
              <LogRow
                segments={segmentsOf(row.line)}
                highlights={[]}
                gutter=""
                gutterTitle=""
                offset={row.line.o}
                bytes={row.line.n}
                cut={false}
                stale={false}
                partial={false}
                selected={false}
                anchored={false}
                badge={<InstanceBadge index={row.feed} instance={instance} />}
              />
            );
          }}
        />
      </div>
    </section>
  );
}

/**
 * The stdout (or stderr) of every instance of an app: side by side in columns, or merged into one stream by
 * time. Which instances, which file and which layout live in the URL.
 */
export function AppLogs({ frameworkId, appName }: { frameworkId: string; appName: string }) {
  const [params, setParams] = useSearchParams();
  const file = params.get('file') === 'stderr' ? 'stderr' : 'stdout';
  const layout: Layout = params.get('layout') === 'merged' ? 'merged' : 'columns';
  const instances = useAppInstances({ frameworkId, name: appName });
  const [settings, setSettings] = useViewerSettings();

  const all = useMemo(() => instances.data?.instances ?? [], [instances.data]);
  const shownParam = params.get('show');
  const shown = useMemo(() => {
    const ids = shownParam
      ? new Set(shownParam.split(','))
      : new Set(
          all
            .filter((instance) => instance.state === 'TASK_RUNNING')
            .slice(0, DEFAULT_SHOWN)
            .map((i) => i.taskId),
        );
    return all.filter(
      (instance): instance is AppInstance & { directory: string } =>
        ids.has(instance.taskId) && instance.directory !== null,
    );
  }, [all, shownParam]);

  const update = (patch: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(patch)) next.set(key, value);
    setParams(next, { replace: true });
  };
  const toggle = (taskId: string) => {
    const ids = new Set(shown.map((instance) => instance.taskId));
    if (ids.has(taskId)) ids.delete(taskId);
    else ids.add(taskId);
    update({ show: [...ids].join(',') });
  };

  if (!instances.data) {
    return instances.isError ? (
      <ErrorState
        title="Could not list the instances."
        error={instances.error}
        onRetry={() => instances.refetch()}
      />
    ) : (
      <LoadingState label="Loading the instances…" />
    );
  }
  const name = instances.data.frameworkName ?? frameworkId;
  return (
    <section className="file-viewer app-logs" aria-labelledby="app-logs-heading">
      <header className="file-viewer-header">
        <div className="file-viewer-title">
          <h1 id="app-logs-heading" className="page-title">
            {appName}: {file} of every instance
          </h1>
          <p className="muted">
            Framework <Link to={paths.framework.build(frameworkId)}>{name}</Link>
            {instances.data.limited ? ' · the 24 most recent instances' : ''}
          </p>
        </div>
        <div className="file-viewer-tools">
          <div className="segmented" role="group" aria-label="File">
            {(['stdout', 'stderr'] as const).map((which) => (
              <button
                key={which}
                type="button"
                className={which === file ? 'segment segment-active' : 'segment'}
                aria-pressed={which === file}
                onClick={() => update({ file: which })}
              >
                {which}
              </button>
            ))}
          </div>
          <div className="segmented" role="group" aria-label="Layout">
            {(['columns', 'merged'] as const).map((which) => (
              <button
                key={which}
                type="button"
                className={which === layout ? 'segment segment-active' : 'segment'}
                aria-pressed={which === layout}
                onClick={() => update({ layout: which })}
              >
                {which === 'columns' ? 'Side by side' : 'Merged by time'}
              </button>
            ))}
          </div>
          <ViewerSettingsControls settings={settings} onChange={setSettings} />
        </div>
      </header>
      <fieldset className="instance-picker">
        <legend>Instances</legend>
        {all.map((instance, index) => (
          <label key={instance.taskId} className="instance-choice">
            <input
              type="checkbox"
              checked={shown.some((candidate) => candidate.taskId === instance.taskId)}
              disabled={instance.directory === null}
              onChange={() => toggle(instance.taskId)}
            />
            <InstanceBadge index={index} instance={instance} /> {shortId(instance.taskId)}
            <span className="muted">
              {' '}
              {instance.state.replace('TASK_', '').toLowerCase()} on{' '}
              {instance.agentHostname ?? instance.agentId}
            </span>
          </label>
        ))}
      </fieldset>
      {shown.length === 0 ? (
        <p className="empty-state">No instance chosen (or none has a sandbox the agent told about).</p>
      ) : layout === 'merged' ? (
        <MergedLogs
          key={`${file}:${shown.map((instance) => instance.taskId).join(',')}`}
          instances={shown}
          file={file}
          wrap={settings.wrap}
        />
      ) : (
        <div className="log-panes log-panes-columns">
          {shown.map((instance) => {
            const index = all.findIndex((candidate) => candidate.taskId === instance.taskId);
            return (
              <LogPane
                key={`${instance.taskId}:${file}`}
                source={{ kind: 'agent', agentId: instance.agentId }}
                path={`${instance.directory}/${file}`}
                openAt={{ kind: 'tail' }}
                settings={settings}
                label={
                  <span className="log-pane-label">
                    <InstanceBadge index={index} instance={instance} />{' '}
                    <Link to={paths.fileView.build(instance.agentId, `${instance.directory}/${file}`)}>
                      {shortId(instance.taskId)}
                    </Link>
                  </span>
                }
                searchShortcut={false}
              />
            );
          })}
        </div>
      )}
    </section>
  );
}
