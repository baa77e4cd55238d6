import { buildSchema, execute, type GraphQLResolveInfo, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { selectedArguments, selects } from './lookahead.js';

const typeDefs = /* GraphQL */ `
  type Query {
    screen: Screen
  }
  type Screen {
    items(first: Int = 3): [Item!]!
    title: String
  }
  type Item {
    id: ID!
    reviews(first: Int = 10): [String!]!
  }
`;

/** Runs `query` and returns what `look` saw from the `screen` resolver. */
async function lookahead<T>(query: string, look: (info: GraphQLResolveInfo) => T, variables = {}): Promise<T> {
  let seen: T | undefined;
  const schema = buildSchema(typeDefs);
  const screen = schema.getQueryType()?.getFields().screen;
  if (!screen) throw new Error('no Query.screen');
  screen.resolve = (_root, _args, _ctx, info) => {
    seen = look(info);
    return null;
  };
  const result = await execute({ schema, document: parse(query), variableValues: variables });
  expect(result.errors).toBeUndefined();
  return seen as T;
}

describe('selectedArguments', () => {
  it('finds every selection of a field below the current one, with defaults applied', async () => {
    const found = await lookahead('{ screen { a: items { id } b: items(first: 7) { id } } }', (info) =>
      selectedArguments(info, 'Screen', 'items'),
    );
    expect(found).toEqual([{ first: 3 }, { first: 7 }]);
  });

  it('looks through fragments, inline fragments and nested fields, with variables', async () => {
    const query = `
      query Q($n: Int) { screen { ...Parts ... on Screen { items { reviews(first: $n) } } } }
      fragment Parts on Screen { items { reviews } }
    `;
    const found = await lookahead(query, (info) => selectedArguments(info, 'Item', 'reviews'), { n: 2 });
    expect(found).toEqual([{ first: 10 }, { first: 2 }]);
  });

  it('honours @skip and @include', async () => {
    const query = `query Q($on: Boolean!) { screen { items @include(if: $on) { id } title @skip(if: $on) } }`;
    expect(await lookahead(query, (info) => selects(info, 'Screen', 'items'), { on: false })).toBe(false);
    expect(await lookahead(query, (info) => selects(info, 'Screen', 'items'), { on: true })).toBe(true);
    expect(await lookahead(query, (info) => selects(info, 'Screen', 'title'), { on: true })).toBe(false);
  });

  it('matches the type as well as the field name', async () => {
    expect(await lookahead('{ screen { items { id } } }', (info) => selects(info, 'Item', 'items'))).toBe(false);
  });
});
