import type { ProductResolvers } from '../__generated__/resolvers.js';
import { shippingEstimate } from '../shipping.js';

export const Product: ProductResolvers = {
  // The gateway sends price and weight in the representation when shippingEstimate (@requires) is asked.
  __resolveReference: async (reference, { loaders }) => ({
    upc: reference.upc,
    price: 'price' in reference ? reference.price : undefined,
    weight: 'weight' in reference ? reference.weight : undefined,
    unitsOnHand: await loaders.unitsOnHand.load(reference.upc),
  }),
  inStock: (product) => (product.unitsOnHand === null ? null : product.unitsOnHand > 0),
  shippingEstimate: (product) => shippingEstimate(product.price, product.weight),
};
