import { type Feature, sdlBeside } from '@edgeway/bff-kit';
import type { Resolvers } from '../../__generated__/resolvers.js';
import { ProductCard } from './product.js';

export const commonFeature: Feature<Resolvers> = {
  typeDefs: sdlBeside(import.meta.url, 'common.graphql'),
  resolvers: { ProductCard },
};
