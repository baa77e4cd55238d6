// A sixth subgraph, for the differential tests only: Edgeway's own subgraphs have no union or
// interface, so this one returns the real products and users through both, and contributes one
// field (`label`) to each. Everything else about them comes from the real subgraphs.
import { buildSubgraphSchema } from '@apollo/subgraph';
import { buildSubgraphServer, type HttpServer, type Logger } from '@edgeway/platform';
import { createTestCredentials } from '@edgeway/platform/testing';
import { parse } from 'graphql';

export const LISTINGS_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  type Query {
    "Products and users, interleaved in the order asked."
    found(upcs: [String!]!, userIds: [ID!]!): [Found!]!
    listings(upcs: [String!]!, userIds: [ID!]!): [Listing!]!
    "One listing: a product when \`upc\` is given, else a user."
    listing(upc: String, userId: ID): Listing
  }

  union Found = Product | User

  interface Listing {
    label: String!
  }

  type Product implements Listing @key(fields: "upc") {
    upc: String!
    label: String!
  }

  type User implements Listing @key(fields: "id") {
    id: ID!
    label: String!
  }
`;

type Entity = { __typename: 'Product'; upc: string } | { __typename: 'User'; id: string };

const interleave = (upcs: string[], userIds: string[]): Entity[] =>
  Array.from({ length: Math.max(upcs.length, userIds.length) }, (_, i) => [
    ...(upcs[i] === undefined ? [] : [{ __typename: 'Product' as const, upc: upcs[i] }]),
    ...(userIds[i] === undefined ? [] : [{ __typename: 'User' as const, id: userIds[i] }]),
  ]).flat();

type Lists = { upcs: string[]; userIds: string[] };

const resolvers = {
  Query: {
    found: (_: unknown, { upcs, userIds }: Lists) => interleave(upcs, userIds),
    listings: (_: unknown, { upcs, userIds }: Lists) => interleave(upcs, userIds),
    listing: (_: unknown, { upc, userId }: { upc?: string; userId?: string }) =>
      upc ? { __typename: 'Product', upc } : userId ? { __typename: 'User', id: userId } : null,
  },
  Found: { __resolveType: (entity: Entity) => entity.__typename },
  Listing: { __resolveType: (entity: Entity) => entity.__typename },
  Product: {
    __resolveReference: ({ upc }: { upc: string }) => ({ __typename: 'Product', upc }),
    label: ({ upc }: { upc: string }) => `product #${upc}`,
  },
  User: {
    __resolveReference: ({ id }: { id: string }) => ({ __typename: 'User', id }),
    label: ({ id }: { id: string }) => `user #${id}`,
  },
};

/** The listings subgraph's server (not listening), answering the test credentials as the real ones do. */
export function buildListings(logger: Logger): Promise<HttpServer> {
  return buildSubgraphServer({
    schema: buildSubgraphSchema([{ typeDefs: parse(LISTINGS_SDL), resolvers }]),
    createContext: () => ({}),
    logger,
    production: false,
    credentials: createTestCredentials('listings').verifier,
  });
}
