import type { BaseContext } from '@apollo/server';
import {
  type Cache,
  CHAOS_HEADER,
  type ChaosPlan,
  createCache,
  createDegradationCollector,
  formatChaos,
  parseChaos,
  type DegradationCollector,
  type GraphQLClient,
  type GraphQLRouteOptions,
  type Principal,
  REQUEST_ID_HEADER,
  type RequestHeaderMapper,
} from '@edgeway/platform';
import type { PricingClient } from '@edgeway/pricing/client';
import type { RecommendationsClient } from '@edgeway/recommendations/client';
import { type CallOptions, createGatewayLoader } from './loaders/gateway.js';
import { createPriceLoader } from './loaders/prices.js';
import { createPicksLoader, createRelatedLoader } from './loaders/recommendations.js';

type RouteRequest = Parameters<GraphQLRouteOptions<BaseContext>['context']>[0];

/** The clients of a BFF's upstreams, shared by all requests. */
export interface Upstreams {
  gateway: GraphQLClient;
  pricing: PricingClient;
  recommendations: RecommendationsClient;
}

/**
 * How a request calls each upstream: the caller's token and request id to the gateway, the id to
 * REST services, and the request's injected faults (x-chaos) where it names them.
 */
export interface Forwarded {
  gateway: CallOptions;
  pricing: CallOptions;
  recommendations: CallOptions;
}

/** The BFF's own dependencies; other names in x-chaos are subgraphs, passed on to the gateway. */
const OWN_DEPENDENCIES = new Set(['gateway', 'pricing', 'recommendations']);

export interface ContextOptions {
  /** Honour the x-chaos header (development). */
  chaosEnabled: boolean;
  /** The client headers every upstream call carries (`PROPAGATE_HEADERS`). @default none */
  propagate?: RequestHeaderMapper | undefined;
  /** Last good answers that may stand in (STALE) while a dependency fails. */
  lastGood: Cache;
  /** Product cards kept for as long as the gateway allows (`SharedCaches.products`). @default none */
  products?: Cache | undefined;
}

/** What a BFF's own loaders may keep across requests (and replicas, when the cache is in Redis). */
export interface SharedCaches {
  /**
   * Product cards by upc, for `loadProductsByUpc`. Only these: live prices and recommendations
   * are asked for on every request (pricing sends no Cache-Control, and must not).
   */
  products: Cache | undefined;
}

/** A BFF's own loaders (those that send its own gateway operations), built per request. */
export type OwnLoaders<Own> = (upstreams: Upstreams, forwarded: Forwarded, caches: SharedCaches) => Own;

export type SharedLoaders = ReturnType<typeof createSharedLoaders>;

/** The loaders every BFF has: its gateway operations, live prices, and recommendations. */
function createSharedLoaders(upstreams: Upstreams, forwarded: Forwarded, lastGood: Cache) {
  return {
    gateway: createGatewayLoader(upstreams.gateway, forwarded.gateway),
    prices: createPriceLoader(upstreams.pricing, forwarded.pricing),
    picks: createPicksLoader(upstreams.recommendations, forwarded.recommendations, lastGood),
    related: createRelatedLoader(upstreams.recommendations, forwarded.recommendations, lastGood),
  };
}

function forwardedFor(
  req: RouteRequest,
  principal: Principal | undefined,
  chaos: ChaosPlan,
  propagated: Record<string, string>,
): Forwarded {
  const forSubgraphs = formatChaos(new Map([...chaos].filter(([name]) => !OWN_DEPENDENCIES.has(name))));
  // Propagated headers go first, so the BFF's own (token, request id, chaos) always win; they can
  // change an answer, so what is kept across requests is kept per their values (`vary`).
  const vary = Object.keys(propagated).length > 0 ? JSON.stringify(propagated) : undefined;
  const own = (headers: CallOptions['headers']) => ({ ...propagated, ...headers });
  return {
    gateway: {
      headers: own({
        authorization: principal && `Bearer ${principal.token}`,
        [REQUEST_ID_HEADER]: req.id,
        [CHAOS_HEADER]: forSubgraphs || undefined,
      }),
      chaos: chaos.get('gateway'),
      vary,
    },
    pricing: { headers: own({ [REQUEST_ID_HEADER]: req.id }), chaos: chaos.get('pricing'), vary },
    recommendations: { headers: own({ [REQUEST_ID_HEADER]: req.id }), chaos: chaos.get('recommendations'), vary },
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
  /**
   * What this BFF answered before (the last good answers kept for STALE fallbacks), for screens
   * that prefetch on a guess: what was true last time usually still is, and the fresh answer
   * tells whether the guess held.
   */
  lastKnown: Cache;
  logger: RouteRequest['log'];
}

export function createContextFactory<Own>(
  upstreams: Upstreams,
  ownLoaders: OwnLoaders<Own>,
  options: ContextOptions = { chaosEnabled: false, lastGood: createCache({ namespace: 'last-good' }) },
): (req: RouteRequest) => Promise<BffContext<Own>> {
  return async (req) => {
    const principal = req.principal;
    const forwarded = forwardedFor(
      req,
      principal,
      parseChaos(options.chaosEnabled ? req.headers[CHAOS_HEADER] : undefined),
      options.propagate?.(req.headers) ?? {},
    );
    return {
      principal,
      requestId: req.id,
      loaders: {
        ...createSharedLoaders(upstreams, forwarded, options.lastGood),
        ...ownLoaders(upstreams, forwarded, { products: options.products }),
      },
      degradation: createDegradationCollector(),
      lastKnown: options.lastGood,
      logger: req.log,
    };
  };
}
