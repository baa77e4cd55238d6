import { AppError } from '@edgeway/platform';
import type { QueryResolvers } from '../__generated__/resolvers.js';

/** The most products one field answers, so one request cannot ask for the whole catalog at once. */
export const MAX_PAGE = 100;

function nonNegative(first: number): number {
  if (first < 0) throw new AppError('BAD_USER_INPUT', '`first` must not be negative');
  return first;
}

export const Query: QueryResolvers = {
  topProducts: async (_parent, { first }, { store, loaders }) => {
    const count = Math.min(nonNegative(first ?? 5), MAX_PAGE);
    const ranking = await store.topRanking();
    return Promise.all(ranking.slice(0, count).map((upc) => loaders.product.load(upc)));
  },

  product: (_parent, { upc }, { loaders }) => loaders.product.load(upc),

  productsByUpc: (_parent, { upcs }, { loaders }) => {
    if (upcs.length > MAX_PAGE) throw new AppError('BAD_USER_INPUT', `At most ${MAX_PAGE} upcs per call`);
    return Promise.all(upcs.map((upc) => loaders.product.load(upc)));
  },

  products: async (_parent, { first, after }, { store, loaders }) => {
    const limit = nonNegative(first ?? 20);
    if (limit > MAX_PAGE) throw new AppError('BAD_USER_INPUT', `\`first\` must be at most ${MAX_PAGE}`);
    const page = await store.page(limit, after ?? undefined);
    if (!page) throw new AppError('BAD_USER_INPUT', '`after` is not the upc of a product');
    for (const product of page) loaders.product.prime(product.upc, product);
    return page;
  },
};
