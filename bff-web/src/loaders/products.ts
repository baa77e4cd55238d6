import { type CallOptions, loadProductsByUpc, MAX_PAGE_SIZE, shapeKey } from '@edgeway/bff-kit';
import type { Cache, GraphQLClient } from '@edgeway/platform';
import DataLoader from 'dataloader';
import { WebProductsByUpcDocument } from '../__generated__/gateway.js';
import {
  type ProductModel,
  type ProductShape,
  productModel,
  productVariables,
  type ReviewsSpec,
  WHOLE_PRODUCT,
} from '../features/common/product.js';

/** A product, with (`reviews`: how many; null for all) or without (false) its reviews, and the parts `shape` (default: all). */
export interface ProductKey {
  upc: string;
  reviews: ReviewsSpec;
  shape?: ProductShape;
}

const variantOf = (key: ProductKey) => `${key.reviews}|${shapeKey(key.shape ?? WHOLE_PRODUCT)}`;
const keyOf = (key: ProductKey) => `${key.upc}|${variantOf(key)}`;

/**
 * Products by upc: ONE `productsByUpc` gateway request per batch (per reviews and shape variant,
 * normally one). Pages prime it with the products their own query brought; those the gateway let the
 * `cache` keep are not fetched either. Null for an unknown upc.
 */
export function createProductLoader(
  gateway: GraphQLClient,
  call: CallOptions,
  cache?: Cache,
): DataLoader<ProductKey, ProductModel | null, string> {
  return new DataLoader<ProductKey, ProductModel | null, string>(
    async (keys) => {
      const groups = new Map<string, { reviews: ReviewsSpec; shape: ProductShape; upcs: string[] }>();
      for (const key of keys) {
        const group = groups.get(variantOf(key)) ?? {
          reviews: key.reviews,
          shape: key.shape ?? WHOLE_PRODUCT,
          upcs: [],
        };
        group.upcs.push(key.upc);
        groups.set(variantOf(key), group);
      }
      const answers = new Map<string, ProductModel | Error | null>();
      await Promise.all(
        [...groups.values()].map(async ({ reviews, shape, upcs }) => {
          // The cache keys by the variables too: a product kept without a part never answers for it.
          const variables = productVariables(reviews, shape);
          const products = await loadProductsByUpc(
            gateway,
            call,
            { upcs, document: WebProductsByUpcDocument, variables, cache },
            (product, origin) => productModel(product, origin, reviews, shape),
          );
          for (const [i, upc] of upcs.entries()) answers.set(keyOf({ upc, reviews, shape }), products[i] ?? null);
        }),
      );
      return keys.map((key) => answers.get(keyOf(key)) ?? null);
    },
    // productsByUpc takes at most MAX_PAGE_SIZE upcs: a larger batch is split.
    { cacheKeyFn: keyOf, name: 'gateway.productsByUpc', maxBatchSize: MAX_PAGE_SIZE },
  );
}
