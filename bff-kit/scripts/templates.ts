// The files `npm run new:feature` writes: a small working feature in the shape of the existing
// ones (one gateway operation, one required and one optional field, a test with fake upstreams),
// meant to be edited into the real one.

export interface Names {
  /** The feature's name, camelCase: its folder, files, root field and export (`wishlist`). */
  feature: string;
  /** Its item type (`WishlistItem`). */
  type: string;
  /** Its gateway operation, prefixed with the BFF so operation names stay unique (`MobileWishlist`). */
  operation: string;
}

export function namesOf(feature: string, bffName: string): Names {
  const pascal = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
  const prefix = bffName.replace(/^bff-/, '').split('-').map(pascal).join('');
  return { feature, type: `${pascal(feature)}Item`, operation: `${prefix}${pascal(feature)}` };
}

export const sdl = ({
  feature,
  type,
}: Names) => `# The ${feature} feature, in the client's words. Every field declared here needs a resolver in
# ${feature}.ts (${feature}.test.ts checks).

type Query {
  "The first \`first\` products of the catalog's top list; null (with a DEPENDENCY_UNAVAILABLE error) when the gateway is unavailable."
  ${feature}(first: Int = 3): [${type}!]
}

type ${type} {
  upc: ID!
  name: String!
  "Mean review rating (1..5); null when it has none or the reviews subgraph is unavailable."
  rating: Float
}
`;

export const gatewayOperation = ({
  feature,
  operation,
}: Names) => `# The ${feature} feature's one gateway request, typed by \`npm run codegen\` (${operation}Document) and
# checked against the gateway's API schema.
query ${operation}($first: Int!) {
  topProducts(first: $first) {
    upc
    name
    averageRating
  }
}
`;

export const resolvers = ({ feature, type, operation }: Names) => `import {
  type Feature,
  type FromGateway,
  fromModel,
  GATEWAY,
  optional,
  pageSize,
  pathOf,
  required,
  sdlBeside,
} from '@edgeway/bff-kit';
import { fieldOf, orUnavailable } from '@edgeway/platform';
import { ${operation}Document, type ${operation}Query } from '../../__generated__/gateway.js';
import type { ${type}Resolvers, QueryResolvers, Resolvers } from '../../__generated__/resolvers.js';

/**
 * What ${type}'s resolvers receive, as the gateway answered it (codegen maps \`<Type>Model\` to the
 * type of that name).
 */
export type ${type}Model = NonNullable<NonNullable<${operation}Query['topProducts']>[number]> & FromGateway;

const ${feature}: QueryResolvers['${feature}'] = async (_root, args, ctx, info) => {
  const first = pageSize(args.first, 3);
  // Nothing can stand in for the whole list: null with a DEPENDENCY_UNAVAILABLE error.
  return orUnavailable(ctx.degradation, pathOf(info), async () => {
    const { data, errors } = await ctx.loaders.gateway.query(${operation}Document, { first });
    const root = { errors, path: [], dependency: GATEWAY };
    const products = fieldOf(data, 'topProducts', root, ['products']) ?? [];
    return products.flatMap((product, i) => (product ? [{ ...product, origin: { ...root, path: ['topProducts', i] } }] : []));
  });
};

const ${type}: ${type}Resolvers = {
  // Read as is from the model (nothing can null it): declared, so the coverage check knows.
  ...fromModel('upc'),
  // The contract makes it non-null: a failed products subgraph is an error, not a stand-in.
  name: (product, _args, ctx, info) => required(product, 'name', 'products', ctx, info),
  // A stand-in exists: null, recorded in extensions.degraded (fallback NULL).
  rating: (product, _args, ctx, info) => optional(product, 'averageRating', 'reviews', ctx, info),
};

export const ${feature}Feature: Feature<Resolvers> = {
  typeDefs: sdlBeside(import.meta.url, '${feature}.graphql'),
  resolvers: { Query: { ${feature} }, ${type} },
};
`;

export const test = ({
  feature,
  operation,
}: Names) => `import { harnessPerTest, unresolvedFields } from '@edgeway/bff-kit/testing';
import { describe, expect, it } from 'vitest';
import { bff } from '../../app.js';
import { ${feature}Feature } from './${feature}.js';

const QUERY = /* GraphQL */ \`
  query ${operation}Test($first: Int) {
    ${feature}(first: $first) {
      upc
      name
      rating
    }
  }
\`;

// Fake upstreams (@edgeway/bff-kit/testing): the gateway's top list starts 3, 1, 7; product 1
// has ratings 4, 2, 5; product 3 has no reviews.
const start = harnessPerTest(bff);

describe('${feature}', () => {
  it('resolves every field its SDL declares', () => {
    expect(unresolvedFields(${feature}Feature)).toEqual([]);
  });

  it('answers from one gateway request', async () => {
    const { graphql, calls } = await start();
    const { status, body } = await graphql(QUERY, { variables: { first: 2 } });

    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.extensions?.degraded).toBeUndefined();
    expect(body.data.${feature}).toEqual([
      { upc: '3', name: 'Product 3', rating: null },
      { upc: '1', name: 'Product 1', rating: (4 + 2 + 5) / 3 },
    ]);
    expect(calls.gateway.map((call) => [call.operationName, call.variables])).toEqual([['${operation}', { first: 2 }]]);
  });
});

describe('${feature} when a dependency fails', () => {
  it('answers rating = null and says so when the reviews subgraph fails', async () => {
    const { graphql } = await start({ subgraphsDown: ['reviews'] });
    const { status, body, headers } = await graphql(QUERY, { variables: { first: 2 } });

    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.${feature}[1]).toEqual({ upc: '1', name: 'Product 1', rating: null });
    // One outage across the list: one entry, its index as "*", with how many fields took the fallback.
    expect(body.extensions?.degraded).toEqual([
      {
        path: ['${feature}', '*', 'rating'],
        count: 2,
        dependency: 'reviews',
        reason: 'UPSTREAM_ERROR',
        fallback: 'NULL',
      },
    ]);
    expect(headers['cache-control']).toBe('no-store');
  });

  it('answers null with DEPENDENCY_UNAVAILABLE when the gateway is down', async () => {
    const { graphql } = await start({ down: ['gateway'] });
    const { status, body } = await graphql(QUERY);

    expect(status).toBe(200);
    expect(body.data.${feature}).toBeNull();
    expect(body.errors).toEqual([
      expect.objectContaining({ path: ['${feature}'], extensions: { code: 'DEPENDENCY_UNAVAILABLE' } }),
    ]);
  });
});
`;
