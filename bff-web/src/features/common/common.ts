import { type Feature, sdlBeside } from '../feature.js';
import { Product } from './product.js';
import { Review, User } from './user.js';

export const commonFeature: Feature = {
  typeDefs: sdlBeside(import.meta.url, 'common.graphql'),
  resolvers: { Product, Review, User },
};
