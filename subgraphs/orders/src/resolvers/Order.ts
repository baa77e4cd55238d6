import type { OrderResolvers } from '../__generated__/resolvers.js';
import { assertOwner, requireCaller } from '../ownership.js';

export const Order: OrderResolvers = {
  __resolveReference: async (reference, context) => {
    // Checked before the lookup so that anonymous callers learn nothing about which ids exist.
    requireCaller(context);
    const order = await context.loaders.order.load(reference.id);
    if (order) assertOwner(context, order.userId);
    return order;
  },
  total: (order) => order.items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0),
  user: (order) => ({ id: order.userId }),
};
