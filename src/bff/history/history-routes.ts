import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { sendBadRequest } from '../http-errors';
import { sendView } from '../view-sender';
import type { ClusterHistory } from './cluster-history';
import { HISTORY_WINDOWS, MAX_POINTS } from './downsample';

const HistoryQuerySchema = z.object({
  window: z.enum(Object.keys(HISTORY_WINDOWS) as ['1h', '6h', '24h']).default('1h'),
});

/**
 * GET /api/history?window=1h|6h|24h: the recorded samples of that window, downsampled to a fixed number of
 * points. It answers from the history alone, so a freshly started mesoscope shows the last hours even before
 * its first poll of the cluster. The ETag changes with every new sample and every time the window slides.
 * While the history changes cluster (`switching`), the answer waits for it rather than show the old one.
 */
export function registerHistoryRoutes(
  app: FastifyInstance,
  history: ClusterHistory,
  switching: () => Promise<void> | null = () => null,
  now: () => number = Date.now,
): void {
  const cache = new Map<string, { etag: string; body: string }>();
  app.get('/api/history', async (request, reply) => {
    await switching();
    const parsed = HistoryQuerySchema.safeParse(request.query);
    if (!parsed.success) {
      return sendBadRequest(reply, `Invalid query parameter 'window': use one of 1h, 6h, 24h`);
    }
    const { window } = parsed.data;
    const at = now();
    // The window slides by whole steps; within one step an unchanged history gives the same answer.
    const step = Math.floor(at / (HISTORY_WINDOWS[window] / MAX_POINTS));
    const etag = `"h${history.version}-${window}-${step}"`;
    let entry = cache.get(window);
    if (entry?.etag !== etag) {
      entry = { etag, body: JSON.stringify(history.view(window, at)) };
      cache.set(window, entry);
    }
    return sendView(request, reply, entry);
  });
}
