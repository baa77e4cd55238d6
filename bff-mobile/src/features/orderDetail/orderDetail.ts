import { fieldOf, type Feature, type FromGateway, fromModel, GATEWAY, pathOf, sdlBeside } from '@edgeway/bff-kit';
import { AppError, orUnavailable } from '@edgeway/platform';
import { MobileOrderDetailDocument, type MobileOrderDetailQuery } from '../../__generated__/gateway.js';
import type {
  OrderDetailResolvers,
  OrderLineResolvers,
  QueryResolvers,
  Resolvers,
} from '../../__generated__/resolvers.js';
import { type ProductModel, primeCard, productModel, WHOLE_CARD } from '../common/product.js';

type GatewayOrder = NonNullable<MobileOrderDetailQuery['order']>;
export type OrderDetailModel = Omit<GatewayOrder, 'items'> & FromGateway & { items: OrderLineModel[] };
export interface OrderLineModel {
  quantity: number;
  /** Cents paid per unit, in the order's currency. */
  unitPrice: number;
  currency: string;
  product: ProductModel;
}

const orderDetail: QueryResolvers['orderDetail'] = async (_root, { id }, ctx, info) => {
  // Orders are private: an anonymous caller is told to sign in without a gateway call.
  if (!ctx.principal) throw new AppError('UNAUTHENTICATED', 'Sign in to see your orders');
  // Nothing stands in for the order: null with DEPENDENCY_UNAVAILABLE when the orders subgraph
  // fails. Its refusal (FORBIDDEN: someone else's order) is the caller's error and passes through.
  const { order, errors } = await orUnavailable(ctx.degradation, pathOf(info), async () => {
    const { data, errors } = await ctx.loaders.gateway.query(MobileOrderDetailDocument, { id });
    return { order: fieldOf(data, 'order', { errors, path: [], dependency: GATEWAY }), errors };
  });
  if (!order) return null;
  const items = order.items.map((item, i): OrderLineModel => {
    const product = productModel(item.product, { errors, path: ['order', 'items', i, 'product'], dependency: GATEWAY });
    // Cards the screen brought need not be fetched again by anything else in this request.
    primeCard(ctx, product, WHOLE_CARD);
    return { quantity: item.quantity, unitPrice: item.unitPrice, currency: order.currency, product };
  });
  return { ...order, items, origin: { errors, path: ['order'], dependency: GATEWAY } };
};

const OrderDetail: OrderDetailResolvers = {
  ...fromModel('id', 'status', 'placedAt', 'items'),
  // The amount recorded when the order was placed: never re-priced.
  total: (order) => ({ amount: order.total, currency: order.currency, source: 'LIST' }),
};

const OrderLine: OrderLineResolvers = {
  // The product card's price is today's live price (ProductCard.price: one pricing call for
  // every line, LIST_PRICE when pricing fails).
  ...fromModel('product', 'quantity'),
  unitPrice: (line) => ({ amount: line.unitPrice, currency: line.currency, source: 'LIST' }),
};

export const orderDetailFeature: Feature<Resolvers> = {
  typeDefs: sdlBeside(import.meta.url, 'orderDetail.graphql'),
  resolvers: { Query: { orderDetail }, OrderDetail, OrderLine },
};
