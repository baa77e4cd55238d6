import { type Feature, sdlBeside } from '../feature.js';
import { ProductCard } from './product.js';

export const commonFeature: Feature = {
  typeDefs: sdlBeside(import.meta.url, 'common.graphql'),
  resolvers: { ProductCard },
};
