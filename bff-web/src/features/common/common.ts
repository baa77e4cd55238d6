import { type Feature, sdlBeside } from '@edgeway/bff-kit';
import type { Resolvers } from '../../__generated__/resolvers.js';
import { Product } from './product.js';
import { Review, User } from './user.js';

export const commonFeature: Feature<Resolvers> = {
  typeDefs: sdlBeside(import.meta.url, 'common.graphql'),
  resolvers: { Product, Review, User },
};
