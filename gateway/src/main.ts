import cluster from 'node:cluster';
import {
  chaosEnabled,
  createLogger,
  createTokenVerifier,
  edgeSecurityOf,
  internalSigningKey,
  runPrimary,
  runServer,
  startService,
} from '@edgeway/platform';
import { loadGatewaySettings } from './config.js';

startService(async () => {
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
  const { config, file } = loadGatewaySettings();
  const logger = createLogger({ service: 'gateway', level: config.LOG_LEVEL });
  // Checked past the schema (required in production), and before any fork: one message, not a crash loop.
  const signingKey = internalSigningKey(config);
  if (config.GATEWAY_WORKERS > 1 && cluster.isPrimary) {
    return runPrimary({
      workers: config.GATEWAY_WORKERS,
      service: 'gateway',
      logger,
      drainTimeoutMs: config.DRAIN_TIMEOUT_MS,
    });
  }
  if (file) {
    logger.info(
      { file: config.GATEWAY_CONFIG, subgraphs: Object.keys(file.subgraphs ?? {}) },
      'configuration file read',
    );
  }
  // Loaded here, not above: a worker mode primary never loads Apollo.
  const [{ installApolloPatches }, { buildGateway }] = await Promise.all([
    import('./apolloPatches.js'),
    import('./app.js'),
  ]);
  installApolloPatches({ logger, mode: config.GATEWAY_APOLLO_PATCHES });
  const verify = createTokenVerifier({
    keys: new URL(config.JWKS_URL),
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    clockToleranceSec: config.JWT_CLOCK_SKEW_S,
    maxLifetimeSec: config.JWT_MAX_LIFETIME_S,
    logger,
  });
  const gateway = await buildGateway(
    {
      production: config.NODE_ENV === 'production',
      supergraphPath: config.SUPERGRAPH_PATH,
      subgraphUrls: {},
      subgraphUrlEnvs: config.subgraphUrlEnvs,
      subgraphs: file?.subgraphs,
      configFile: config.GATEWAY_CONFIG,
      upstreamTimeoutMs: config.UPSTREAM_TIMEOUT_MS,
      halfOpenAfterMs: config.BREAKER_HALF_OPEN_AFTER_MS,
      chaosEnabled: chaosEnabled(config),
      security: edgeSecurityOf(config),
      apiKeys: config.API_KEYS ?? [],
      redisUrl: config.REDIS_URL,
      internalSigningKey: signingKey,
      responseCache: config.RESPONSE_CACHE_ENABLED,
      dedupe: config.SUBGRAPH_DEDUP_ENABLED,
      subgraphMaxResponseBytes: config.SUBGRAPH_MAX_RESPONSE_BYTES,
      maxSubgraphFetches: config.MAX_SUBGRAPH_FETCHES,
    },
    { logger, verify },
  );
  await runServer(gateway, {
    port: config.PORT,
    host: config.HOST,
    drainTimeoutMs: config.DRAIN_TIMEOUT_MS,
    metricsPort: config.METRICS_PORT,
    onClose: gateway.stop,
  });
});
