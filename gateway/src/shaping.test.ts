import { createRequire } from 'node:module';
import { buildSchema, operationFromDocument } from '@apollo/federation-internals';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { uninstallApolloPatches } from './apolloPatches.js';
import { type ComputeResponse, createComputeResponse } from './shaping.js';

// The compiled result shaping must give @apollo/gateway's answers and errors, value for value:
// both run on the same operations and inputs, hand-made and randomly damaged.

const schema = buildSchema(`
  type Query { users: [User!]! me: User node(id: ID!): Node search: [Result] top(first: Int): [Product] }
  interface Node { id: ID! }
  type User implements Node { id: ID! name: String age: Int friends: [User!] constructor: String role: Role! }
  type Product implements Node { id: ID! upc: String! price: Float inStock: Boolean! tags: [String!]! }
  union Result = User | Product
  enum Role { ADMIN MEMBER }
`);

const internals = (await import('@apollo/federation-internals')) as unknown as Parameters<
  typeof createComputeResponse
>[0];
// @apollo/gateway's own, even in a process where another test file installed the patches.
uninstallApolloPatches();
const original = (
  createRequire(import.meta.url)('@apollo/gateway/dist/resultShaping.js') as { computeResponse: ComputeResponse }
).computeResponse;
const compiled = createComputeResponse(internals, original);

const OPERATIONS = [
  `{ users { id name friends { id name } } me { id age role } }`,
  `query Q($skip: Boolean!, $inc: Boolean = true) {
     users { id name @skip(if: $skip) age @include(if: $inc) first: name renamed: age }
     me @include(if: false) { id }
     other: me @skip(if: false) { id constructor toString: name }
   }`,
  `{ search { __typename ... on User { id name } ... on Product { upc price inStock } ... on Node { id } }
     node(id: "1") { id ... on Product { tags } ... on User { friends { role } } }
     kind: __typename }`,
  `{ top(first: 2) { upc price } top2: top { upc ...P } users { ...U friends { ...U } } }
   fragment P on Product { inStock tags upc }
   fragment U on User { id name role }`,
];

const user = (id: string, extra: object = {}) => ({
  __typename: 'User',
  id,
  name: `user ${id}`,
  age: Number(id) * 10,
  role: 'MEMBER',
  constructor: 'built',
  friends: [{ __typename: 'User', id: `${id}0`, name: 'f', role: 'ADMIN', age: 1 }],
  ...extra,
});
const product = (upc: string) => ({ __typename: 'Product', id: upc, upc, price: 9.5, inStock: true, tags: ['a', 'b'] });

const INPUTS: Array<Record<string, unknown>> = [
  {
    users: [user('1'), user('2')],
    me: user('3'),
    other: user('4'),
    search: [user('5'), product('7'), null],
    node: product('8'),
    top: [product('1'), product('2')],
    top2: [product('3')],
    kind: 'Query',
    extra: 'ignored',
  },
  // Nulls where the schema says non-null, bad leaf values, an unknown typename.
  {
    users: [user('1', { id: null }), user('2', { role: 'NOPE' }), user('3', { age: 'old' })],
    me: { __typename: 'Nope', id: '9' },
    other: user('4', { friends: [null] }),
    search: [
      { __typename: 'Product', upc: null },
      { __typename: 'User', id: 5 },
    ],
    node: { __typename: 'User', id: '1', friends: [{ __typename: 'User', role: null }] },
    top: [product('1'), { __typename: 'Product', upc: '2', inStock: 'yes', tags: null }],
    top2: null,
  },
  // Missing fields and empty lists.
  { users: [], me: null, other: {}, search: [], node: null, top: [{}], top2: [] },
];

const VARIABLES: Array<Record<string, unknown>> = [{ skip: true }, { skip: false, inc: false }, { skip: false }];

/** Pseudo-random damage to an input: drop, null or replace values, deterministic per seed. */
function damage(value: unknown, seed: { n: number }): unknown {
  const roll = () => (seed.n = (seed.n * 1103515245 + 12345) % 2147483648) / 2147483648;
  if (Array.isArray(value)) return value.map((v) => (roll() < 0.1 ? null : damage(v, seed)));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = roll();
      if (r < 0.08) continue;
      out[k] = r < 0.16 ? null : r < 0.2 ? 42 : damage(v, seed);
    }
    return out;
  }
  return value;
}

const shape = (
  fn: typeof original,
  query: string,
  input: Record<string, unknown>,
  variables: Record<string, unknown>,
) => {
  const operation = operationFromDocument(schema, parse(query), { validate: false });
  try {
    const result = fn({ operation, variables, input, introspectionHandling: () => ({ introspected: true }) });
    return {
      data: JSON.stringify(result.data),
      errors: result.errors.map((e) => ({ message: e.message, path: (e as { path?: unknown }).path })),
    };
  } catch (error) {
    return { threw: (error as Error).message };
  }
};

describe('compiled result shaping', () => {
  const cases = OPERATIONS.flatMap((query, q) =>
    INPUTS.flatMap((input, i) =>
      VARIABLES.map((variables, v) => ({ name: `op ${q}, input ${i}, vars ${v}`, query, input, variables })),
    ),
  );

  it.each(cases)('matches @apollo/gateway: $name', ({ query, input, variables }) => {
    expect(shape(compiled, query, input, variables)).toEqual(shape(original, query, input, variables));
  });

  it('matches @apollo/gateway on 300 randomly damaged inputs', () => {
    for (let n = 1; n <= 300; n++) {
      const query = OPERATIONS[n % OPERATIONS.length] as string;
      const input = damage(INPUTS[0], { n }) as Record<string, unknown>;
      const variables = VARIABLES[n % VARIABLES.length] ?? {};
      expect(shape(compiled, query, input, variables), `seed ${n}`).toEqual(shape(original, query, input, variables));
    }
  });

  it('keeps answers the original would give for an alias named __proto__', () => {
    const query = '{ me { __proto__: name id } }';
    const input = JSON.parse('{"me":{"__typename":"User","id":"1","__proto__":"x"}}') as Record<string, unknown>;
    expect(shape(compiled, query, input, {})).toEqual(shape(original, query, input, {}));
  });
});
