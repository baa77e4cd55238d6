import type { FastifyInstance } from 'fastify';
import { registry } from '../metrics/index.js';

/** `GET /metrics`: Prometheus text exposition of this process's registry (on `METRICS_PORT` when set). */
export function installMetricsRoute(app: FastifyInstance): void {
  app.get('/metrics', { config: { operator: true } }, async (_req, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
}
