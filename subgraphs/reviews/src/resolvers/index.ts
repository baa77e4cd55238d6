import type { Resolvers } from '../__generated__/resolvers.js';
import { Product } from './Product.js';
import { Review } from './Review.js';
import { User } from './User.js';

export const resolvers: Resolvers = { Review, User, Product };
