import {
  type CardShape as Shape,
  type FromGateway,
  narrowerShapes,
  optional,
  productFields,
  shapeOf,
} from '@edgeway/bff-kit';
import type { GraphQLResolveInfo } from 'graphql';
import type { MobileProductCardFragment } from '../../__generated__/gateway.js';
import type { ProductCardResolvers } from '../../__generated__/resolvers.js';
import type { BffContext } from '../../context.js';

/**
 * A product card as the gateway answered it (list price in `price`). A part its shape left out
 * reads null: the loader never serves such a card to a caller that selects that part.
 */
export type ProductModel = Omit<MobileProductCardFragment, 'inStock' | 'averageRating'> &
  FromGateway & { inStock: boolean | null; averageRating: number | null };

/** A card's optional parts, by MobileProductCard's include variables. */
export type CardShape = Shape<'withStock' | 'withRating'>;

/** What screens that do not look at their caller's selection fetch: the whole card. */
export const WHOLE_CARD: CardShape = { withStock: true, withRating: true };

/** The card parts a caller selects below the field being resolved. */
export function cardShapeOf(info: GraphQLResolveInfo): CardShape {
  return shapeOf(info, { withStock: [['ProductCard', 'inStock']], withRating: [['ProductCard', 'rating']] });
}

export function productModel(product: MobileProductCardFragment, origin: ProductModel['origin']): ProductModel {
  const { upc, name, price, inStock, averageRating } = product;
  return { upc, name, price, inStock: inStock ?? null, averageRating: averageRating ?? null, origin };
}

/**
 * Remembers a card a screen's own query brought, fetched as `shape`, so the product loader does
 * not fetch it again: under every shape it can serve, never one asking for a part it lacks.
 */
export function primeCard(ctx: Pick<BffContext, 'loaders'>, product: ProductModel, shape: CardShape): void {
  for (const served of narrowerShapes(shape)) ctx.loaders.products.prime({ upc: product.upc, shape: served }, product);
}

export const ProductCard: ProductCardResolvers = {
  ...productFields,
  rating: (product, _args, ctx, info) => optional(product, 'averageRating', ctx, info),
};
