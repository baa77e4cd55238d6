import {
  type Feature,
  type FromGateway,
  GATEWAY,
  pageSize,
  pathOf,
  required,
  sdlBeside,
  throwIfPicksFailed,
  usablePicks,
} from '@edgeway/bff-kit';
import { fieldOf, orUnavailable, selects, withFallback } from '@edgeway/platform';
import { MobileHomeDocument, type MobileHomeQuery } from '../../__generated__/gateway.js';
import type { HomeScreenResolvers, QueryResolvers, Resolvers, ViewerResolvers } from '../../__generated__/resolvers.js';
import { type ProductModel, productModel } from '../common/product.js';

/** How many picks the home screen shows. */
const PICKS = 5;

export type ViewerModel = NonNullable<MobileHomeQuery['me']> & FromGateway;

/** The home screen, fetched once; `viewer` and `recommended` throw what their dependency failed with. */
export interface HomeModel {
  topProducts: ProductModel[];
  viewer(): ViewerModel | null;
  recommended(): ProductModel[];
}

const homeScreen: QueryResolvers['home'] = async (_root, args, ctx, info) => {
  const first = pageSize(args.first, 5);
  const userId = ctx.principal?.sub;
  const withViewer = userId !== undefined && selects(info, 'HomeScreen', 'viewer');
  const withPicks = userId !== undefined && selects(info, 'HomeScreen', 'recommended');

  // The screen query and the picks are independent: both start now.
  const [screen, picks] = await Promise.allSettled([
    ctx.loaders.gateway.query(MobileHomeDocument, {
      first,
      withViewer,
      withOrders: withViewer && selects(info, 'Viewer', 'openOrderCount'),
    }),
    withPicks ? ctx.loaders.picks.load({ id: userId, limit: PICKS }) : Promise.resolve([]),
  ]);
  const { data, root, topProducts } = await orUnavailable(ctx.degradation, pathOf(info), () => {
    if (screen.status === 'rejected') throw screen.reason;
    const { data, errors } = screen.value;
    const root = { errors, path: [], dependency: GATEWAY };
    const topProducts = (fieldOf(data, 'topProducts', root, ['products']) ?? []).flatMap((product, i) =>
      product ? [productModel(product, { ...root, path: ['topProducts', i] })] : [],
    );
    return { data, root, topProducts };
  });
  for (const product of topProducts) ctx.loaders.products.prime(product.upc, product);

  // Every product on the screen is known now: fetch the cards the screen query did not bring and
  // price all of them in one pricing call, side by side.
  const pickedUpcs = usablePicks(picks).map((pick) => pick.upc);
  const [picked] = await Promise.all([
    ctx.loaders.products.loadMany(pickedUpcs),
    selects(info, 'ProductCard', 'price')
      ? ctx.loaders.prices.loadMany([...topProducts.map((product) => product.upc), ...pickedUpcs])
      : [],
  ]);

  return {
    topProducts,
    viewer() {
      const me = withViewer ? fieldOf(data, 'me', root, ['accounts']) : null;
      return me ? { ...me, origin: { ...root, path: ['me'] } } : null;
    },
    recommended() {
      const failure = picked.find((product) => product instanceof Error);
      if (failure) throw failure;
      const cards = picked.filter(
        (product): product is ProductModel => product !== null && !(product instanceof Error),
      );
      throwIfPicksFailed(picks, cards);
      return cards;
    },
  };
};

const HomeScreen: HomeScreenResolvers = {
  viewer: (screen, _args, ctx, info) => orUnavailable(ctx.degradation, pathOf(info), () => screen.viewer()),
  recommended: (screen, _args, ctx, info) =>
    withFallback(ctx.degradation, { path: pathOf(info), fallback: 'EMPTY' }, [], () => screen.recommended()),
};

const Viewer: ViewerResolvers = {
  name: (viewer, _args, ctx, info) => required(viewer, 'name', 'accounts', ctx, info),
  openOrderCount: (viewer, _args, ctx, info) =>
    orUnavailable(
      ctx.degradation,
      pathOf(info),
      () => fieldOf(viewer, 'orders', viewer.origin, ['orders'])?.length ?? null,
    ),
};

export const homeFeature: Feature<Resolvers> = {
  typeDefs: sdlBeside(import.meta.url, 'home.graphql'),
  resolvers: { Query: { home: homeScreen }, HomeScreen, Viewer },
};
