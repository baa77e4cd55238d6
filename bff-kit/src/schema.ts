import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import type { Feature } from './feature.js';

/** A BFF's executable schema: every feature's SDL and resolvers, merged. */
export function buildBffSchema(features: ReadonlyArray<Feature>): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs: features.map((feature) => feature.typeDefs),
    resolvers: features.map((feature) => feature.resolvers) as Parameters<typeof makeExecutableSchema>[0]['resolvers'],
  });
}
