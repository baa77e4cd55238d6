import { type CallOptions, loadProductsByUpc, MAX_PAGE_SIZE } from '@edgeway/bff-kit';
import type { Cache, GraphQLClient } from '@edgeway/platform';
import DataLoader from 'dataloader';
import { WebProductsByUpcDocument } from '../__generated__/gateway.js';
import { type ProductModel, productModel, type ReviewsSpec, reviewVariables } from '../features/common/product.js';

/** A product, with (`reviews`: how many; null for all) or without (false) its reviews. */
export interface ProductKey {
  upc: string;
  reviews: ReviewsSpec;
}

const keyOf = (key: ProductKey) => `${key.upc}|${key.reviews}`;

/**
 * Products by upc: ONE `productsByUpc` gateway request per batch (per reviews variant, normally
 * one). Pages prime it with the products their own query brought; those the gateway let the
 * `cache` keep are not fetched either. Null for an unknown upc.
 */
export function createProductLoader(
  gateway: GraphQLClient,
  call: CallOptions,
  cache?: Cache,
): DataLoader<ProductKey, ProductModel | null, string> {
  return new DataLoader<ProductKey, ProductModel | null, string>(
    async (keys) => {
      const groups = new Map<ReviewsSpec, string[]>();
      for (const { upc, reviews } of keys) groups.set(reviews, [...(groups.get(reviews) ?? []), upc]);
      const answers = new Map<string, ProductModel | Error | null>();
      await Promise.all(
        [...groups].map(async ([reviews, upcs]) => {
          const products = await loadProductsByUpc(
            gateway,
            call,
            { upcs, document: WebProductsByUpcDocument, variables: reviewVariables(reviews), cache },
            (product, origin) => productModel(product, origin, reviews),
          );
          for (const [i, upc] of upcs.entries()) answers.set(keyOf({ upc, reviews }), products[i] ?? null);
        }),
      );
      return keys.map((key) => answers.get(keyOf(key)) ?? null);
    },
    // productsByUpc takes at most MAX_PAGE_SIZE upcs: a larger batch is split.
    { cacheKeyFn: keyOf, name: 'gateway.productsByUpc', maxBatchSize: MAX_PAGE_SIZE },
  );
}
