import { createInternalVerifier, internalSigningKey } from '../auth/identity.js';
import { commonEnv, loadConfig } from '../config/index.js';
import { internalEnv } from '../config/security.js';
import type { HttpServer } from '../http/server.js';
import { runServer } from '../http/lifecycle.js';
import { createLogger } from '../log/logger.js';
import type { SubgraphAppDeps } from './subgraph.js';

/**
 * The body of every subgraph's `main.ts` (the impure part: reads env, builds, listens, drains),
 * kept in one place so a subgraph's main.ts is one `startService(() => runSubgraph(...))`.
 */
export async function runSubgraph(
  name: string,
  defaultPort: number,
  buildApp: (deps: SubgraphAppDeps<never>) => Promise<HttpServer>,
): Promise<void> {
  const config = loadConfig({ ...commonEnv(defaultPort), ...internalEnv });
  const logger = createLogger({ service: name, level: config.LOG_LEVEL });
  const credentials = createInternalVerifier({ secret: internalSigningKey(config), audience: name });
  const server = await buildApp({ logger, production: config.NODE_ENV === 'production', credentials });
  await runServer(server, {
    port: config.PORT,
    host: config.HOST,
    drainTimeoutMs: config.DRAIN_TIMEOUT_MS,
    metricsPort: config.METRICS_PORT,
  });
}
