import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError, errorFromResponse } from '../../../lib/api-client';
import { queryKeys } from '../../../lib/query-keys';

/** The operations the server takes (`POST /api/operations/<action>`), with the body each needs. */
export type Operation =
  | { action: 'drain-agent'; body: { agentId: string; maxGracePeriodSecs?: number } }
  | { action: 'deactivate-agent'; body: { agentId: string } }
  | { action: 'reactivate-agent'; body: { agentId: string } }
  | { action: 'teardown-framework'; body: { frameworkId: string } };

export interface OperationAnswer {
  action: string;
  target: string;
  message: string;
}

/**
 * Sends one operation. The header is what tells the server the request comes from mesoscope's own page (a
 * cross-site form cannot set it); the browser adds the Origin.
 */
export async function sendOperation({ action, body }: Operation): Promise<OperationAnswer> {
  const url = `/api/operations/${action}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/json',
        'X-Mesoscope-Operation': '1',
      },
      body: JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'mesoscope server unreachable', url);
  }
  if (!response.ok) throw await errorFromResponse(response, url);
  return (await response.json()) as OperationAnswer;
}

/** Sends an operation, then refreshes every cluster view (and the audit log) so the page shows its effect. */
export function useSendOperation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: sendOperation,
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.all }),
  });
}
