import type { GraphQLClient } from '@edgeway/platform';
import type { PricingClient } from '@edgeway/pricing/client';
import type { RecommendationsClient } from '@edgeway/recommendations/client';
import { createGatewayLoader, type Headers } from './gateway.js';
import { createPriceLoader } from './prices.js';
import { createProductLoader } from './products.js';
import { createPicksLoader, createRelatedLoader } from './recommendations.js';
import { createUserReviewsLoader } from './users.js';

/** The clients of bff-web's upstreams, shared by all requests. */
export interface Upstreams {
  gateway: GraphQLClient;
  pricing: PricingClient;
  recommendations: RecommendationsClient;
}

/** Headers a request forwards: the caller's token and request id to the gateway, the id to REST services. */
export interface Forwarded {
  gateway: Headers;
  rest: Headers;
}

export type Loaders = ReturnType<typeof createLoaders>;

/** One request's loaders: resolvers reach upstreams only through these. */
export function createLoaders(upstreams: Upstreams, forwarded: Forwarded) {
  return {
    gateway: createGatewayLoader(upstreams.gateway, forwarded.gateway),
    products: createProductLoader(upstreams.gateway, forwarded.gateway),
    userReviews: createUserReviewsLoader(upstreams.gateway, forwarded.gateway),
    prices: createPriceLoader(upstreams.pricing, forwarded.rest),
    picks: createPicksLoader(upstreams.recommendations, forwarded.rest),
    related: createRelatedLoader(upstreams.recommendations, forwarded.rest),
  };
}
