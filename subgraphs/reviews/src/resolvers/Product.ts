import { nonNegativeFirst } from '@edgeway/platform';
import type { ProductResolvers } from '../__generated__/resolvers.js';

// No __resolveReference: any upc is a valid key here; a product nobody reviewed has no reviews.
export const Product: ProductResolvers = {
  reviews: async (product, { first }, { loaders }) => {
    const count = nonNegativeFirst(first);
    const reviews = await loaders.reviewsByProduct.load(product.upc);
    return count === null ? reviews : reviews.slice(0, count);
  },
  reviewCount: async (product, _args, { loaders }) => (await loaders.reviewsByProduct.load(product.upc)).length,
  averageRating: async (product, _args, { loaders }) => {
    const reviews = await loaders.reviewsByProduct.load(product.upc);
    if (reviews.length === 0) return null;
    return reviews.reduce((sum, review) => sum + review.rating, 0) / reviews.length;
  },
};
