import {
  fieldOf,
  type Feature,
  GATEWAY,
  largest,
  loadScreen,
  nonNegativeFirst,
  pathOf,
  sdlBeside,
} from '@edgeway/bff-kit';
import { AppError, selectedArguments, selects, withFallback } from '@edgeway/platform';
import { WebDashboardDocument, type WebDashboardQuery } from '../../__generated__/gateway.js';
import type { DashboardResolvers, OrderResolvers, QueryResolvers, Resolvers } from '../../__generated__/resolvers.js';
import {
  type ProductModel,
  productModel,
  productShapeOf,
  rememberProducts,
  productVariables,
  reviewsSpecOf,
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

/** The dashboard, fetched once; `recentOrders` throws, and `recommendations` rejects with, what their dependency failed with. */
export interface DashboardModel {
  user: UserModel;
  recentOrders(): OrderModel[];
  recommendations(): Promise<ProductModel[]>;
}

const dashboard: QueryResolvers['dashboard'] = async (_root, _args, ctx, info) => {
  const userId = ctx.principal?.sub;
  if (userId === undefined) throw new AppError('UNAUTHENTICATED', 'Sign in to see the dashboard');
  const orderFirsts = selectedArguments(info, 'Dashboard', 'recentOrders').map((args) => args.first);
  const reviews = reviewsSpecOf(info);
  // The products' parts the page selected: the others are not asked of the gateway.
  const shape = productShapeOf(info);
  const screen = await loadScreen(ctx, info, {
    name: 'dashboard',
    shown: 'orders',
    key: `${userId}:${largest(orderFirsts)}`,
    picks: selects(info, 'Dashboard', 'recommendations') ? { id: userId, limit: PICKS } : undefined,
    withPrices: selects(info, 'Product', 'price'),
    query: () =>
      ctx.loaders.gateway.query(WebDashboardDocument, {
        withOrders: orderFirsts.length > 0,
        orders: largest(orderFirsts),
        withUserReviews: selects(info, 'User', 'reviews'),
        ...productVariables(reviews, shape),
      }),
    read: ({ data, errors }) => {
      const me = fieldOf(data, 'me', { errors, path: [], dependency: GATEWAY });
      if (!me) throw new AppError('UNAUTHENTICATED', 'The signed-in user is unknown');
      const origin = { errors, path: ['me'], dependency: GATEWAY };
      const orders = me.orders?.map((order, i): OrderModel => ({
        ...order,
        items: order.items.map((item, j) => {
          const path = [...origin.path, 'orders', i, 'items', j, 'product'];
          return { quantity: item.quantity, product: productModel(item.product, { ...origin, path }, reviews, shape) };
        }),
      }));
      const products = orders?.flatMap((order) => order.items.map((item) => item.product)) ?? [];
      rememberProducts(ctx, products);
      // Orders the orders subgraph could not answer are no guess for next time.
      return { model: { me, origin, orders }, shown: products.map((p) => p.upc), complete: orders !== undefined };
    },
    cards: (upcs) => ctx.loaders.products.loadMany(upcs.map((upc) => ({ upc, reviews, shape }))),
  });
  const { me, origin, orders } = screen.model;
  return {
    user: userModel(me, origin, me.reviews),
    recentOrders: () => (fieldOf(me, 'orders', origin) === null ? [] : (orders ?? [])),
    recommendations: screen.picks,
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
