import { describe, expect, it } from 'vitest';
import { unresolvedFields } from './coverage.js';

const typeDefs = /* GraphQL */ `
  type Query {
    wishlist: [Item!]
  }
  type Item {
    upc: ID!
    name: String
  }
  extend type HomeScreen {
    wishlistCount: Int
  }
  enum Ignored {
    A
  }
`;

describe('unresolvedFields', () => {
  it('names every declared field, of defined and extended types, without a resolver', () => {
    expect(
      unresolvedFields({ typeDefs, resolvers: { Query: { wishlist: () => [] }, Item: { upc: () => '1' } } }),
    ).toEqual(['Item.name', 'HomeScreen.wishlistCount']);
  });

  it('accepts resolver functions and { resolve } objects', () => {
    const resolvers = {
      Query: { wishlist: () => [] },
      Item: { upc: () => '1', name: { resolve: () => 'x' } },
      HomeScreen: { wishlistCount: () => 0 },
    };
    expect(unresolvedFields({ typeDefs, resolvers })).toEqual([]);
  });

  it('does not count a value that is not a resolver', () => {
    const resolvers = {
      Query: { wishlist: [] },
      Item: { upc: () => '1', name: () => 'x' },
      HomeScreen: { wishlistCount: 0 },
    };
    expect(unresolvedFields({ typeDefs, resolvers })).toEqual(['Query.wishlist', 'HomeScreen.wishlistCount']);
  });
});
