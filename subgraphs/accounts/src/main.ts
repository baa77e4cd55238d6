import {
  commonEnv,
  createInternalVerifier,
  createLogger,
  internalEnv,
  internalSigningKey,
  loadConfig,
  runServer,
  startService,
} from '@edgeway/platform';
import { buildApp } from './app.js';

startService(async () => {
  const config = loadConfig({ ...commonEnv(4101), ...internalEnv });
  const logger = createLogger({ service: 'accounts', level: config.LOG_LEVEL });
  const credentials = createInternalVerifier({ secret: internalSigningKey(config), audience: 'accounts' });
  const server = await buildApp({ logger, production: config.NODE_ENV === 'production', credentials });
  await runServer(server, { port: config.PORT, host: config.HOST, drainTimeoutMs: config.DRAIN_TIMEOUT_MS });
});
