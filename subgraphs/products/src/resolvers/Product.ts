import type { ProductResolvers } from '../__generated__/resolvers.js';

export const Product: ProductResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.product.load(reference.upc),
};
