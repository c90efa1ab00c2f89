import { useStatusOperations } from '../../status/api/get-status';

/** Whether the server allows operations (`--allow-operations`) and whether the signed-in user may send them. */
export function useOperations(): { enabled: boolean; mayOperate: boolean } {
  const operations = useStatusOperations();
  return { enabled: operations?.enabled ?? false, mayOperate: operations?.mayOperate ?? false };
}
