// The dataset of the public federation gateway benchmark (graphql-hive/graphql-gateways-benchmark),
// value for value: 6 users, 9 products (inventory holds a stock flag for each), 11 reviews whose
// bodies are 5 lorem-ipsum paragraphs reused. Nothing is generated at random: every value is a
// literal, so every run sees the same bytes. The benchmark's own quirks that shape the answers
// (every review's author is user 1, every user's reviews are reviews 1 and 2, shippingEstimate is
// always null) live in the resolvers (schemas.ts) and in expected.ts, next to the logic they affect.

export interface BenchUser {
  id: string;
  name: string;
  username: string;
  birthday: number;
}

export interface BenchProduct {
  upc: string;
  name: string;
  price: number;
  weight: number;
}

/** What the inventory subgraph stores per product: only the stock flag (price and weight are @external there). */
export interface BenchInventoryItem {
  upc: string;
  inStock: boolean;
}

export interface BenchReview {
  id: string;
  body: string;
  /** The upc of the reviewed product. */
  productUpc: string;
}

export const USERS: readonly BenchUser[] = [
  { id: '1', name: 'Uri Goldshtein', username: 'urigo', birthday: 1234567890 },
  { id: '2', name: 'Dotan Simha', username: 'dotansimha', birthday: 1234567890 },
  { id: '3', name: 'Kamil Kisiela', username: 'kamilkisiela', birthday: 1234567890 },
  { id: '4', name: 'Arda Tanrikulu', username: 'ardatan', birthday: 1234567890 },
  { id: '5', name: 'Gil Gardosh', username: 'gilgardosh', birthday: 1234567890 },
  { id: '6', name: 'Laurin Quast', username: 'laurin', birthday: 1234567890 },
];

/** In catalog order; `topProducts(first: Int = 5)` answers the first `first` of them. */
export const PRODUCTS: readonly BenchProduct[] = [
  { upc: '1', name: 'Table', price: 899, weight: 100 },
  { upc: '2', name: 'Couch', price: 1299, weight: 1000 },
  { upc: '3', name: 'Glass', price: 15, weight: 20 },
  { upc: '4', name: 'Chair', price: 499, weight: 100 },
  { upc: '5', name: 'TV', price: 1299, weight: 1000 },
  { upc: '6', name: 'Lamp', price: 6999, weight: 300 },
  { upc: '7', name: 'Grill', price: 3999, weight: 2000 },
  { upc: '8', name: 'Fridge', price: 100000, weight: 6000 },
  { upc: '9', name: 'Sofa', price: 9999, weight: 800 },
];

export const INVENTORY: readonly BenchInventoryItem[] = [
  { upc: '1', inStock: true },
  { upc: '2', inStock: false },
  { upc: '3', inStock: false },
  { upc: '4', inStock: false },
  { upc: '5', inStock: true },
  { upc: '6', inStock: true },
  { upc: '7', inStock: true },
  { upc: '8', inStock: false },
  { upc: '9', inStock: true },
];

// The five review bodies. LOREM_B is cut mid-word ("fugi") in the benchmark too.
const LOREM_A =
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum.';
const LOREM_B =
  'Sed ut perspiciatis unde omnis iste natus error sit voluptatem accusantium doloremque laudantium, totam rem aperiam, eaque ipsa quae ab illo inventore veritatis et quasi architecto beatae vitae dicta sunt explicabo. Nemo enim ipsam voluptatem quia voluptas sit aspernatur aut odit aut fugi';
const LOREM_C =
  'sed quia consequuntur magni dolores eos qui ratione voluptatem sequi nesciunt. Neque porro quisquam est, qui dolorem ipsum quia dolor sit amet, consectetur, adipisci velit, sed quia non numquam eius modi tempora incidunt ut labore et dolore magnam aliquam quaerat voluptatem.';
const LOREM_D =
  'Ut enim ad minima veniam, quis nostrum exercitationem ullam corporis suscipit laboriosam, nisi ut aliquid ex ea commodi consequatur? Quis autem';
