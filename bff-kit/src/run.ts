import {
  API_KEY_HEADER,
  CLIENT_NAME_HEADER,
  CLIENT_VERSION_HEADER,
  createCache,
  createGraphQLClient,
  DependencyRegistry,
  createLogger,
  createTokenVerifier,
  createUpstream,
  loadConfig,
  persistedQueryStore,
  runServer,
} from '@edgeway/platform';
import { createPricingClient } from '@edgeway/pricing/client';
import { createRecommendationsClient } from '@edgeway/recommendations/client';
import { type Bff, buildBffApp } from './app.js';
import { bffConfigShape } from './config.js';

/**
 * The body of every BFF's `main.ts` (the impure part: reads env, opens upstreams, listens and
 * drains), kept here so a BFF's main.ts is one `startService(() => runBff(bff))`.
 */
export async function runBff<Own>(bff: Bff<Own>): Promise<void> {
  const config = loadConfig(bffConfigShape(bff.port));
  const logger = createLogger({ service: bff.name, level: config.LOG_LEVEL });
  const dependencies = new DependencyRegistry();
  const upstream = (name: string, baseUrl: string, required: boolean) => {
    const client = createUpstream({
      name,
      baseUrl,
      timeoutMs: config.UPSTREAM_TIMEOUT_MS,
      halfOpenAfterMs: config.BREAKER_HALF_OPEN_AFTER_MS,
    });
    dependencies.add(client.policy, { required });
    return client;
  };
  // Without the gateway a BFF has nothing to serve; pricing and recommendations have fallbacks.
  const gateway = upstream('gateway', config.GATEWAY_URL, true);
  const pricing = upstream('pricing', config.PRICING_URL, false);
  const recommendations = upstream('recommendations', config.RECOMMENDATIONS_URL, false);
  const lastGood = createCache({ namespace: `${bff.name}:last-good`, redisUrl: config.REDIS_URL });
  const products = createCache({ namespace: `${bff.name}:products`, redisUrl: config.REDIS_URL });
  // Shared by replicas in Redis; without Redis, Apollo's own bounded in-memory cache is better
  // than an unbounded one that any client could fill.
  const apq = config.REDIS_URL ? createCache({ namespace: `${bff.name}:apq`, redisUrl: config.REDIS_URL }) : undefined;
  // The gateway labels its metrics and access lines with the calling client: this BFF.
  const gatewayHeaders = {
    [CLIENT_NAME_HEADER]: bff.name,
    ...(bff.version ? { [CLIENT_VERSION_HEADER]: bff.version } : {}),
    ...(config.GATEWAY_API_KEY ? { [API_KEY_HEADER]: config.GATEWAY_API_KEY } : {}),
  };
  const server = await buildBffApp(bff, config, {
    gateway: createGraphQLClient(gateway, { headers: gatewayHeaders }),
    pricing: createPricingClient(pricing),
    recommendations: createRecommendationsClient(recommendations),
    verifier: createTokenVerifier({
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      keys: new URL(config.JWKS_URL),
      clockToleranceSec: config.JWT_CLOCK_SKEW_S,
      maxLifetimeSec: config.JWT_MAX_LIFETIME_S,
      logger,
    }),
    logger,
    dependencies,
    lastGood,
    products,
    ...(apq && { persistedQueries: persistedQueryStore(apq) }),
  });
  await runServer(server, {
    port: config.PORT,
    host: config.HOST,
    drainTimeoutMs: config.DRAIN_TIMEOUT_MS,
    metricsPort: config.METRICS_PORT,
    onClose: async () => {
      await Promise.all([
        gateway.close(),
        pricing.close(),
        recommendations.close(),
        lastGood.disconnect(),
        products.disconnect(),
        apq?.disconnect(),
      ]);
    },
  });
}
