import type { BaseContext } from '@apollo/server';
import {
  createDegradationCollector,
  type DegradationCollector,
  type GraphQLClient,
  type GraphQLRouteOptions,
  type Principal,
  REQUEST_ID_HEADER,
} from '@edgeway/platform';
import type { PricingClient } from '@edgeway/pricing/client';
import type { RecommendationsClient } from '@edgeway/recommendations/client';
import { createGatewayLoader, type Headers } from './loaders/gateway.js';
import { createPriceLoader } from './loaders/prices.js';
import { createPicksLoader, createRelatedLoader } from './loaders/recommendations.js';

type RouteRequest = Parameters<GraphQLRouteOptions<BaseContext>['context']>[0];

/** The clients of a BFF's upstreams, shared by all requests. */
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

/** A BFF's own loaders (those that send its own gateway operations), built per request. */
export type OwnLoaders<Own> = (upstreams: Upstreams, forwarded: Forwarded) => Own;

export type SharedLoaders = ReturnType<typeof createSharedLoaders>;

/** The loaders every BFF has: its gateway operations, live prices, and recommendations. */
function createSharedLoaders(upstreams: Upstreams, forwarded: Forwarded) {
  return {
    gateway: createGatewayLoader(upstreams.gateway, forwarded.gateway),
    prices: createPriceLoader(upstreams.pricing, forwarded.rest),
    picks: createPicksLoader(upstreams.recommendations, forwarded.rest),
    related: createRelatedLoader(upstreams.recommendations, forwarded.rest),
  };
}

/** What every resolver gets: who calls, this request's loaders, and what it had to leave out. */
export interface BffContext<Own = unknown> extends BaseContext {
  /** Undefined for anonymous callers. */
  principal: Principal | undefined;
  requestId: string;
  /**
   * Built per request: batching and memoization never cross requests or callers. Resolvers
   * reach upstreams only through these.
   */
  loaders: SharedLoaders & Own;
  degradation: DegradationCollector;
  logger: RouteRequest['log'];
}

export function createContextFactory<Own>(
  upstreams: Upstreams,
  ownLoaders: OwnLoaders<Own>,
): (req: RouteRequest) => Promise<BffContext<Own>> {
  return async (req) => {
    const principal = req.principal;
    const forwarded: Forwarded = {
      gateway: { authorization: principal && `Bearer ${principal.token}`, [REQUEST_ID_HEADER]: req.id },
      rest: { [REQUEST_ID_HEADER]: req.id },
    };
    return {
      principal,
      requestId: req.id,
      loaders: { ...createSharedLoaders(upstreams, forwarded), ...ownLoaders(upstreams, forwarded) },
      degradation: createDegradationCollector(),
      logger: req.log,
    };
  };
}
