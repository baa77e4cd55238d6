import { type Feature, GATEWAY, pageSize, pathOf, sdlBeside } from '@edgeway/bff-kit';
import { orUnavailable, selects } from '@edgeway/platform';
import { WebCatalogDocument } from '../../__generated__/gateway.js';
import type { PageInfo, QueryResolvers, Resolvers } from '../../__generated__/resolvers.js';
import {
  type ProductModel,
  productModel,
  rememberProducts,
  reviewsSpecOf,
  reviewVariables,
} from '../common/product.js';
import { decodeCursor, encodeCursor } from './cursor.js';

export interface EdgeModel {
  cursor: string;
  node: ProductModel;
}

export interface ConnectionModel {
  edges: EdgeModel[];
  pageInfo: PageInfo;
}

const catalog: QueryResolvers['catalog'] = async (_root, args, ctx, info) => {
  const first = pageSize(args.first, 20);
  const after = args.after == null ? null : decodeCursor(args.after);
  const reviews = reviewsSpecOf(info);

  // One more than the page: whether it comes back says whether another page follows.
  const { data, errors } = await orUnavailable(ctx.degradation, pathOf(info), () =>
    ctx.loaders.gateway.query(WebCatalogDocument, { first: first + 1, after, ...reviewVariables(reviews) }),
  );
  const products = data.products
    .slice(0, first)
    .map((product, i) => productModel(product, { errors, path: ['products', i], dependency: GATEWAY }, reviews));
  rememberProducts(ctx, products);
  if (selects(info, 'Product', 'price')) await ctx.loaders.prices.loadMany(products.map((product) => product.upc));

  const edges = products.map((node) => ({ cursor: encodeCursor(node.upc), node }));
  return { edges, pageInfo: { hasNextPage: data.products.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
};

export const catalogFeature: Feature<Resolvers> = {
  typeDefs: sdlBeside(import.meta.url, 'catalog.graphql'),
  resolvers: { Query: { catalog } },
};
