import { createHttpServer, type HttpServer, type Logger } from '@edgeway/platform';
import { type RecommendationData, SEED_RECOMMENDATIONS } from './data.js';
import { registerRecommendationRoutes } from './routes/recommendations.js';

export type { Recommendation, RecommendationsResponse } from './client.js';
export { type RecommendationData, SEED_RECOMMENDATIONS } from './data.js';
export { DEFAULT_LIMIT, MAX_LIMIT } from './routes/recommendations.js';

export interface RecommendationsDeps {
  logger: Logger;
  /** Picks to serve. @default SEED_RECOMMENDATIONS */
  data?: RecommendationData;
}

/** The recommendations REST service: picks for a user and products related to a product. */
export function buildApp(deps: RecommendationsDeps): HttpServer {
  const server = createHttpServer({ errorShape: 'rest', logger: deps.logger });
  registerRecommendationRoutes(server.app, { data: deps.data ?? SEED_RECOMMENDATIONS });
  return server;
}
