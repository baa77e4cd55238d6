import type { FastifyInstance } from 'fastify';
import { registry } from '../metrics/index.js';

/** `GET /metrics`: Prometheus text exposition of this process's registry. */
export function installMetricsRoute(app: FastifyInstance): void {
  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
}
