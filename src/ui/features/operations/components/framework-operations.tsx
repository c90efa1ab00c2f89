import { useOperations } from '../api/use-operations';
import { OperationButton, OperationsGroup } from './operation-button';
import { formatCount } from '../../../components/counts/format-count';

/** Tear down for a framework; nothing when operations are off or the user may not operate, no button once it has ended. */
export function FrameworkOperations({
  frameworkId,
  name,
  activeTasks,
  terminated,
}: {
  frameworkId: string;
  name: string;
  activeTasks: number;
  terminated: boolean;
}) {
  const { enabled, mayOperate } = useOperations();
  if (!enabled || !mayOperate) return null;
  const tasks = `Its ${formatCount(activeTasks)} task${activeTasks === 1 ? '' : 's'} will be killed`;
  return (
    <OperationsGroup label="Framework operations">
      {!terminated && (
        <OperationButton
          label="Tear down"
          title={`Tear down framework ${name || '(no name)'} (id ${frameworkId})?`}
          consequence={`${tasks}, its executors shut down, and the framework cannot register again with this id.`}
          confirmLabel="Tear down framework"
          operation={{ action: 'teardown-framework', body: { frameworkId } }}
        />
      )}
    </OperationsGroup>
  );
}
