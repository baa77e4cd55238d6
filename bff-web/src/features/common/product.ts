import {
  type CardShape,
  type FromGateway,
  largest,
  narrowerShapes,
  optional,
  pathOf,
  productFields,
  shapeOf,
  shapeVariables,
} from '@edgeway/bff-kit';
import { fieldOf, nonNegativeFirst, selectedArguments, withFallback } from '@edgeway/platform';
import type { GraphQLResolveInfo } from 'graphql';
import type { WebProductFragment } from '../../__generated__/gateway.js';
import type { ProductResolvers } from '../../__generated__/resolvers.js';
import type { BffContext } from '../../context.js';
import { reviewModel } from './user.js';

/** Which reviews came with a product: none (false), the newest N, or all (null). */
export type ReviewsSpec = false | number | null;

/** WebProduct's optional parts, by its include variables. */
export type ProductShape = CardShape<'withWeight' | 'withStock' | 'withShipping' | 'withRating'>;
type Part = 'weight' | 'inStock' | 'shippingEstimate' | 'averageRating';

/** What pages that do not look at their caller's selection fetch: the whole product. */
export const WHOLE_PRODUCT: ProductShape = { withWeight: true, withStock: true, withShipping: true, withRating: true };

/** The product parts a caller selects below the field being resolved. */
export function productShapeOf(info: GraphQLResolveInfo): ProductShape {
  return shapeOf(info, {
    withWeight: [['Product', 'weight']],
    withStock: [['Product', 'inStock']],
    withShipping: [['Product', 'shippingEstimate']],
    withRating: [['Product', 'averageRating']],
  });
}

/**
 * A product as the gateway answered it (list price in `price`), which reviews came with it, and
 * which parts (`shape`). A part its shape left out reads null: such a product is never served to
 * a caller that selects that part (see `rememberProducts` and the product loader).
 */
export type ProductModel = Omit<WebProductFragment, Part> & {
  [K in Part]-?: Exclude<WebProductFragment[K], undefined>;
} & FromGateway & {
    reviewsFetched: ReviewsSpec;
    shape: ProductShape;
  };

export function productModel(
  product: WebProductFragment,
  origin: FromGateway['origin'],
  reviews: ReviewsSpec,
  shape: ProductShape = WHOLE_PRODUCT,
) {
  const { weight = null, inStock = null, shippingEstimate = null, averageRating = null } = product;
  const parts = { weight, inStock, shippingEstimate, averageRating };
  return { ...product, ...parts, origin, reviewsFetched: reviews, shape } satisfies ProductModel;
}

/** The reviews a page's products need: every `Product.reviews(first)` the operation selects below this field. */
export function reviewsSpecOf(info: GraphQLResolveInfo): ReviewsSpec {
  const firsts = selectedArguments(info, 'Product', 'reviews').map((args) => args.first);
  return firsts.length === 0 ? false : largest(firsts);
}

export function reviewVariables(reviews: ReviewsSpec) {
  return { withReviews: reviews !== false, reviewsFirst: reviews === false ? null : reviews };
}

/** What asks the gateway for a product with these reviews and parts (see WebProduct). */
export function productVariables(reviews: ReviewsSpec, shape: ProductShape) {
  const groups = {
    withInventoryFields: shape.withStock || shape.withShipping,
    withReviewFields: shape.withRating || reviews !== false,
  };
  return { ...reviewVariables(reviews), ...shapeVariables({ ...shape, ...groups }) };
}

/**
 * Remembers products a page's own query brought, so the product loader does not fetch them again:
 * under every shape each can serve, never one asking for a part it was fetched without.
 */
export function rememberProducts(ctx: BffContext, products: readonly ProductModel[]): void {
  for (const product of products) {
    for (const shape of narrowerShapes(product.shape)) {
      ctx.loaders.products.prime({ upc: product.upc, reviews: product.reviewsFetched, shape }, product);
      ctx.loaders.products.prime({ upc: product.upc, reviews: false, shape }, product);
    }
  }
}

function covers(fetched: ReviewsSpec, wanted: number | null): boolean {
  return fetched === null || (fetched !== false && wanted !== null && wanted <= fetched);
}

export const Product: ProductResolvers = {
  ...productFields,
  weight: (product, _args, ctx, info) => optional(product, 'weight', ctx, info),
  shippingEstimate: (product, _args, ctx, info) => optional(product, 'shippingEstimate', ctx, info),
  averageRating: (product, _args, ctx, info) => optional(product, 'averageRating', ctx, info),
  reviews: async (product, { first }, ctx, info) => {
    const wanted = nonNegativeFirst(first);
    return withFallback(ctx.degradation, { path: pathOf(info), fallback: 'EMPTY' }, [], async () => {
      // Pages fetch the reviews they select with their products; a product reached some other way loads them.
      const source = covers(product.reviewsFetched, wanted)
        ? product
        : await ctx.loaders.products.load({ upc: product.upc, reviews: wanted, shape: product.shape });
      if (!source) return [];
      const { origin } = source;
      const reviews = fieldOf(source, 'reviews', origin) ?? [];
      return reviews
        .flatMap((review, i) =>
          review ? [reviewModel(review, { ...origin, path: [...origin.path, 'reviews', i] })] : [],
        )
        .slice(0, wanted ?? undefined);
    });
  },
};
