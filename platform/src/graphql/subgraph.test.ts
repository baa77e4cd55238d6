import { buildSchema, type GraphQLObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../log/logger.js';
import { createTestCredentials } from '../testing/credentials.js';
import { buildSubgraphServer } from './subgraph.js';

// A subgraph answer says how long it may be kept (Apollo's cache-control plugin, on by default in
// createGraphQLServer), from the schema's @cacheControl hints: this is what the gateway aggregates.
const schema = buildSchema(/* GraphQL */ `
  enum CacheControlScope {
    PUBLIC
    PRIVATE
  }
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT

  type Query {
    catalogue: String @cacheControl(maxAge: 60)
    mine: String @cacheControl(maxAge: 30, scope: PRIVATE)
    broken: String @cacheControl(maxAge: 60)
    unhinted: Thing
  }
  type Thing {
    name: String
  }
  type Mutation {
    bump: Int
  }
`);
const resolvers: Record<string, Record<string, () => unknown>> = {
  Query: {
    catalogue: () => 'chairs',
    mine: () => 'my chairs',
    broken: () => {
      throw new Error('no');
    },
    unhinted: () => ({ name: 'thing' }),
  },
  Mutation: { bump: () => 1 },
};
for (const [type, fields] of Object.entries(resolvers)) {
  const object = schema.getType(type) as GraphQLObjectType;
  for (const [field, resolve] of Object.entries(fields)) object.getFields()[field]!.resolve = resolve;
}

const credentials = createTestCredentials('things');
const server = await buildSubgraphServer({
  schema,
  createContext: () => ({}),
  logger: createLogger({ service: 'things', level: 'silent' }),
  production: false,
  credentials: credentials.verifier,
});
beforeAll(() => server.app.ready());
afterAll(() => server.app.close());

async function cacheControlOf(query: string) {
  const response = await server.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', ...(await credentials.headers({ query }, 'u1')) },
    payload: { query },
  });
  expect(response.statusCode).toBe(200);
  return response.headers['cache-control'];
}

describe('a subgraph answer', () => {
  it('carries the Cache-Control its hints allow', async () => {
    expect(await cacheControlOf('{ catalogue }')).toBe('max-age=60, public');
    expect(await cacheControlOf('{ catalogue mine }')).toBe('max-age=30, private');
  });

  it('is never kept with errors, without hints, or for a mutation', async () => {
    expect(await cacheControlOf('{ catalogue broken }')).toBe('no-store');
    expect(await cacheControlOf('{ catalogue unhinted { name } }')).toBe('no-store');
    expect(await cacheControlOf('mutation { bump }')).toBe('no-store');
  });
});
