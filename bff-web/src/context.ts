import type { BaseContext } from '@apollo/server';
import {
  createDegradationCollector,
  type DegradationCollector,
  type GraphQLRouteOptions,
  type Principal,
  REQUEST_ID_HEADER,
} from '@edgeway/platform';
import { createLoaders, type Loaders, type Upstreams } from './loaders/index.js';

type RouteRequest = Parameters<GraphQLRouteOptions<BaseContext>['context']>[0];

/** What every resolver gets: who calls, this request's loaders, and what it had to leave out. */
export interface BffContext extends BaseContext {
  /** Undefined for anonymous callers. */
  principal: Principal | undefined;
  requestId: string;
  /** Built per request: batching and memoization never cross requests or callers. */
  loaders: Loaders;
  degradation: DegradationCollector;
  logger: RouteRequest['log'];
}

export function createContextFactory(upstreams: Upstreams): (req: RouteRequest) => Promise<BffContext> {
  return async (req) => {
    const principal = req.principal;
    return {
      principal,
      requestId: req.id,
      loaders: createLoaders(upstreams, {
        gateway: { authorization: principal && `Bearer ${principal.token}`, [REQUEST_ID_HEADER]: req.id },
        rest: { [REQUEST_ID_HEADER]: req.id },
      }),
      degradation: createDegradationCollector(),
      logger: req.log,
    };
  };
}
