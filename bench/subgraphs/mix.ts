// The operations of the varied workload (docs/performance.md): TestQuery and operations shaped like
// the BFFs' own gateway operations (mobile home, product screen, product loader, a user's reviews,
// a catalog page), each with the answer computed straight from data.ts, without GraphQL or
// federation. Variables are drawn from a seeded random source, so a run is reproducible.
import { PRODUCTS, PRODUCTS_BY_UPC, reviewsOfProduct, USER_REVIEWS, USERS, USERS_BY_ID } from './data.js';
import { authorFields, expectedTestQueryData, productFields, productOf, reviewFields } from './expected.js';
import { TEST_QUERY } from './query.js';

/** A uniform number in [0, 1). */
export type Random = () => number;

/** mulberry32: a small seeded generator, the same sequence for the same seed on every machine. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
const between = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const chance = (random: Random, p: number) => random() < p;
const UPCS = PRODUCTS.map((product) => product.upc);
const USER_IDS = USERS.map((user) => user.id);

/** Distinct upcs, 1 to `max` of them, in a random order. */
const someUpcs = (random: Random, max: number): string[] => {
  const pool = [...UPCS];
  return Array.from({ length: between(random, 1, max) }, () => pool.splice(Math.floor(random() * pool.length), 1)[0]!);
};

type Variables = Record<string, unknown>;
let testQueryData: unknown;

export interface MixOperation {
  name: string;
  /** Share of all requests, in percent. */
  share: number;
  query: string;
  /** `viewer` is the signed-in caller's user id, undefined for an anonymous caller. */
  variables(random: Random, viewer: string | undefined): Variables;
  expected(variables: Variables): unknown;
}

const card = (upc: string, withStock: boolean) => {
  const product = PRODUCTS_BY_UPC.get(upc);
  if (!product) return null;
  const { name, price, inStock } = productFields(product);
  return { upc, name, price, ...(withStock ? { inStock } : {}) };
};

const productWithReviews = (upc: string, withWeight: boolean, withReviews: boolean) => {
  const product = PRODUCTS_BY_UPC.get(upc);
  if (!product) return null;
  const { name, price, weight, inStock, shippingEstimate } = productFields(product);
  return {
    upc,
    name,
    price,
    ...(withWeight ? { weight } : {}),
    inStock,
    shippingEstimate,
    ...(withReviews
      ? {
          reviews: reviewsOfProduct(upc).map((review) => ({ ...reviewFields(review), author: authorIdNameUsername() })),
        }
      : {}),
  };
};

const authorIdNameUsername = () => {
  const { id, name, username } = authorFields();
  return { id, name, username };
};

const PRODUCT_WITH_REVIEWS = `upc name price weight @include(if: $withWeight) inStock shippingEstimate
    reviews @include(if: $withReviews) { id body author { id name username } }`;

