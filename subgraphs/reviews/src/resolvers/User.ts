import type { UserResolvers } from '../__generated__/resolvers.js';

// No __resolveReference: any user id is a valid key here; an unknown author simply has no reviews.
export const User: UserResolvers = {
  reviews: (user, _args, { loaders }) => loaders.reviewsByAuthor.load(user.id),
};
