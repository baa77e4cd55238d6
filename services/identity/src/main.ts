import { createLogger, runServer, startService } from '@edgeway/platform';
import { buildApp } from './app.js';
import { loadIdentityConfig } from './config.js';
import { loadOrCreateSigningKey } from './keys.js';

startService(async () => {
  const config = loadIdentityConfig(process.env);
  const logger = createLogger({ service: 'identity', level: config.LOG_LEVEL });
  const key = await loadOrCreateSigningKey(config.IDENTITY_KEYS_DIR);
  logger.info({ kid: key.kid, keysDir: config.IDENTITY_KEYS_DIR }, 'signing key ready');
  const server = buildApp({ logger, key, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
  await runServer(server, {
    port: config.PORT,
    host: config.HOST,
    drainTimeoutMs: config.DRAIN_TIMEOUT_MS,
    metricsPort: config.METRICS_PORT,
  });
});
