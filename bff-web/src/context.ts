import type { Forwarded, BffContext as KitContext, SharedCaches, Upstreams } from '@edgeway/bff-kit';
import { createProductLoader } from './loaders/products.js';
import { createUserReviewsLoader } from './loaders/users.js';

/** bff-web's own loaders, built per request beside the kit's (gateway, prices, picks, related). */
export function ownLoaders(upstreams: Upstreams, forwarded: Forwarded, caches: SharedCaches) {
  return {
    products: createProductLoader(upstreams.gateway, forwarded.gateway, caches.products),
    userReviews: createUserReviewsLoader(upstreams.gateway, forwarded.gateway),
  };
}

/** What every bff-web resolver gets (codegen's context type). */
export type BffContext = KitContext<ReturnType<typeof ownLoaders>>;
