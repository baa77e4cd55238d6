import {
  type Feature,
  type FromGateway,
  GATEWAY,
  largest,
  optional,
  pathOf,
  productFields,
  sdlBeside,
} from '@edgeway/bff-kit';
import { fieldOf, nonNegativeFirst, orUnavailable, selectedArguments, selects, withFallback } from '@edgeway/platform';
import { MobileProductScreenDocument, type MobileProductScreenQuery } from '../../__generated__/gateway.js';
import type {
  ProductScreenResolvers,
  QueryResolvers,
  Resolvers,
  ReviewSnippetResolvers,
} from '../../__generated__/resolvers.js';

type ScreenProduct = NonNullable<MobileProductScreenQuery['product']>;
export type ProductScreenModel = ScreenProduct & FromGateway;
export type ReviewSnippetModel = NonNullable<NonNullable<ScreenProduct['reviews']>[number]>;

const productScreen: QueryResolvers['product'] = async (_root, { upc }, ctx, info) => {
  const topReviews = selectedArguments(info, 'ProductScreen', 'topReviews').map((args) => args.first);
  // The upc is all pricing needs: its call starts beside the gateway's, not after it.
  if (selects(info, 'ProductScreen', 'price')) void ctx.loaders.prices.loadMany([upc]);
  return orUnavailable(ctx.degradation, pathOf(info), async () => {
    const { data, errors } = await ctx.loaders.gateway.query(MobileProductScreenDocument, {
      upc,
      withReviews: topReviews.length > 0,
      reviews: largest(topReviews),
    });
    const product = fieldOf(data, 'product', { errors, path: [], dependency: GATEWAY }, ['products']);
    return product && { ...product, origin: { errors, path: ['product'], dependency: GATEWAY } };
  });
};

const ProductScreen: ProductScreenResolvers = {
  ...productFields,
  shippingEstimate: (product, _args, ctx, info) => optional(product, 'shippingEstimate', 'inventory', ctx, info),
  rating: (product, _args, ctx, info) => optional(product, 'averageRating', 'reviews', ctx, info),
  reviewCount: (product, _args, ctx, info) => optional(product, 'reviewCount', 'reviews', ctx, info),
  topReviews: async (product, { first }, ctx, info) => {
    const count = nonNegativeFirst(first);
    const reviews = await withFallback(ctx.degradation, { path: pathOf(info), fallback: 'EMPTY' }, [], () =>
      fieldOf(product, 'reviews', product.origin, ['reviews']),
    );
    return (reviews ?? []).filter((review) => review !== null).slice(0, count ?? undefined);
  },
};

const ReviewSnippet: ReviewSnippetResolvers = {
  body: (review) => review.body ?? '',
  author: (review) => review.author?.username ?? null,
};

export const productFeature: Feature<Resolvers> = {
  typeDefs: sdlBeside(import.meta.url, 'product.graphql'),
  resolvers: { Query: { product: productScreen }, ProductScreen, ReviewSnippet },
};
