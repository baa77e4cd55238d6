import { AppError, fieldOf, orUnavailable, withFallback } from '@edgeway/platform';
import type { GraphQLResolveInfo } from 'graphql';
import type { BffContext } from './context.js';
import { type FromGateway, optional, pathOf, required } from './fields.js';

type Ctx = Pick<BffContext, 'degradation' | 'loaders'>;

/** A product's price as both contracts serve it (`Price`), and whether pricing or the catalog set it. */
export interface Price {
  amount: number;
  currency: string;
  source: 'LIVE' | 'LIST';
}

/** The gateway's product fields that every BFF serves, as its operations select them. */
export interface GatewayProduct extends FromGateway {
  upc: string;
  name: string | null;
  /** The catalog's list price. */
  price: number | null;
  inStock: boolean | null;
}

/**
 * The live price. When pricing fails the catalog's list price stands in (fallback LIST_PRICE);
 * when pricing simply has no price for this upc, the list price is the price (no degradation).
 */
export async function priceOf(
  product: Pick<GatewayProduct, 'upc' | 'price' | 'origin'>,
  ctx: Ctx,
  info: GraphQLResolveInfo,
): Promise<Price> {
  const path = pathOf(info);
  const live = await withFallback(ctx.degradation, { path, fallback: 'LIST_PRICE' }, null, () =>
    ctx.loaders.prices.load(product.upc),
  );
  if (live) return { amount: live.amount, currency: live.currency, source: 'LIVE' };
  const list = await orUnavailable(ctx.degradation, path, () => fieldOf(product, 'price', product.origin));
  if (list === null) throw new AppError('DEPENDENCY_UNAVAILABLE', 'No price is known for this product', { path });
  // The catalog's list prices are in USD (products subgraph).
  return { amount: list, currency: 'USD', source: 'LIST' };
}

/**
 * Resolvers of the product fields every BFF serves alike, for a BFF's product types to spread:
 * the name (products) is required, the price falls back to the list price, stock (inventory) to null.
 */
export const productFields = {
  name: (product: GatewayProduct, _args: unknown, ctx: Ctx, info: GraphQLResolveInfo) =>
    required(product, 'name', ctx, info),
  price: (product: GatewayProduct, _args: unknown, ctx: Ctx, info: GraphQLResolveInfo) => priceOf(product, ctx, info),
  inStock: (product: GatewayProduct, _args: unknown, ctx: Ctx, info: GraphQLResolveInfo) =>
    optional(product, 'inStock', ctx, info),
};