export const MIX: readonly MixOperation[] = [
  {
    name: 'TestQuery',
    share: 20,
    query: TEST_QUERY,
    variables: () => ({}),
    // The same answer every time: built once.
    expected: () => (testQueryData ??= expectedTestQueryData()),
  },
  {
    // bff-mobile home: top products as cards, the viewer, the cards of the caller's expected picks.
    name: 'MobileHome',
    share: 25,
    query: `query MobileHome($first: Int!, $withStock: Boolean! = true, $withViewer: Boolean!, $viewer: ID!,
  $expected: [String!]! = [], $withExpected: Boolean! = false) {
  topProducts(first: $first) { ...MobileProductCard }
  viewer: user(id: $viewer) @include(if: $withViewer) { id name username }
  expected: productsByUpc(upcs: $expected) @include(if: $withExpected) { ...MobileProductCard }
}
fragment MobileProductCard on Product { upc name price inStock @include(if: $withStock) }`,
    variables: (random, viewer) => {
      const expected = viewer && chance(random, 0.6) ? someUpcs(random, 4) : undefined;
      return {
        first: between(random, 1, 9),
        withStock: chance(random, 0.8),
        withViewer: viewer !== undefined,
        viewer: viewer ?? '0',
        ...(expected ? { expected, withExpected: true } : {}),
      };
    },
    expected: (v) => {
      const withStock = v.withStock as boolean;
      const cards = (upcs: string[]) => upcs.map((upc) => card(upc, withStock));
      const viewer = USERS_BY_ID.get(v.viewer as string);
      return {
        topProducts: cards(UPCS.slice(0, v.first as number)),
        ...(v.withViewer
          ? { viewer: viewer ? { id: viewer.id, name: viewer.name, username: viewer.username } : null }
          : {}),
        ...(v.withExpected ? { expected: cards(v.expected as string[]) } : {}),
      };
    },
  },
  {
    // bff-mobile product screen; now and then a upc that does not exist.
    name: 'MobileProductScreen',
    share: 20,
    query: `query MobileProductScreen($upc: String!, $withReviews: Boolean!) {
  product(upc: $upc) { upc name price inStock shippingEstimate
    reviews @include(if: $withReviews) { id body author { username } } }
}`,
    variables: (random) => ({
      upc: chance(random, 0.05) ? '404' : pick(random, UPCS),
      withReviews: chance(random, 0.7),
    }),
    expected: (v) => {
      const product = PRODUCTS_BY_UPC.get(v.upc as string);
      if (!product) return { product: null };
      const { upc, name, price, inStock, shippingEstimate } = productFields(product);
      const reviews = reviewsOfProduct(upc).map((review) => ({
        ...reviewFields(review),
        author: { username: authorFields().username },
      }));
      return { product: { upc, name, price, inStock, shippingEstimate, ...(v.withReviews ? { reviews } : {}) } };
    },
  },
  {
    // bff-web product loader: one batch of cards by upc.
    name: 'WebProductsByUpc',
    share: 15,
    query: `query WebProductsByUpc($upcs: [String!]!, $withReviews: Boolean!, $withWeight: Boolean! = true) {
  productsByUpc(upcs: $upcs) { ${PRODUCT_WITH_REVIEWS} }
}`,
    variables: (random) => ({
      upcs: someUpcs(random, 4),
      withReviews: chance(random, 0.5),
      withWeight: chance(random, 0.5),
    }),
    expected: (v) => ({
      productsByUpc: (v.upcs as string[]).map((upc) =>
        productWithReviews(upc, v.withWeight as boolean, v.withReviews as boolean),
      ),
    }),
  },
  {
    // bff-web: a user's profile with their reviews (the caller's own, or another user's).
    name: 'WebUserReviews',
    share: 15,
    query: `query WebUserReviews($id: ID!) {
  user(id: $id) { id name username reviews { id body product { upc name price inStock } } }
}`,
    variables: (random, viewer) => ({ id: viewer && chance(random, 0.5) ? viewer : pick(random, USER_IDS) }),
    expected: (v) => {
      const user = USERS_BY_ID.get(v.id as string);
      if (!user) return { user: null };
      const reviews = USER_REVIEWS.map((review) => {
        const { upc, name, price, inStock } = productFields(productOf(review));
        return { ...reviewFields(review), product: { upc, name, price, inStock } };
      });
      return { user: { id: user.id, name: user.name, username: user.username, reviews } };
    },
  },
  {
    // bff-web catalog: a page of products with their reviews.
    name: 'WebCatalog',
    share: 5,
    query: `query WebCatalog($first: Int!, $withReviews: Boolean!, $withWeight: Boolean! = true) {
  topProducts(first: $first) { ${PRODUCT_WITH_REVIEWS} }
}`,
    variables: (random) => ({ first: between(random, 1, 9), withReviews: chance(random, 0.6), withWeight: true }),
    expected: (v) => ({
      topProducts: UPCS.slice(0, v.first as number).map((upc) =>
        productWithReviews(upc, v.withWeight as boolean, v.withReviews as boolean),
      ),
    }),
  },
];

/** An operation of the mix, drawn by its share. */
export function drawOperation(random: Random): MixOperation {
  let at = random() * 100;
  for (const operation of MIX) {
    at -= operation.share;
    if (at < 0) return operation;
  }
  return MIX[MIX.length - 1] as MixOperation;
}
