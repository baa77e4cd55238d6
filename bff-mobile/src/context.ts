import type { Forwarded, BffContext as KitContext, SharedCaches, Upstreams } from '@edgeway/bff-kit';
import { createProductLoader } from './loaders/products.js';

/** bff-mobile's own loaders, built per request beside the kit's (gateway, prices, picks, related). */
export function ownLoaders(upstreams: Upstreams, forwarded: Forwarded, caches: SharedCaches) {
  return { products: createProductLoader(upstreams.gateway, forwarded.gateway, caches.products) };
}

/** What every bff-mobile resolver gets (codegen's context type). */
export type BffContext = KitContext<ReturnType<typeof ownLoaders>>;
