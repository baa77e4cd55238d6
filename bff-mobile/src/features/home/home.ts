import {
  type Feature,
  type FromGateway,
  GATEWAY,
  guessScreen,
  pageSize,
  pathOf,
  required,
  sdlBeside,
  settle,
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
  const withPrices = selects(info, 'ProductCard', 'price');
  const picksKey = { id: userId ?? '', limit: PICKS };

  // The screen query and the picks are independent: both start now.
  const picks = settle(withPicks ? ctx.loaders.picks.load(picksKey) : Promise.resolve([]));
  // What the screen showed last time (its top products, the caller's picks) is usually what it
  // shows now: the screen query brings the expected picks' cards, and the one pricing call starts
  // at once, beside both. The fresh answers say whether the guess held; what it missed is fetched
  // after them.
  const guess = await guessScreen(ctx, {
    name: 'home',
    shown: 'topProducts',
    key: String(first),
    picks: withPicks ? picksKey : undefined,
    withPrices,
  });
  const expected = [...(guess.picks ?? [])];

  const screen = await settle(
    ctx.loaders.gateway.query(MobileHomeDocument, {
      first,
      withViewer,
      withOrders: withViewer && selects(info, 'Viewer', 'openOrderCount'),
      ...(expected.length > 0 ? { expected, withExpected: true } : {}),
    }),
  );
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
  (data.expected ?? []).forEach((product, i) => {
    if (product) ctx.loaders.products.prime(product.upc, productModel(product, { ...root, path: ['expected', i] }));
  });
  const topUpcs = topProducts.map((product) => product.upc);
  // A screen without its top products (the products subgraph failed) is no guess for next time.
  if (topUpcs.length > 0) guess.shown?.check(topUpcs);

  // Every product on the screen is priced in ONE pricing call: the guessed one, or, without a
  // guess, one made once the picks are known. Loads the guess covered are memoized.
  const settledPicks = await picks;
  const pickedUpcs = usablePicks(settledPicks).map((pick) => pick.upc);
  guess.checkPicks(pickedUpcs);
  const [picked] = await Promise.all([
    ctx.loaders.products.loadMany(pickedUpcs),
    withPrices ? ctx.loaders.prices.loadMany([...topUpcs, ...pickedUpcs]) : [],
    guess.priced,
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
      throwIfPicksFailed(settledPicks, cards);
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
