import { errorAt, type GraphQLClient, type ResultOrigin, type TypedDocumentNode } from '@edgeway/platform';
import { failEach, traceBatch } from './batch.js';
import { type CallOptions, GATEWAY, withData } from './gateway.js';

/** A BFF's `productsByUpc` operation: each BFF selects its own fields. */
type ProductsByUpc<P, V> = TypedDocumentNode<{ productsByUpc: ReadonlyArray<P | null> }, V>;

/**
 * One `productsByUpc` gateway request, answered per upc in order, as a product loader's batch
 * returns it: the BFF's model of the product, the error that explains why it is missing, or
 * null for an unknown upc. A failed call fails every upc.
 */
export async function loadProductsByUpc<P, V, M>(
  gateway: GraphQLClient,
  call: CallOptions,
  request: { upcs: readonly string[]; document: ProductsByUpc<P, V>; variables: V },
  toModel: (product: P, origin: ResultOrigin) => M,
): Promise<Array<M | Error | null>> {
  const { upcs, document, variables } = request;
  traceBatch(GATEWAY, upcs);
  try {
    const { data, errors } = withData(await gateway.execute(document, variables, call));
    return upcs.map((_upc, i) => {
      const product = data.productsByUpc[i];
      const path = ['productsByUpc', i];
      return product
        ? toModel(product, { errors, path, dependency: GATEWAY })
        : (errorAt(errors, path, GATEWAY, ['products']) ?? null);
    });
  } catch (error) {
    return failEach(upcs, error);
  }
}
