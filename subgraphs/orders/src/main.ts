import { commonEnv, createLogger, loadConfig, runServer, startService } from '@edgeway/platform';
import { buildApp } from './app.js';

startService(async () => {
  const config = loadConfig({ ...commonEnv(4105) });
  const logger = createLogger({ service: 'orders', level: config.LOG_LEVEL });
  const server = await buildApp({ logger, production: config.NODE_ENV === 'production' });
  await runServer(server, { port: config.PORT, host: config.HOST });
});
