import {
  fieldOf,
  type Feature,
  type FromGateway,
  GATEWAY,
  loadScreen,
  pageSize,
  pathOf,
  required,
  sdlBeside,
  shapeVariables,
} from '@edgeway/bff-kit';
import { orUnavailable, selects, withFallback } from '@edgeway/platform';
import {
  MobileHomeDocument,
  type MobileHomeQuery,
  type MobileProductCardFragment,
} from '../../__generated__/gateway.js';
import type { HomeScreenResolvers, QueryResolvers, Resolvers, ViewerResolvers } from '../../__generated__/resolvers.js';
import { cardShapeOf, type ProductModel, primeCard, productModel } from '../common/product.js';

/** How many picks the home screen shows. */
const PICKS = 5;

export type ViewerModel = NonNullable<MobileHomeQuery['me']> & FromGateway;

/** The home screen, fetched once; `viewer` throws, and `recommended` rejects with, what their dependency failed with. */
export interface HomeModel {
  topProducts: ProductModel[];
  viewer(): ViewerModel | null;
  recommended(): Promise<ProductModel[]>;
}

const homeScreen: QueryResolvers['home'] = async (_root, args, ctx, info) => {
  const first = pageSize(args.first, 5);
  const userId = ctx.principal?.sub;
  const withViewer = userId !== undefined && selects(info, 'HomeScreen', 'viewer');
  // Only what the caller selected is asked of the gateway (and so of the subgraphs); topProducts
  // left out is absent from the answer: none are shown.
  const withTopProducts = selects(info, 'HomeScreen', 'topProducts');
  const shape = cardShapeOf(info);
  const screen = await loadScreen(ctx, info, {
    name: 'home',
    shown: 'topProducts',
    // A home without top products shows none: its guess is kept apart (empty).
    key: withTopProducts ? String(first) : `${first}:none`,
    picks:
      userId !== undefined && selects(info, 'HomeScreen', 'recommended') ? { id: userId, limit: PICKS } : undefined,
    withPrices: selects(info, 'ProductCard', 'price'),
    // The expected picks' cards come with the screen query.
    query: (expected) =>
      ctx.loaders.gateway.query(MobileHomeDocument, {
        first,
        ...(withTopProducts ? {} : { withTopProducts: false }),
        ...shapeVariables(shape),
        withViewer,
        withOrders: withViewer && selects(info, 'Viewer', 'openOrderCount'),
        ...(expected.length > 0 ? { expected: [...expected], withExpected: true } : {}),
      }),
    read: ({ data, errors }) => {
      const root = { errors, path: [], dependency: GATEWAY };
      const card = (path: Array<string | number>) => (product: MobileProductCardFragment | null) =>
        product ? [productModel(product, { ...root, path })] : [];
      const topProducts = (fieldOf(data, 'topProducts', root) ?? []).flatMap((product, i) =>
        card(['topProducts', i])(product),
      );
      const expected = (data.expected ?? []).flatMap((product, i) => card(['expected', i])(product));
      for (const product of [...topProducts, ...expected]) primeCard(ctx, product, shape);
      const shown = topProducts.map((product) => product.upc);
      // A screen without its top products is no guess for next time.
      return { model: { data, root, topProducts }, shown, complete: !withTopProducts || shown.length > 0 };
    },
    cards: (upcs) => ctx.loaders.products.loadMany(upcs.map((upc) => ({ upc, shape }))),
  });
  const { data, root, topProducts } = screen.model;
  return {
    topProducts,
    viewer() {
      const me = withViewer ? fieldOf(data, 'me', root) : null;
      return me ? { ...me, origin: { ...root, path: ['me'] } } : null;
    },
    recommended: screen.picks,
  };
};

const HomeScreen: HomeScreenResolvers = {
  viewer: (screen, _args, ctx, info) => orUnavailable(ctx.degradation, pathOf(info), () => screen.viewer()),
  recommended: (screen, _args, ctx, info) =>
    withFallback(ctx.degradation, { path: pathOf(info), fallback: 'EMPTY' }, [], () => screen.recommended()),
};

const Viewer: ViewerResolvers = {
  name: (viewer, _args, ctx, info) => required(viewer, 'name', ctx, info),
  openOrderCount: (viewer, _args, ctx, info) =>
    orUnavailable(ctx.degradation, pathOf(info), () => fieldOf(viewer, 'orders', viewer.origin)?.length ?? null),
};

export const homeFeature: Feature<Resolvers> = {
  typeDefs: sdlBeside(import.meta.url, 'home.graphql'),
  resolvers: { Query: { home: homeScreen }, HomeScreen, Viewer },
};
