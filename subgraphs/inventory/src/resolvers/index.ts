import type { Resolvers } from '../__generated__/resolvers.js';
import { Product } from './Product.js';

export const resolvers: Resolvers = { Product };
