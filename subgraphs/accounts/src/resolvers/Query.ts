import type { QueryResolvers } from '../__generated__/resolvers.js';

export const Query: QueryResolvers = {
  me: (_parent, _args, { userId, loaders }) => (userId ? loaders.user.load(userId) : null),
  user: (_parent, { id }, { loaders }) => loaders.user.load(id),
  users: (_parent, _args, { store }) => store.all(),
};
