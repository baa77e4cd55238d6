import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import type { Feature } from './features/feature.js';
import * as features from './features/index.js';

/** The executable schema: every feature's SDL and resolvers, merged. */
export function buildSchema(): GraphQLSchema {
  const all: Feature[] = Object.values(features);
  return makeExecutableSchema({
    typeDefs: all.map((feature) => feature.typeDefs),
    resolvers: all.map((feature) => feature.resolvers) as Parameters<typeof makeExecutableSchema>[0]['resolvers'],
  });
}
