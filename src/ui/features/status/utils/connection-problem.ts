import type { StatusView } from '../../../../bff/schemas/views';

/** What the connection banner says, if anything. */
export type ConnectionProblem =
  | {
      kind: 'server-unreachable';
      /** When the data on screen was last fetched (ms), or null when nothing was ever fetched. */
      dataFrom: number | null;
    }
  | {
      kind: 'master-unreachable';
      lastError: string;
      /** When the mesoscope server last fetched cluster data successfully (ms), or null if never. */
      lastSuccessAt: number | null;
    };

export interface StatusQueryState {
  data: StatusView | undefined;
  /** True when the latest attempt to fetch `/api/status` failed. */
  isError: boolean;
  /** When `/api/status` last answered (ms), 0 if never. */
  dataUpdatedAt: number;
}

/**
 * Decides the connection banner from the `/api/status` query: the mesoscope server itself cannot be
 * reached (the query fails), or it answers but cannot reach the leading master (`connected: false`).
 */
export function connectionProblem(query: StatusQueryState): ConnectionProblem | null {
  if (query.isError) {
    return { kind: 'server-unreachable', dataFrom: query.dataUpdatedAt > 0 ? query.dataUpdatedAt : null };
  }
  const status = query.data;
  if (!status || status.connected) return null;
  return {
    kind: 'master-unreachable',
    lastError: status.lastError ?? 'no response',
    lastSuccessAt: status.lastSuccessAt,
  };
}
