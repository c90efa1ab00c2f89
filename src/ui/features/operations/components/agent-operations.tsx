import type { AgentStateLabel } from '../../../../bff/schemas/views';
import { useOperations } from '../api/use-operations';
import { OperationButton, OperationsGroup } from './operation-button';
import { formatCount } from '../../../components/counts/format-count';

/** Drain, Deactivate or Reactivate for an agent; nothing when operations are off or the user may not operate. */
export function AgentOperations({
  agentId,
  hostname,
  state,
  activeTasks,
}: {
  agentId: string;
  hostname: string;
  state: AgentStateLabel;
  /** Tasks running on the agent now, when known. */
  activeTasks: number | null;
}) {
  const { enabled, mayOperate } = useOperations();
  if (!enabled || !mayOperate) return null;
  const name = `agent ${hostname} (id ${agentId})`;
  const tasks =
    activeTasks === null
      ? 'Its tasks'
      : `Its ${formatCount(activeTasks)} task${activeTasks === 1 ? '' : 's'}`;
  return (
    <OperationsGroup label="Agent operations">
      {state === 'Active' && (
        <>
          <OperationButton
            label="Drain"
            title={`Drain ${name}?`}
            consequence={`${tasks} will be killed (each given its kill grace period) and the agent gets no new tasks until it is reactivated.`}
            confirmLabel="Drain agent"
            operation={{ action: 'drain-agent', body: { agentId } }}
          />
          <OperationButton
            label="Deactivate"
            title={`Deactivate ${name}?`}
            consequence={`It gets no new tasks until it is reactivated. ${tasks} keep running.`}
            confirmLabel="Deactivate agent"
            operation={{ action: 'deactivate-agent', body: { agentId } }}
          />
        </>
      )}
      {state !== 'Active' && (
        <OperationButton
          label="Reactivate"
          title={`Reactivate ${name}?`}
          consequence={
            state === 'Draining'
              ? 'The drain stops and the agent is offered to frameworks again.'
              : 'The agent is offered to frameworks again and may run new tasks.'
          }
          confirmLabel="Reactivate agent"
          operation={{ action: 'reactivate-agent', body: { agentId } }}
        />
      )}
    </OperationsGroup>
  );
}
