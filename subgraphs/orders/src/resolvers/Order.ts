import type { OrderResolvers } from '../__generated__/resolvers.js';
import { ownOrder } from '../ownership.js';

export const Order: OrderResolvers = {
  __resolveReference: (reference, context) => ownOrder(context, reference.id),
  total: (order) => order.items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0),
  user: (order) => ({ id: order.userId }),
};
