import { commonEnv, createLogger, loadConfig, runServer, startService } from '@edgeway/platform';
import { buildApp } from './app.js';

startService(async () => {
  const config = loadConfig(commonEnv(4202));
  const logger = createLogger({ service: 'recommendations', level: config.LOG_LEVEL });
  await runServer(buildApp({ logger }), {
    port: config.PORT,
    host: config.HOST,
    drainTimeoutMs: config.DRAIN_TIMEOUT_MS,
    metricsPort: config.METRICS_PORT,
  });
});
