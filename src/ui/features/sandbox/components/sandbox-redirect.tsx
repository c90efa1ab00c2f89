import { Navigate } from 'react-router';
import { ErrorState, LoadingState } from '../../../components/states';
import { paths } from '../../../config/paths';
import { useSandbox, type SandboxQuery } from '../api/get-sandbox';

/** Looks up where an executor's or a task's sandbox is on its agent, then replaces itself with the browser. */
export function SandboxRedirect(query: SandboxQuery) {
  const sandbox = useSandbox(query);
  if (sandbox.data) {
    return <Navigate replace to={paths.browse.build(sandbox.data.agentId, sandbox.data.directory)} />;
  }
  if (sandbox.isError) {
    const what = query.taskId ? `task '${query.taskId}'` : `executor '${query.executorId}'`;
    return (
      <ErrorState
        title={`Could not find the sandbox of ${what} on agent '${query.agentId}'.`}
        error={sandbox.error}
        onRetry={() => sandbox.refetch()}
      />
    );
  }
  return <LoadingState label="Looking up the sandbox…" lines={1} />;
}
