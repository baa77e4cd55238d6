import { type Feature, fieldOf, GATEWAY, pathOf, sdlBeside, servePicks, usablePicks } from '@edgeway/bff-kit';
import { orUnavailable, selects, withFallback } from '@edgeway/platform';
import { WebProductPageDocument } from '../../__generated__/gateway.js';
import type { ProductPageResolvers, QueryResolvers, Resolvers } from '../../__generated__/resolvers.js';
import {
  type ProductModel,
  productModel,
  rememberProducts,
  reviewsSpecOf,
  reviewVariables,
} from '../common/product.js';

/** How many related products the page shows. */
const RELATED = 4;

/** The page, fetched once; `related` throws what its dependency failed with. */
export interface ProductPageModel {
  product: ProductModel;
  related(): ProductModel[];
}

const productPage: QueryResolvers['productPage'] = async (_root, { upc }, ctx, info) => {
  const reviews = reviewsSpecOf(info);
  const price = (upcs: string[]) => (selects(info, 'Product', 'price') ? ctx.loaders.prices.loadMany(upcs) : []);

  // The product query and the related call start together. Pricing and the related products'
  // cards need only upcs, so they follow the related call without waiting for the product.
  const page = ctx.loaders.gateway.query(WebProductPageDocument, { upc, ...reviewVariables(reviews) });
  const related = selects(info, 'ProductPage', 'related')
    ? ctx.loaders.related.load({ id: upc, limit: RELATED })
    : Promise.resolve([]);
  const cards = Promise.allSettled([related]).then(async ([picks]) => {
    const upcs = usablePicks(picks).map((pick) => pick.upc);
    const [products] = await Promise.all([
      ctx.loaders.products.loadMany(upcs.map((other) => ({ upc: other, reviews }))),
      price([upc, ...upcs]),
    ]);
    return servePicks(picks, products);
  });
  const [answer, relatedCards] = await Promise.allSettled([page, cards]);

  return orUnavailable(ctx.degradation, pathOf(info), () => {
    if (answer.status === 'rejected') throw answer.reason;
    const { data, errors } = answer.value;
    const found = fieldOf(data, 'product', { errors, path: [], dependency: GATEWAY }, ['products']);
    if (!found) return null;
    const product = productModel(found, { errors, path: ['product'], dependency: GATEWAY }, reviews);
    rememberProducts(ctx, [product]);
    return {
      product,
      related() {
        if (relatedCards.status === 'rejected') throw relatedCards.reason;
        return relatedCards.value();
      },
    };
  });
};

const ProductPage: ProductPageResolvers = {
  related: (page, _args, ctx, info) =>
    withFallback(ctx.degradation, { path: pathOf(info), fallback: 'EMPTY' }, [], () => page.related()),
};

export const productPageFeature: Feature<Resolvers> = {
  typeDefs: sdlBeside(import.meta.url, 'productPage.graphql'),
  resolvers: { Query: { productPage }, ProductPage },
};
