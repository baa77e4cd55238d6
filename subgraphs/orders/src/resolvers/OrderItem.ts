import type { OrderItemResolvers } from '../__generated__/resolvers.js';

export const OrderItem: OrderItemResolvers = {
  product: (item) => ({ upc: item.upc }),
};
