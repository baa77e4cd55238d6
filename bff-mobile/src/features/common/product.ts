import { AppError, fieldOf, orUnavailable, withFallback } from '@edgeway/platform';
import type { GraphQLResolveInfo } from 'graphql';
import type { MobileProductCardFragment } from '../../__generated__/gateway.js';
import type { Price, ProductCardResolvers } from '../../__generated__/resolvers.js';
import type { BffContext } from '../../context.js';
import { type FromGateway, optional, pathOf, required } from './fields.js';

/** A product card as the gateway answered it (list price in `price`). */
export type ProductModel = MobileProductCardFragment & FromGateway;

export function productModel(product: MobileProductCardFragment, origin: ProductModel['origin']): ProductModel {
  const { upc, name, price, inStock, averageRating } = product;
  return { upc, name, price, inStock, averageRating, origin };
}

/**
 * The live price. When pricing fails the catalog's list price stands in (fallback LIST_PRICE);
 * when pricing simply has no price for this upc, the list price is the price (no degradation).
 */
export async function priceOf(
  product: { upc: string; price: number | null } & FromGateway,
  ctx: BffContext,
  info: GraphQLResolveInfo,
): Promise<Price> {
  const path = pathOf(info);
  const live = await withFallback(ctx.degradation, { path, fallback: 'LIST_PRICE' }, null, () =>
    ctx.loaders.prices.load(product.upc),
  );
  if (live) return { amount: live.amount, currency: live.currency, source: 'LIVE' };
  const list = await orUnavailable(ctx.degradation, path, () =>
    fieldOf(product, 'price', product.origin, ['products']),
  );
  if (list === null) throw new AppError('DEPENDENCY_UNAVAILABLE', 'No price is known for this product', { path });
  // The catalog's list prices are in USD (products subgraph).
  return { amount: list, currency: 'USD', source: 'LIST' };
}

export const ProductCard: ProductCardResolvers = {
  name: (product, _args, ctx, info) => required(product, 'name', 'products', ctx, info),
  price: (product, _args, ctx, info) => priceOf(product, ctx, info),
  inStock: (product, _args, ctx, info) => optional(product, 'inStock', 'inventory', ctx, info),
  rating: (product, _args, ctx, info) => optional(product, 'averageRating', 'reviews', ctx, info),
};
