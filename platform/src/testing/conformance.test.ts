import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { contractViolations } from './conformance.js';

const contract = buildSchema(/* GraphQL */ `
  type Query {
    home(first: Int = 5): Home!
  }
  type Home {
    items: [Item!]!
  }
  type Item {
    id: ID!
    kind: Kind
  }
  enum Kind {
    A
    B
  }
`);

describe('contractViolations', () => {
  it('accepts a schema that serves the contract and adds to it', () => {
    const actual = buildSchema(/* GraphQL */ `
      type Query {
        home(first: Int = 5, region: String): Home!
        extra: Int
      }
      type Home {
        items: [Item!]!
        more: String
      }
      type Item {
        id: ID!
        kind: Kind
      }
      enum Kind {
        A
        B
        C
      }
    `);
    expect(contractViolations(contract, actual)).toEqual([]);
  });

  it('names every break: missing, retyped, new default, required argument, lost enum value', () => {
    const actual = buildSchema(/* GraphQL */ `
      type Query {
        home(first: Int = 10, region: String!): Home
      }
      type Home {
        other: Int
      }
      type Item {
        id: String!
        kind: Kind
      }
      enum Kind {
        A
      }
    `);
    expect(contractViolations(contract, actual)).toEqual([
      'Query.home is Home, expected Home!',
      'Home.items is missing',
      'Item.id is String!, expected ID!',
      'enum value Kind.B is missing',
    ]);
    const looser = buildSchema(/* GraphQL */ `
      type Query {
        home(first: Int = 10, region: String!): Home!
      }
      type Home {
        items: [Item!]!
      }
      type Item {
        id: ID!
        kind: Kind
      }
      enum Kind {
        A
        B
      }
    `);
    expect(contractViolations(contract, looser)).toEqual([
      'Query.home(first:) defaults to 10, expected 5',
      'Query.home(region:) is required but not in the contract',
    ]);
  });
});