const LOREM_E =
  'At vero eos et accusamus et iusto odio dignissimos ducimus qui blanditiis praesentium voluptatum deleniti atque corrupti quos dolores et quas molestias excepturi sint occaecati cupiditate non provident, similique sunt in culpa qui officia deserunt mollitia animi, id est laborum et dolorum fuga. Et harum quidem rerum facilis est et expedita distinctio. Nam libero tempore, cum soluta nobis est eligendi optio cumque nihil impedit quo minus id quod maxime placeat facere possimus, omnis voluptas assumenda est, omnis dolor repellendus. Temporibus autem quibusdam et aut officiis debitis aut rerum necessitatibus saepe eveniet ut et voluptates repudiandae sint et molestiae non recusandae. Itaque earum rerum hic tenetur a sapiente delectus, ut aut reiciendis voluptatibus maiores alias consequatur aut perferendis doloribus asperiores repellat.';

/** In id order: product 1 has reviews 1-4, product 2 reviews 5-8, product 3 review 9, product 4 reviews 10-11. */
export const REVIEWS: readonly BenchReview[] = [
  { id: '1', body: LOREM_A, productUpc: '1' },
  { id: '2', body: LOREM_B, productUpc: '1' },
  { id: '3', body: LOREM_C, productUpc: '1' },
  { id: '4', body: LOREM_D, productUpc: '1' },
  { id: '5', body: LOREM_A, productUpc: '2' },
  { id: '6', body: LOREM_B, productUpc: '2' },
  { id: '7', body: LOREM_C, productUpc: '2' },
  { id: '8', body: LOREM_D, productUpc: '2' },
  { id: '9', body: LOREM_D, productUpc: '3' },
  { id: '10', body: LOREM_D, productUpc: '4' },
  { id: '11', body: LOREM_E, productUpc: '4' },
];

/** `topProducts` without an argument answers this many. */
export const TOP_PRODUCTS_DEFAULT_FIRST = 5;

/** The benchmark's reviews subgraph answers every review's author as this user (with this username). */
export const REVIEW_AUTHOR: Readonly<Pick<BenchUser, 'id' | 'username'>> = { id: '1', username: 'urigo' };

/** The benchmark's reviews subgraph answers these reviews (the first two) as every user's reviews. */
export const USER_REVIEWS: readonly BenchReview[] = REVIEWS.slice(0, 2);

const byKey = <T, K extends keyof T>(rows: readonly T[], key: K): ReadonlyMap<T[K], T> =>
  new Map(rows.map((row) => [row[key], row]));

export const USERS_BY_ID = byKey(USERS, 'id');
export const PRODUCTS_BY_UPC = byKey(PRODUCTS, 'upc');
export const INVENTORY_BY_UPC = byKey(INVENTORY, 'upc');
export const REVIEWS_BY_ID = byKey(REVIEWS, 'id');

/** A product's reviews, in review id order (the reviews subgraph's `Product.reviews`). */
export const reviewsOfProduct = (upc: string): BenchReview[] => REVIEWS.filter((review) => review.productUpc === upc);

/**
 * The inventory subgraph's shippingEstimate rule: free (0) above a price of 1000, else half the
 * weight, rounded down; null when price (or, under the threshold, weight) is unknown.
 */
export const shippingEstimate = (
  price: number | null | undefined,
  weight: number | null | undefined,
): number | null => {
  if (price == null) return null;
  if (price > 1000) return 0;
  return weight == null ? null : Math.trunc(weight / 2);
};

/**
 * The shippingEstimate the benchmark actually answers for a product: its inventory subgraph
 * resolves the entity from its own table by upc, where price and weight are absent, and drops the
 * price and weight that the gateway sends in the representation (@requires). So the rule above is
 * always fed nulls, and every shippingEstimate is null (the benchmark's k6 expected response shows
 * `shippingEstimate: null` for the Table, whose price 899 and weight 100 would give 50). We answer
 * the same, so responses have the benchmark's size; the gateway still does the @requires work.
 */
export const benchShippingEstimate = (_representation: { price?: number | null; weight?: number | null }) =>
  shippingEstimate(null, null);
