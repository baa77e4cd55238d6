import type { FastifyInstance } from 'fastify';
import { scrubInternals } from '../errors/mask.js';
import type { DependencyEntry, DependencyRegistry } from '../resilience/registry.js';

/**
 * A dependency's entry as anyone who can reach the route may read it: its last error says why
 * (reason, a short message) but never where: URLs and host:port pairs are scrubbed, in any mode.
 */
function publicEntry(entry: DependencyEntry): DependencyEntry {
  if (!entry.lastError) return entry;
  const message = scrubInternals(entry.lastError.message).slice(0, 200);
  return { ...entry, lastError: { ...entry.lastError, message } };
}

/** `GET /health/dependencies`: every dependency with its circuit state, since when, and its last error. */
export function installDependencyRoutes(app: FastifyInstance, registry: DependencyRegistry): void {
  app.get('/health/dependencies', { config: { operator: true } }, async () => {
    const dependencies = registry.list().map(publicEntry);
    return { ready: registry.requiredAvailable(), dependencies };
  });
}
