import type { ReviewResolvers } from '../__generated__/resolvers.js';
import { USERNAMES } from '../data.js';

export const Review: ReviewResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.review.load(reference.id),
  // The username rides along because the schema promises it (@provides) to the gateway.
  author: (review) => ({ id: review.authorId, username: USERNAMES[review.authorId] ?? null }),
  product: (review) => ({ upc: review.productUpc }),
};
