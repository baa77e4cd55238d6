import { nonNegativeFirst } from '@edgeway/platform';
import type { UserResolvers } from '../__generated__/resolvers.js';
import { assertOwner } from '../ownership.js';

// No __resolveReference: the key is all this subgraph needs to find a user's orders.
export const User: UserResolvers = {
  orders: async (user, { first, statuses }, context) => {
    assertOwner(context, user.id);
    const count = nonNegativeFirst(first);
    const orders = await context.loaders.ordersByUser.load(user.id);
    const wanted = statuses == null ? orders : orders.filter((order) => statuses.includes(order.status));
    return count === null ? wanted : wanted.slice(0, count);
  },
};
