import { errorAt, type GraphQLClient } from '@edgeway/platform';
import DataLoader from 'dataloader';
import { WebProductsByUpcDocument } from '../__generated__/gateway.js';
import { type ProductModel, productModel, type ReviewsSpec, reviewVariables } from '../features/common/product.js';
import { asError } from './batch.js';
import { GATEWAY, type Headers, withData } from './gateway.js';

/** A product, with (`reviews`: how many; null for all) or without (false) its reviews. */
export interface ProductKey {
  upc: string;
  reviews: ReviewsSpec;
}

const keyOf = (key: ProductKey) => `${key.upc}|${key.reviews}`;

/**
 * Products by upc: ONE `productsByUpc` gateway request per batch (per reviews variant, normally
 * one). Pages prime it with the products their own query brought. Null for an unknown upc.
 */
export function createProductLoader(
  gateway: GraphQLClient,
  headers: Headers,
): DataLoader<ProductKey, ProductModel | null, string> {
  return new DataLoader<ProductKey, ProductModel | null, string>(
    async (keys) => {
      const groups = new Map<ReviewsSpec, string[]>();
      for (const { upc, reviews } of keys) groups.set(reviews, [...(groups.get(reviews) ?? []), upc]);
      const answers = new Map<string, ProductModel | Error | null>();
      await Promise.all(
        [...groups].map(async ([reviews, upcs]) => {
          try {
            const variables = { upcs, ...reviewVariables(reviews) };
            const { data, errors } = withData(await gateway.execute(WebProductsByUpcDocument, variables, { headers }));
            upcs.forEach((upc, i) => {
              const product = data.productsByUpc[i];
              const path = ['productsByUpc', i];
              answers.set(
                keyOf({ upc, reviews }),
                product
                  ? productModel(product, { errors, path, dependency: GATEWAY }, reviews)
                  : (errorAt(errors, path, GATEWAY, ['products']) ?? null),
              );
            });
          } catch (error) {
            for (const upc of upcs) answers.set(keyOf({ upc, reviews }), asError(error));
          }
        }),
      );
      return keys.map((key) => answers.get(keyOf(key)) ?? null);
    },
    { cacheKeyFn: keyOf, name: 'gateway.productsByUpc' },
  );
}
