import { type FromGateway, optional, productFields } from '@edgeway/bff-kit';
import type { MobileProductCardFragment } from '../../__generated__/gateway.js';
import type { ProductCardResolvers } from '../../__generated__/resolvers.js';

/** A product card as the gateway answered it (list price in `price`). */
export type ProductModel = MobileProductCardFragment & FromGateway;

export function productModel(product: MobileProductCardFragment, origin: ProductModel['origin']): ProductModel {
  const { upc, name, price, inStock, averageRating } = product;
  return { upc, name, price, inStock, averageRating, origin };
}

export const ProductCard: ProductCardResolvers = {
  ...productFields,
  rating: (product, _args, ctx, info) => optional(product, 'averageRating', ctx, info),
};
