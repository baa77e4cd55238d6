import { AppError, assertKeyCount, MAX_PAGE_SIZE, nonNegativeFirst, pageSize } from '@edgeway/platform';
import type { QueryResolvers } from '../__generated__/resolvers.js';

export const Query: QueryResolvers = {
  topProducts: async (_parent, { first }, { store, loaders }) => {
    // Above the largest page counts as the largest page (the schema says so).
    const count = Math.min(nonNegativeFirst(first ?? 5) ?? 5, MAX_PAGE_SIZE);
    const ranking = await store.topRanking();
    return Promise.all(ranking.slice(0, count).map((upc) => loaders.product.load(upc)));
  },

  product: (_parent, { upc }, { loaders }) => loaders.product.load(upc),

  productsByUpc: (_parent, { upcs }, { loaders }) => {
    assertKeyCount(upcs);
    return Promise.all(upcs.map((upc) => loaders.product.load(upc)));
  },

  products: async (_parent, { first, after }, { store, loaders }) => {
    const limit = pageSize(first, 20);
    const page = await store.page(limit, after ?? undefined);
    if (!page) throw new AppError('BAD_USER_INPUT', '`after` is not the upc of a product');
    for (const product of page) loaders.product.prime(product.upc, product);
    return page;
  },
};
