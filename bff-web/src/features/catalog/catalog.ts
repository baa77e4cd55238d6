import { type Feature, GATEWAY, type GatewayErrors, pageSize, pageWithNext, pathOf, sdlBeside } from '@edgeway/bff-kit';
import { orUnavailable, selects } from '@edgeway/platform';
import { WebCatalogDocument, WebCatalogFollowsDocument } from '../../__generated__/gateway.js';
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

  const { page, errors } = await orUnavailable(ctx.degradation, pathOf(info), async () => {
    let errors: GatewayErrors = [];
    const page = await pageWithNext(
      first,
      async (count) => {
        const answer = await ctx.loaders.gateway.query(WebCatalogDocument, {
          first: count,
          after,
          ...reviewVariables(reviews),
        });
        errors = answer.errors;
        return answer.data.products;
      },
      async (last) => {
        const next = await ctx.loaders.gateway.query(WebCatalogFollowsDocument, { after: last.upc });
        return next.data.products.length > 0;
      },
    );
    return { page, errors };
  });
  const products = page.items.map((product, i) =>
    productModel(product, { errors, path: ['products', i], dependency: GATEWAY }, reviews),
  );
  rememberProducts(ctx, products);
  if (selects(info, 'Product', 'price')) await ctx.loaders.prices.loadMany(products.map((product) => product.upc));

  const edges = products.map((node) => ({ cursor: encodeCursor(node.upc), node }));
  return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
};

export const catalogFeature: Feature<Resolvers> = {
  typeDefs: sdlBeside(import.meta.url, 'catalog.graphql'),
  resolvers: { Query: { catalog } },
};
