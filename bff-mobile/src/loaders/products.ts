import { type CallOptions, loadProductsByUpc, MAX_PAGE_SIZE, shapeKey, shapeVariables } from '@edgeway/bff-kit';
import type { Cache, GraphQLClient } from '@edgeway/platform';
import DataLoader from 'dataloader';
import { MobileProductsByUpcDocument } from '../__generated__/gateway.js';
import { type CardShape, type ProductModel, productModel } from '../features/common/product.js';

/** A product card, with the optional parts (`shape`) its caller selected. */
export interface ProductKey {
  upc: string;
  shape: CardShape;
}

const keyOf = (key: ProductKey) => `${key.upc}|${shapeKey(key.shape)}`;

/**
 * Product cards by upc and shape: ONE `productsByUpc` gateway request per batch (per shape,
 * normally one). Screens prime it with the cards their own query brought (`primeCard`), so only
 * the others are fetched; those the gateway let the `cache` keep are not fetched either (kept per
 * shape: the variables are part of the key). Null for an unknown upc.
 */
export function createProductLoader(
  gateway: GraphQLClient,
  call: CallOptions,
  cache?: Cache,
): DataLoader<ProductKey, ProductModel | null, string> {
  return new DataLoader<ProductKey, ProductModel | null, string>(
    async (keys) => {
      const groups = new Map<string, { shape: CardShape; upcs: string[] }>();
      for (const { upc, shape } of keys) {
        const group = groups.get(shapeKey(shape)) ?? { shape, upcs: [] };
        group.upcs.push(upc);
        groups.set(shapeKey(shape), group);
      }
      const answers = new Map<string, ProductModel | Error | null>();
      await Promise.all(
        [...groups.values()].map(async ({ shape, upcs }) => {
          const variables = shapeVariables(shape);
          const document = MobileProductsByUpcDocument;
          const products = await loadProductsByUpc(gateway, call, { upcs, document, variables, cache }, productModel);
          for (const [i, upc] of upcs.entries()) answers.set(keyOf({ upc, shape }), products[i] ?? null);
        }),
      );
      return keys.map((key) => answers.get(keyOf(key)) ?? null);
    },
    // productsByUpc takes at most MAX_PAGE_SIZE upcs: a larger batch is split.
    { cacheKeyFn: keyOf, name: 'gateway.productsByUpc', maxBatchSize: MAX_PAGE_SIZE },
  );
}
