import type { QueryResolvers } from '../__generated__/resolvers.js';
import { ownOrder } from '../ownership.js';

export const Query: QueryResolvers = {
  order: (_parent, { id }, context) => ownOrder(context, id),
};
