import type { FastifyInstance } from 'fastify';
import { clusterMetrics, workerSlot } from '../cluster/worker.js';
import { registry } from '../metrics/index.js';

/**
 * `GET /metrics`: Prometheus text exposition of this process's registry, or in worker mode of
 * every worker's, summed (on `METRICS_PORT` when set).
 */
export function installMetricsRoute(app: FastifyInstance): void {
  const clustered = workerSlot() !== undefined;
  app.get('/metrics', { config: { operator: true } }, async (_req, reply) => {
    reply.header('content-type', registry.contentType);
    return clustered ? clusterMetrics() : registry.metrics();
  });
}
