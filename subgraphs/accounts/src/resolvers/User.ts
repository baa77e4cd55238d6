import type { UserResolvers } from '../__generated__/resolvers.js';

export const User: UserResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.user.load(reference.id),
};
