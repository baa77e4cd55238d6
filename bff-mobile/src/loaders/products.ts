import { errorAt, type GraphQLClient } from '@edgeway/platform';
import DataLoader from 'dataloader';
import { MobileProductsByUpcDocument } from '../__generated__/gateway.js';
import { type ProductModel, productModel } from '../features/common/product.js';
import { failEach } from './batch.js';
import { GATEWAY, type Headers, withData } from './gateway.js';

/**
 * Product cards by upc: ONE `productsByUpc` gateway request per batch. Screens prime it with the
 * products their own query brought, so only the others are fetched. Null for an unknown upc.
 */
export function createProductLoader(gateway: GraphQLClient, headers: Headers): DataLoader<string, ProductModel | null> {
  return new DataLoader<string, ProductModel | null>(
    async (upcs) => {
      try {
        const response = await gateway.execute(MobileProductsByUpcDocument, { upcs: [...upcs] }, { headers });
        const { data, errors } = withData(response);
        return upcs.map((_upc, i) => {
          const product = data.productsByUpc[i];
          const path = ['productsByUpc', i];
          return product
            ? productModel(product, { errors, path, dependency: GATEWAY })
            : (errorAt(errors, path, GATEWAY, ['products']) ?? null);
        });
      } catch (error) {
        return failEach(upcs, error);
      }
    },
    { name: 'gateway.productsByUpc' },
  );
}
