// What the differential tests ask both gateways.

const FRAGMENTS = `
fragment User on User { id username name }
fragment Review on Review { id body }
fragment Product on Product { inStock name price shippingEstimate upc weight }`;

/** The federation benchmark's TestQuery (graphql-hive/graphql-gateways-benchmark), three levels deep. */
export const TEST_QUERY = `${FRAGMENTS}
query TestQuery {
  users {
    ...User
    reviews { ...Review product { ...Product reviews { ...Review author { ...User reviews { ...Review product { ...Product } } } } } }
  }
  topProducts {
    ...Product
    reviews { ...Review author { ...User reviews { ...Review product { ...Product } } } }
  }
}`;

const MIXED = 'upcs: ["1", "2", "404", "3"], userIds: ["1", "2", "404"]';

export interface Case {
  name: string;
  query: string;
  /** Each sent in turn, the same query text every time. @default [{}] */
  variables?: Array<Record<string, unknown>>;
}

export const CASES: readonly Case[] = [
  {
    name: '@skip and @include with variables',
    query: `query ($reviews: Boolean!, $noPrice: Boolean!, $n: Int) {
      topProducts(first: $n) {
        upc name price @skip(if: $noPrice) inStock @include(if: $reviews)
        reviews @include(if: $reviews) { body author @skip(if: $noPrice) { username } }
        ... @include(if: $reviews) { weight }
      }
    }`,
    variables: [
      { reviews: true, noPrice: false, n: 3 },
      { reviews: false, noPrice: true, n: 5 },
      { reviews: true, noPrice: true },
      { reviews: false, noPrice: false, n: 1 },
    ],
  },
  {
    name: '@skip and @include with constants and variable defaults',
    query: `query ($hide: Boolean = true) {
      users { id name @skip(if: $hide) username @include(if: true) reviews @include(if: false) { id } }
      top: topProducts(first: 2) @skip(if: false) { upc }
    }`,
    variables: [{}, { hide: false }],
  },
  {
    name: 'a union with __typename',
    query: `{ found(${MIXED}) { __typename ... on Product { upc name price inStock label } ... on User { id username label reviews { body } } } }`,
  },
  {
    name: 'a union without __typename',
    query: `{ found(${MIXED}) { ... on Product { upc name shippingEstimate } ... on User { id name } } }`,
  },
  {
    name: 'an interface with __typename and aliases',
    query: `{ listings(${MIXED}) { kind: __typename label ... on Product { upc title: name } ... on User { id handle: username } } }`,
  },
  {
    name: 'an interface without __typename, single and absent',
    query: `query ($upc: String, $user: ID) {
      listings(${MIXED}) { label ... on Product { weight averageRating } }
      one: listing(upc: $upc) { label ... on Product { name reviewCount } ... on User { name } }
      two: listing(userId: $user) { label ... on User { username reviews { product { name } } } }
      none: listing { label }
    }`,
    variables: [{ upc: '1', user: '2' }, { upc: '404', user: '3' }, { user: '1' }],
  },
  {
    name: 'aliases, the same field twice, __typename at the root',
    query: `{
      __typename
      a: topProducts(first: 2) { id: upc title: name cost: price }
      b: topProducts(first: 1) { upc stock: inStock upc }
      product(upc: "1") { upc kind: __typename reviews { stars: rating stars2: rating } }
    }`,
  },
  {
    name: 'introspection mixed with data',
    query: `{
      __schema { queryType { name } types { name } }
      topProducts(first: 2) { __typename upc name }
      __type(name: "Listing") { name kind possibleTypes { name } fields { name type { name kind ofType { name } } } }
    }`,
  },
  {
    name: 'named and inline fragments over nested entities',
    query: `query Nested { users { ...U reviews { ... on Review { rating product { ...P } } } } }
      fragment U on User { id ... on User { username } }
      fragment P on Product { upc ... { name } inStock shippingEstimate }`,
  },
  {
    name: 'the same query again and again with different variables',
    query: `query ($upc: String!, $first: Int) { product(upc: $upc) { upc name reviews(first: $first) { rating body author { name } } } }`,
    variables: [{ upc: '1', first: 1 }, { upc: '2', first: 2 }, { upc: '3' }, { upc: '404' }, { upc: '1', first: 1 }],
  },
  {
    name: 'an error from a subgraph, beside data',
    query: `{ topProducts(first: -1) { upc } users { id } }`,
  },
  {
    // The orders subgraph refuses an anonymous caller each user's orders: an error per entity of
    // an entity fetch, each pointed at its entity's place in the answer.
    name: "errors from an entity fetch, at each entity's path",
    query: `{ users { id username orders { id } } }`,
  },
  {
    name: 'errors from an entity fetch under lists of lists, with @requires beside them',
    query: `query ($n: Int) {
      topProducts(first: $n) { upc shippingEstimate reviews { id author { username orders { id } } } }
    }`,
    variables: [{ n: 3 }, { n: 1 }],
  },
];
