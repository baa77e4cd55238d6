import type { FastifyInstance } from 'fastify';
import type { DependencyRegistry } from '../resilience/registry.js';

/** `GET /health/dependencies`: every dependency with its circuit state, since when, and its last error. */
export function installDependencyRoutes(app: FastifyInstance, registry: DependencyRegistry): void {
  app.get('/health/dependencies', { config: { operator: true } }, async () => {
    const dependencies = registry.list();
    return { ready: registry.requiredAvailable(), dependencies };
  });
}
