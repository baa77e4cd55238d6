import { type CallOptions, loadProductsByUpc, MAX_PAGE_SIZE } from '@edgeway/bff-kit';
import type { Cache, GraphQLClient } from '@edgeway/platform';
import DataLoader from 'dataloader';
import { MobileProductsByUpcDocument } from '../__generated__/gateway.js';
import { type ProductModel, productModel } from '../features/common/product.js';

/**
 * Product cards by upc: ONE `productsByUpc` gateway request per batch. Screens prime it with the
 * products their own query brought, so only the others are fetched; those the gateway let the
 * `cache` keep are not fetched either. Null for an unknown upc.
 */
export function createProductLoader(
  gateway: GraphQLClient,
  call: CallOptions,
  cache?: Cache,
): DataLoader<string, ProductModel | null> {
  return new DataLoader<string, ProductModel | null>(
    (upcs) =>
      loadProductsByUpc(
        gateway,
        call,
        { upcs, document: MobileProductsByUpcDocument, variables: {}, cache },
        productModel,
      ),
    // productsByUpc takes at most MAX_PAGE_SIZE upcs: a larger batch is split.
    { name: 'gateway.productsByUpc', maxBatchSize: MAX_PAGE_SIZE },
  );
}
