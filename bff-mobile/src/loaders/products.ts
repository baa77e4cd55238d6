import { type CallOptions, loadProductsByUpc } from '@edgeway/bff-kit';
import type { GraphQLClient } from '@edgeway/platform';
import DataLoader from 'dataloader';
import { MobileProductsByUpcDocument } from '../__generated__/gateway.js';
import { type ProductModel, productModel } from '../features/common/product.js';

/**
 * Product cards by upc: ONE `productsByUpc` gateway request per batch. Screens prime it with the
 * products their own query brought, so only the others are fetched. Null for an unknown upc.
 */
export function createProductLoader(
  gateway: GraphQLClient,
  call: CallOptions,
): DataLoader<string, ProductModel | null> {
  return new DataLoader<string, ProductModel | null>(
    (upcs) =>
      loadProductsByUpc(
        gateway,
        call,
        { upcs, document: MobileProductsByUpcDocument, variables: { upcs: [...upcs] } },
        productModel,
      ),
    { name: 'gateway.productsByUpc' },
  );
}
