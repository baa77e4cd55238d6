import {
  type Feature,
  GATEWAY,
  guessScreen,
  largest,
  pathOf,
  sdlBeside,
  settle,
  throwIfPicksFailed,
  usablePicks,
} from '@edgeway/bff-kit';
import {
  AppError,
  fieldOf,
  nonNegativeFirst,
  orUnavailable,
  selectedArguments,
  selects,
  withFallback,
} from '@edgeway/platform';
import { WebDashboardDocument, type WebDashboardQuery } from '../../__generated__/gateway.js';
import type { DashboardResolvers, OrderResolvers, QueryResolvers, Resolvers } from '../../__generated__/resolvers.js';
import {
  type ProductModel,
  productModel,
  rememberProducts,
  reviewsSpecOf,
  reviewVariables,
} from '../common/product.js';
import { type UserModel, userModel } from '../common/user.js';

/** How many picks the dashboard shows. */
const PICKS = 5;

type GatewayOrder = NonNullable<NonNullable<NonNullable<WebDashboardQuery['me']>['orders']>[number]>;
export type OrderModel = Omit<GatewayOrder, 'items'> & { items: OrderItemModel[] };
export interface OrderItemModel {
  quantity: number;
  product: ProductModel;
}

/** The dashboard, fetched once; `recentOrders` and `recommendations` throw what their dependency failed with. */
export interface DashboardModel {
  user: UserModel;
  recentOrders(): OrderModel[];
  recommendations(): ProductModel[];
}

const dashboard: QueryResolvers['dashboard'] = async (_root, _args, ctx, info) => {
  const userId = ctx.principal?.sub;
  if (userId === undefined) throw new AppError('UNAUTHENTICATED', 'Sign in to see the dashboard');
  const orderFirsts = selectedArguments(info, 'Dashboard', 'recentOrders').map((args) => args.first);
  const reviews = reviewsSpecOf(info);

  const withPicks = selects(info, 'Dashboard', 'recommendations');
  const withPrices = selects(info, 'Product', 'price');
  const picksKey = { id: userId, limit: PICKS };

  // The screen query and the picks are independent: both start now.
  const picks = settle(withPicks ? ctx.loaders.picks.load(picksKey) : Promise.resolve([]));
  // What the page priced for this user last time (their orders' products, their picks) is
  // usually what it prices now: the one pricing call starts at once, beside both, and what the
  // fresh answers add is priced after them.
  const guess = await guessScreen(ctx, {
    name: 'dashboard',
    shown: 'orders',
    key: `${userId}:${largest(orderFirsts)}`,
    picks: withPicks ? picksKey : undefined,
    withPrices,
  });
  const screen = await settle(
    ctx.loaders.gateway.query(WebDashboardDocument, {
      withOrders: orderFirsts.length > 0,
      orders: largest(orderFirsts),
      withUserReviews: selects(info, 'User', 'reviews'),
      ...reviewVariables(reviews),
    }),
  );
  const { me, origin } = await orUnavailable(ctx.degradation, pathOf(info), () => {
    if (screen.status === 'rejected') throw screen.reason;
    const { data, errors } = screen.value;
    const me = fieldOf(data, 'me', { errors, path: [], dependency: GATEWAY }, ['accounts']);
    if (!me) throw new AppError('UNAUTHENTICATED', 'The signed-in user is unknown');
    return { me, origin: { errors, path: ['me'], dependency: GATEWAY } };
  });

  const orders = me.orders?.map((order, i): OrderModel => ({
    ...order,
    items: order.items.map((item, j) => {
      const path = [...origin.path, 'orders', i, 'items', j, 'product'];
      return { quantity: item.quantity, product: productModel(item.product, { ...origin, path }, reviews) };
    }),
  }));
  const orderProducts = orders?.flatMap((order) => order.items.map((item) => item.product)) ?? [];
  rememberProducts(ctx, orderProducts);

  const orderUpcs = orderProducts.map((product) => product.upc);
  // Orders the orders subgraph could not answer are no guess for next time.
  if (orders) guess.shown?.check(orderUpcs);

  // Every product on the page is known now: fetch the picks the screen query did not bring and
  // price all of them in ONE pricing call (the guessed one; loads it covered are memoized).
  const settledPicks = await picks;
  const pickedUpcs = usablePicks(settledPicks).map((pick) => pick.upc);
  guess.checkPicks(pickedUpcs);
  const [picked] = await Promise.all([
    ctx.loaders.products.loadMany(pickedUpcs.map((upc) => ({ upc, reviews }))),
    withPrices ? ctx.loaders.prices.loadMany([...orderUpcs, ...pickedUpcs]) : [],
    guess.priced,
  ]);

  return {
    user: userModel(me, origin, me.reviews),
    recentOrders: () => (fieldOf(me, 'orders', origin, ['orders']) === null ? [] : (orders ?? [])),
    recommendations() {
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

const Dashboard: DashboardResolvers = {
  recentOrders: async (page, { first }, ctx, info) => {
    const count = nonNegativeFirst(first);
    const orders = await withFallback(ctx.degradation, { path: pathOf(info), fallback: 'EMPTY' }, [], () =>
      page.recentOrders(),
    );
    return orders.slice(0, count ?? undefined);
  },
  recommendations: (page, _args, ctx, info) =>
    withFallback(ctx.degradation, { path: pathOf(info), fallback: 'EMPTY' }, [], () => page.recommendations()),
};

const Order: OrderResolvers = {
  // The amount recorded when the order was placed: never re-priced.
  total: (order) => ({ amount: order.total, currency: order.currency, source: 'LIST' }),
};

export const dashboardFeature: Feature<Resolvers> = {
  typeDefs: sdlBeside(import.meta.url, 'dashboard.graphql'),
  resolvers: { Query: { dashboard }, Dashboard, Order },
};
