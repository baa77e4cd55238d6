import {
  createGraphQLClient,
  createLogger,
  createTokenVerifier,
  createUpstream,
  loadConfig,
  runServer,
  startService,
} from '@edgeway/platform';
import { createPricingClient } from '@edgeway/pricing/client';
import { createRecommendationsClient } from '@edgeway/recommendations/client';
import { buildApp } from './app.js';
import { configShape } from './config.js';

startService(async () => {
  const config = loadConfig(configShape);
  const logger = createLogger({ service: 'bff-mobile', level: config.LOG_LEVEL });
  const upstream = (name: string, baseUrl: string) =>
    createUpstream({
      name,
      baseUrl,
      timeoutMs: config.UPSTREAM_TIMEOUT_MS,
      halfOpenAfterMs: config.BREAKER_HALF_OPEN_AFTER_MS,
    });
  const gateway = upstream('gateway', config.GATEWAY_URL);
  const pricing = upstream('pricing', config.PRICING_URL);
  const recommendations = upstream('recommendations', config.RECOMMENDATIONS_URL);
  const server = await buildApp(config, {
    gateway: createGraphQLClient(gateway),
    pricing: createPricingClient(pricing),
    recommendations: createRecommendationsClient(recommendations),
    verifier: createTokenVerifier({
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      keys: new URL(config.JWKS_URL),
    }),
    logger,
  });
  await runServer(server, {
    port: config.PORT,
    host: config.HOST,
    onClose: async () => {
      await Promise.all([gateway.close(), pricing.close(), recommendations.close()]);
    },
  });
});
